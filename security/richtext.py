"""Rich text keeps only an allow-list of tags and attributes, and links only safe schemes.

Wagtail's editor (Draftail) already writes clean HTML, but a RichTextField is a text column:
the demo loader, a shell, a migration, an import or a crafted form post can store anything.
So every RichTextField is cleaned twice, with nh3 (the Ammonia sanitiser, which parses like
a browser and decodes entities before it checks a URL's scheme, so `jav&#x09;ascript:` and
`JaVaScRiPt:` are caught):

- on save (`pre_save` for every model with a RichTextField): the stored Wagtail format keeps
  its `<a linktype=... id=...>`, `<embed embedtype=... />` and `data-block-key` markers;
- on render (`{{ value|safe_richtext }}` instead of Wagtail's `|richtext`): the expanded HTML,
  for rows written before this check or by a path that skips `save()` (`QuerySet.update`).
"""

from __future__ import annotations

import logging
import re
from functools import cache

import nh3
from django import template
from django.db.models.signals import pre_save
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)
URL_SCHEMES = {"http", "https", "mailto", "tel"}
BLOCK_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "ol", "ul", "li", "hr",
              "blockquote", "sub", "sup", "code", "s"}
# The database format of wagtail.rich_text (links to pages and documents, image/media embeds).
STORED_TAGS = BLOCK_TAGS | {"a", "embed"}
STORED_ATTRIBUTES = {
    "*": {"data-block-key"},
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
# What `richtext` expands that into: plain links and images (media embeds' iframes are not
# kept: the public site's CSP would block a third-party frame anyway).
RENDERED_TAGS = BLOCK_TAGS | {"a", "img"}
RENDERED_ATTRIBUTES = {
    "*": {"data-block-key"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "class"},
}
EMBED_TAG = re.compile(r"<embed(\b[^>]*?)\s*/?>")
ATTRS = re.compile(r'([\w-]+)="([^"]*)"')
LINK_TYPES = {"page", "document"}


def _filter(tag: str, attribute: str, value: str) -> str | None:
    # Wagtail's handlers look these up as given: a non-numeric id or an unknown type is a 500.
    if attribute == "id" and tag in {"a", "embed"}:
        return value if value.isascii() and value.isdigit() else None
    if (tag, attribute) == ("a", "linktype"):
        return value if value in LINK_TYPES else None
    if (tag, attribute) == ("embed", "url"):  # fetched by Wagtail (oEmbed): web addresses only
        return value if re.match(r"^https?://", value.strip(), re.IGNORECASE) else None
    return value


def _image_formats() -> set[str]:
    from wagtail.images.formats import get_image_formats

    return {f.name for f in get_image_formats()}


def _embed(match: re.Match) -> str:
    """An embed Wagtail can expand (an image with a numeric id and a known format, or media with
    a web address) in the self-closed form Wagtail parses; anything else is dropped."""
    attrs = dict(ATTRS.findall(match.group(1)))
    kind = attrs.get("embedtype")
    if kind == "image" and "id" in attrs and attrs.get("format") in _image_formats():
        return f"<embed{match.group(1)}/>"
    if kind == "media" and "url" in attrs:
        return f"<embed{match.group(1)}/>"
    return ""


def clean_stored(html: str) -> str:
    """Stored (database-format) rich text, cleaned; only embeds Wagtail can expand are kept."""
    if not html:
        return html
    cleaned = nh3.clean(
        html, tags=STORED_TAGS, attributes=STORED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        attribute_filter=_filter, link_rel=None, strip_comments=True,
    )
    return EMBED_TAG.sub(_embed, cleaned)


def clean_rendered(html: str) -> SafeString:
    """Expanded rich text (after Wagtail's `richtext`), cleaned for the page."""
    return mark_safe(nh3.clean(  # noqa: S308 (sanitised by nh3 with the allow-list above)
        str(html or ""), tags=RENDERED_TAGS, attributes=RENDERED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True,
    ))


@cache
def rich_text_fields(model) -> tuple[str, ...]:
    from wagtail.fields import RichTextField

    return tuple(f.attname for f in model._meta.concrete_fields if isinstance(f, RichTextField))


def clean_on_save(sender, instance, **kwargs) -> None:
    for name in rich_text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, clean_stored(value))


def connect() -> None:
    pre_save.connect(clean_on_save, dispatch_uid="security.richtext.clean_on_save")


register = template.Library()


@register.filter
def safe_richtext(value) -> SafeString:
    """`{{ page.body|safe_richtext }}`: Wagtail's `richtext` expansion, then the allow-list."""
    from wagtail.templatetags.wagtailcore_tags import richtext

    try:
        expanded = richtext(value)
    except (LookupError, ValueError, TypeError):  # stored around save() in a form Wagtail can't expand
        logger.warning("Rich text could not be expanded; shown without its links and embeds")
        expanded = str(value or "")
    return clean_rendered(expanded)
