"""Wagtail's admin API for documents and images, limited to what the user may choose.

Wagtail's own endpoints (/admin/api/main/documents/, /images/) list every document and image,
with titles and download URLs, to anyone who may open the admin; here that includes submitters,
recommenders and reviewers, and the files include case attachments, recommendation letters and
objectors' evidence. Those roles use no Wagtail chooser; case files are reached only through
cases/file_views.py, which asks cases/permissions.py.
"""

from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry


def _choosable(model, user) -> QuerySet:
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, ["choose"])


class ChoosableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        choosable = _choosable(get_document_model(), self.request.user)
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        choosable = _choosable(get_image_model(), self.request.user)
        return super().get_queryset().filter(pk__in=choosable.values("pk"))
