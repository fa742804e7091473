"""Template helpers of the public site."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from cases import case_fields
from cases.models import Case
from cases.taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea, label_of
from website import display
from website.renditions import CARD_SPECS, GALLERY_SPECS, fitted, image_url

register = template.Library()

DEFAULT_OPERATOR = "提升全民数字素养与技能典型案例征集组织方（秘书处）"
TAXONOMIES = {
    "scenario": Scenario, "task": TaskArea, "group": KeyGroup, "project": SpecialProject,
    "organisation_type": OrganisationType,
}


@register.simple_tag
def icp_number() -> str:
    """The ICP filing number (ICP 备案号) to show in the footer; empty when not configured."""
    return str(getattr(settings, "CASEBOOK", {}).get("ICP_NUMBER") or "").strip()


@register.simple_tag
def site_operator() -> str:
    """Who runs the site (主办单位), from settings; a neutral default otherwise."""
    return str(getattr(settings, "CASEBOOK", {}).get("OPERATOR") or "").strip() or DEFAULT_OPERATOR


@register.simple_tag(takes_context=True)
def display_mode(context) -> display.Mode:
    """The visitor's display settings (large text, high contrast) from their cookies."""
    request = context.get("request")
    return display.mode_of(request) if request is not None else display.Mode()


@register.simple_tag(takes_context=True)
def display_switch_url(context, key: str, value: str) -> str:
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    return display.switch_url(key, value, here)


@register.filter
def label(code: str, taxonomy: str) -> str:
    """The Chinese label of a taxonomy code: {{ case.task_area|label:"task" }}."""
    return label_of(TAXONOMIES[taxonomy], code) if code else ""


@register.filter
def labels(codes, taxonomy: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a multi-valued field."""
    return [(c, label_of(TAXONOMIES[taxonomy], c)) for c in (codes or [])]


@register.filter
def number(value) -> str:
    """12000.00 → 12,000; 3.50 → 3.5 (indicator values)."""
    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,f}"


@register.filter
def body_sections(case) -> list[dict[str, str]]:
    """The case's body sections in order (cases/case_fields.py), empty ones included: the page
    places the indicators after 成效 whether or not 成效 is written."""
    return [
        {"name": name, "label": label, "text": text}
        for name, (label, text) in zip(case_fields.BODY, case_fields.sections(case), strict=True)
    ]


@register.filter
def region_path(case) -> str:
    """Province · prefecture · county of a case, skipping statistical groupings (市辖区).

    The prefecture is shown only when the caller selected it (no query from a template).
    """
    parts = [case.province.name]
    prefecture = case.prefecture if Case._meta.get_field("prefecture").is_cached(case) else None
    if prefecture is not None and prefecture.kind != "grouping" and prefecture.code != case.province_id:
        parts.append(prefecture.name)
    if case.region_id not in {case.province_id, getattr(prefecture, "code", None)}:
        parts.append(case.region.name)
    return " · ".join(parts)


@register.filter
def days_left(moment) -> int | None:
    """Whole calendar days from today to `moment` in Asia/Shanghai (0 on the last day)."""
    if moment is None:
        return None
    today = timezone.localdate()
    return (timezone.localtime(moment).date() - today).days


def _cover(case):
    images = list(case.images.all())
    return next((i for i in images if i.is_cover), images[0] if images else None)


@register.simple_tag
def cover_of(case):
    """The cover CaseImage of a case (from the prefetched images), or None."""
    return _cover(case)


@register.simple_tag
def facet_options(group: dict):
    """The checkboxes of one facet group. In Python rather than a template loop: the library
    page shows ~60 of them on every search (a template render per option was ~3 ms)."""
    key = group["key"]
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="{}" value="{}" id="f-{}-{}"{}>\n'
        '              <label for="f-{}-{}">{} <span class="count">（{}）</span></label></li>',
        ((key, o.value, key, i, mark_safe(" checked") if o.checked else "", key, i, o.label, localize(o.count))  # noqa: S308
         for i, o in enumerate(group["options"], 1)),
    )


@register.simple_tag
def result_item(hit: dict) -> str:
    """One search result of the library (`case`, `title_html`, `text_html`: website.library_views.library).
    In Python rather than a template: 20 per page, ~15 lookups, two dates, a URL and an image
    each (docs/performance.md)."""
    case = hit["case"]
    cover = _cover(case)
    media = format_html('<div class="result-media">{}</div>', card_image(cover, "(min-width: 48em) 12rem, 100vw")) if cover else ""
    tier = format_html('<span class="badge tier-{}">{}</span>', case.tier.code, case.tier.title) if case.tier else ""
    place = case.province.name if case.region_id == case.province_id else f"{case.province.name} · {case.region.name}"
    published = ""
    if case.published_at:
        local = timezone.localtime(case.published_at)
        published = format_html('<span>{} <time datetime="{}">{}</time></span>', gettext("发布于"),
                                dateformat.format(local, "c"), formats.date_format(local, "Y年n月j日"))
    snippet = hit["text_html"] or Truncator(case.summary).chars(120)
    missing = ""
    if hit.get("missing"):
        # A partial match: the query's words this case lacks, struck through (as search engines show them).
        words = format_html_join(" ", "<s>{}</s>", ((w,) for w in hit["missing"]))
        missing = format_html('\n<p class="missing">{}{}</p>', gettext("缺少："), words)
    return format_html(
        '<li class="result">\n<article aria-labelledby="r-{pk}">\n{media}\n<div class="result-body">\n'
        '<h3 id="r-{pk}"><a href="{url}">{title}</a></h3>\n<p class="meta">\n{tier}\n<span>{place}</span>\n'
        '<span>{year}{year_unit}</span>\n{published}\n</p>\n<p class="snippet">{snippet}</p>{missing}\n</div>\n</article>\n</li>',
        pk=case.pk, media=media, url=reverse("website:case", args=[case.pk]), title=hit["title_html"] or case.title,
        tier=tier, place=place, year=case.campaign.year, year_unit=gettext("年"), published=published, snippet=snippet,
        missing=missing,
    )


@register.simple_tag
def card_image(case_image, sizes: str = "(min-width: 48em) 20rem, 100vw", loading: str = "lazy"):
    """A 16:9 card image with a srcset of the fill renditions and the editor's alt text."""
    if case_image is None:
        return ""
    srcset = ", ".join(f"{image_url(case_image, spec)} {w}w" for spec, w, _h in CARD_SPECS)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="640" height="360" alt="{}" loading="{}" decoding="async">',
        image_url(case_image, "fill-640x360"), srcset, sizes, case_image.alt, loading,
    )


