"""Generated demo cover images (no text drawn) and their attachment to cases.

Each theme has its own two-colour diagonal gradient; a seeded geometric motif (circles,
a polyline chart, hexagons or bars) makes every cover different. No renditions are made
at load time: the file views make them on first request.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageDraw
from wagtail.images import get_image_model

from .. import editing, uploads
from ..models import Case, CaseImage

SIZE = (1200, 675)
# (start, end) colours per theme code; unknown themes get colours derived from their code.
PALETTES = [
    ((11, 79, 138), (64, 170, 200)),
    ((20, 110, 80), (150, 205, 110)),
    ((120, 50, 140), (235, 140, 170)),
    ((190, 80, 30), (250, 195, 80)),
    ((30, 60, 110), (120, 110, 210)),
    ((0, 110, 120), (110, 210, 190)),
    ((150, 30, 50), (240, 130, 90)),
    ((70, 90, 40), (200, 190, 90)),
]


def palette(theme: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    index = int(hashlib.sha256(theme.encode()).hexdigest(), 16) % len(PALETTES)
    return PALETTES[index]


@functools.lru_cache(maxsize=16)
def _gradient(start, end) -> Image.Image:
    # Diagonal: the mean of a vertical and a horizontal ramp.
    ramp = Image.linear_gradient("L")
    mask = ImageChops.add(ramp.resize(SIZE), ramp.transpose(Image.Transpose.ROTATE_90).resize(SIZE), scale=2)
    return Image.composite(Image.new("RGB", SIZE, end), Image.new("RGB", SIZE, start), mask).convert("RGBA")


def _motif(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    white = lambda a: (255, 255, 255, a)  # noqa: E731
    kind = rng.randrange(4)
    w, h = SIZE
    if kind == 0:  # overlapping circles
        for _ in range(rng.randint(5, 9)):
            r = rng.randint(60, 220)
            x, y = rng.randint(0, w), rng.randint(0, h)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=white(rng.randint(25, 60)))
    elif kind == 1:  # a rising line chart with dots
        points = [(80 + i * 130, h - 120 - i * rng.randint(20, 55) - rng.randint(0, 40)) for i in range(9)]
        draw.line(points, fill=white(200), width=8, joint="curve")
        for x, y in points:
            draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=white(230))
    elif kind == 2:  # a honeycomb of hexagons
        size = rng.randint(50, 80)
        for row in range(-1, h // size + 2):
            for col in range(-1, w // size + 2):
                if rng.random() < 0.55:
                    continue
                cx = col * size * 1.75 + (row % 2) * size * 0.875
                cy = row * size * 1.5
                hexagon = [(cx + size * math.cos(math.radians(60 * k + 30)),
                            cy + size * math.sin(math.radians(60 * k + 30))) for k in range(6)]
                draw.polygon(hexagon, outline=white(120), fill=white(rng.randint(10, 45)))
    else:  # bars of a chart
        n = rng.randint(6, 10)
        width = (w - 200) // n
        for i in range(n):
            top = rng.randint(120, h - 140)
            draw.rectangle((100 + i * width + 12, top, 100 + (i + 1) * width - 12, h - 80), fill=white(rng.randint(60, 150)))


def cover_jpeg(theme: str, seed: int) -> bytes:
    """A 1200x675 JPEG: the theme's gradient and a motif chosen by `seed`.

    JPEG, not PNG: the upload check re-encodes every image in its own format, and a PNG of this
    size costs about 13 times the CPU of a JPEG there (0.09 s against 0.007 s), as does every
    rendition later; at quality 90 a smooth gradient with soft shapes looks the same."""
    rng = random.Random(seed)
    start, end = palette(theme)
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    _motif(ImageDraw.Draw(layer), rng)
    out = io.BytesIO()
    Image.alpha_composite(_gradient(start, end), layer).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def alt_text(title: str) -> str:
    return f"示意图：{title}"[:150]


def add_cover(*, case: Case, by, jpeg: bytes, alt: str) -> CaseImage:
    """An editable case's cover, through the editing service (checks, limits, permissions)."""
    upload = SimpleUploadedFile("cover.jpg", jpeg, content_type="image/jpeg")
    return editing.add_image(case=case, by=by, file=upload, alt=alt, is_cover=True)


def add_cover_to_published(*, case: Case, by, jpeg: bytes, alt: str) -> CaseImage:
    """A published (imported) demo case's cover, written directly.

    `editing.add_image` only edits draft or returned cases, as it should; an imported case
    is published from the start. Adding an image is content, not state, so the demo writes
    the same two rows `add_image` would (a Wagtail image and a CaseImage) itself.
    """
    image = get_image_model()(
        title=alt[:255], description=alt, file=ContentFile(jpeg, name=uploads.generated_name("jpg")),
        collection=editing._default_collection(), uploaded_by_user=by,
    )
    image.save()
    return CaseImage.objects.create(case=case, image=image, alt=alt, is_cover=True, sort_order=0)
