"""The image renditions the public pages use, made when a case is published (not on first view).

Cards use the `fill-*` crops (16:9), the gallery the `max-*` sizes; `srcset` lets the browser
pick. `cases.file_views.image` serves them after its permission check.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.db import transaction
from django.urls import get_script_prefix, reverse
from django_tasks import task

from cases import effects
from cases.models import CaseImage
from cases.signals import case_transitioned

logger = logging.getLogger(__name__)

CARD_SPECS = (("fill-320x180", 320, 180), ("fill-640x360", 640, 360), ("fill-960x540", 960, 540))
GALLERY_SPECS = (("max-800x600", 800, 600), ("max-1200x900", 1200, 900))
SPECS = tuple(spec for spec, _w, _h in (*CARD_SPECS, *GALLERY_SPECS))
OG_SPEC = "fill-960x540"


def image_url(case_image: CaseImage | int, spec: str) -> str:
    pk = case_image if isinstance(case_image, int) else case_image.pk
    return _image_url_pattern().format(pk=int(pk), spec=spec)


@lru_cache(maxsize=8)
def _pattern_for(prefix: str) -> str:
    # One reverse() per URL prefix, then formatting: a results page asks for ~80 image URLs.
    # Both sentinels are plain digits/letters, so they come back unescaped where they were.
    return reverse("case_files:image", args=[987654321, "SPECSENTINEL"]).replace("987654321", "{pk}").replace(
        "SPECSENTINEL", "{spec}")


def _image_url_pattern() -> str:
    return _pattern_for(get_script_prefix())


def fitted(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The size of a `max-WxH` rendition of a width×height image (never enlarged)."""
    if not width or not height:
        return box_w, box_h
    scale = min(box_w / width, box_h / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def make_for_images(images) -> int:
    """Create the missing renditions of these CaseImages; a broken file is logged, not raised."""
    made = 0
    for case_image in images:
        try:
            case_image.image.get_renditions(*SPECS)
            made += 1
        except Exception:  # a broken or missing file must not break publishing
            logger.exception("renditions of case image %s failed", case_image.pk)
    return made


@task()
def make_case_renditions(case_id: int) -> int:
    """Every rendition of every image of a published case (a worker in production, inline in tests)."""
    images = CaseImage.objects.filter(case_id=case_id, case__status="published").select_related("image")
    return make_for_images(images)


@task()
def make_renditions_of_cases(case_ids: list[int]) -> int:
    """`make_case_renditions` for many cases at once (an import): one task and one query."""
    images = CaseImage.objects.filter(case_id__in=case_ids, case__status="published").select_related("image")
    return make_for_images(images)


def _enqueue_collected(case_ids: dict[int, None], batch: int = 500) -> None:
    ordered = list(case_ids)
    for start in range(0, len(ordered), batch):
        make_renditions_of_cases.enqueue(ordered[start : start + batch])


def on_case_transitioned(sender, *, case, record, **kwargs) -> None:
    """After commit: a case just published gets its renditions before anyone views it (in a
    `cases.effects.batched()` block, one task for the block's cases)."""
    if record.to_state != "published":
        return
    pending = effects.bucket("website.renditions", _enqueue_collected)
    if pending is None:
        make_case_renditions.enqueue(case.pk)
    else:
        pending[case.pk] = None


def on_image_saved(sender, *, instance: CaseImage, **kwargs) -> None:
    """An image added to a case that is already published (an import, a correction)."""
    case_id = instance.case_id
    if case_id and type(instance.case).objects.filter(pk=case_id, status="published").exists():
        pending = effects.bucket("website.renditions", _enqueue_collected)
        if pending is None:
            transaction.on_commit(lambda: make_case_renditions.enqueue(case_id))
        else:
            pending[case_id] = None


def connect() -> None:
    from django.db.models.signals import post_save

    case_transitioned.connect(on_case_transitioned, dispatch_uid="website.renditions")
    post_save.connect(on_image_saved, sender=CaseImage, dispatch_uid="website.image_renditions")