@register.simple_tag
def gallery_image(case_image, loading: str = "lazy"):
    """A gallery image, never cropped, with a srcset of the max renditions and its real size."""
    img = case_image.image
    sizes, widths = [], set()
    for spec, w, h in GALLERY_SPECS:
        fit_w, fit_h = fitted(img.width, img.height, w, h)
        if fit_w not in widths:  # a small original gives the same size twice: list it once
            widths.add(fit_w)
            sizes.append((spec, fit_w, fit_h))
    srcset = ", ".join(f"{image_url(case_image, spec)} {w}w" for spec, w, _h in sizes)
    _spec, width, height = sizes[0]
    return format_html(
        '<img src="{}" srcset="{}" sizes="(min-width: 60em) 50rem, 100vw" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async">',
        image_url(case_image, sizes[0][0]), srcset, width, height, case_image.alt, loading,
    )


@register.simple_tag
def json_ld(data: dict):
    """A JSON-LD block; `<`, `>` and `&` are escaped so case text cannot close the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes them).

    With nothing left it is the bare path, so that page 1 has one URL, the one the front
    cache purges (`/campaigns/x/`, not `/campaigns/x/?`).
    """
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "" or (key == "page" and str(value) == "1"):
            params.pop(key, None)
        else:
            params.setlist(key, [str(value)])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.simple_tag
def hidden_inputs(params: list[tuple[str, str]]):
    """Hidden fields that carry the current state through a GET form."""
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', params)


@register.filter
def urlencode_pairs(pairs) -> str:
    return urlencode(list(pairs))


@register.simple_tag(takes_context=True)
def nav_link(context, href: str, text: str):
    """A navigation link, marked as the current page when the path is under `href`."""
    request = context.get("request")
    path = request.path if request is not None else ""
    current = path == href if href == "/" else path.startswith(href)
    return format_html('<a href="{}"{}>{}</a>', href, mark_safe(' aria-current="page"') if current else "", text)
