"""A case's images and attachments: list, upload (multipart), delete.

Uploads and deletions go through `cases.editing`, which checks the file's real type and who
may change the case now; the URLs point at the permission-checking views in cases/file_views.py.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import editing, permissions

from .base import CASE_ID, SignedInMixin, errors, visible_case_or_404
from .inputs import AttachmentUploadSerializer, ImageUploadSerializer
from .serializers import AttachmentSerializer, ImageSerializer

IMAGE_ID = OpenApiParameter("image_id", int, OpenApiParameter.PATH, description="图片编号 / image id")
ATTACHMENT_ID = OpenApiParameter("att_id", int, OpenApiParameter.PATH, description="附件编号 / attachment id")
DELETED = {204: OpenApiResponse(description="已删除 / deleted"), **errors(401, 403, 404, 409)}


class UploadMixin(SignedInMixin):
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]


def _list_schema(item, upload, noun: str):
    return extend_schema_view(
        get=extend_schema(
            tags=["files"], parameters=[CASE_ID], summary=f"{noun}列表 / list",
            responses={200: item(many=True), **errors(400, 401, 404)},
        ),
        post=extend_schema(
            tags=["files"], parameters=[CASE_ID], summary=f"上传{noun} / upload (multipart)",
            description="按文件内容（而非扩展名）识别类型；只有可编辑的案例可以上传。",
            request={"multipart/form-data": upload},
            responses={201: item, **errors(400, 401, 403, 404, 409, 507)},
        ),
    )


@_list_schema(ImageSerializer, ImageUploadSerializer, "图片")
class ImageListView(UploadMixin, generics.ListCreateAPIView):
    serializer_class = ImageSerializer

    def get_queryset(self):
        return visible_case_or_404(self.request.user, self.kwargs["pk"]).images.order_by("sort_order", "pk")

    def create(self, request, pk: int):
        with transaction.atomic():
            editing.lock_for_edit(case=pk, by=request.user)  # 404/403/409 before the file is read
        # Not under the case's lock: add_image decodes the image first and locks only to write.
        form = ImageUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {k: v for k, v in form.validated_data.items() if k != "title"}
        image = editing.add_image(case=pk, by=request.user, **data)
        return Response(ImageSerializer(image).data, status=status.HTTP_201_CREATED)


@_list_schema(AttachmentSerializer, AttachmentUploadSerializer, "附件")
class AttachmentListView(UploadMixin, generics.ListCreateAPIView):
    serializer_class = AttachmentSerializer

    def get_queryset(self):
        case = visible_case_or_404(self.request.user, self.kwargs["pk"])
        return permissions.visible_attachments(self.request.user, case).order_by("sort_order", "pk")

    def create(self, request, pk: int):
        with transaction.atomic():
            editing.lock_for_edit(case=pk, by=request.user)
            form = AttachmentUploadSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            attachment = editing.add_attachment(case=pk, by=request.user, **form.validated_data)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ImageDetailView(SignedInMixin, APIView):
    @extend_schema(tags=["files"], parameters=[CASE_ID, IMAGE_ID], summary="删除图片 / delete an image",
                   responses=DELETED)
    def delete(self, request, pk: int, image_id: int):
        editing.delete_image(case=pk, by=request.user, image_id=image_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentDetailView(SignedInMixin, APIView):
    @extend_schema(tags=["files"], parameters=[CASE_ID, ATTACHMENT_ID], summary="删除附件 / delete an attachment",
                   responses=DELETED)
    def delete(self, request, pk: int, att_id: int):
        editing.delete_attachment(case=pk, by=request.user, attachment_id=att_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
