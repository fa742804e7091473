"""Every URL pattern of the project, classified. An unclassified pattern fails the matrix.

Our own routes are listed one by one with the objects they are exercised with (OBJECT_ROUTES)
or with their audience (STATIC_ROUTES). Wagtail's own admin is classified by prefix
(WAGTAIL_RULES): its content pages belong to the secretariat; whatever touches images or
documents is exercised with the cases' real image and document ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    route: str  # the full pattern as written, e.g. "files/images/<int:pk>/<str:spec>/"
    name: str


def walk(patterns=None, prefix: str = "", ns: str = "") -> list[Pattern]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    out: list[Pattern] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            out.append(Pattern(prefix + str(p.pattern), ns + (p.name or "")))
    return out


# --- our object routes: route → object kind (oracle rules live in checks_*.py) -----------------
CASE = "case"
OBJECT_ROUTES: dict[str, str] = {
    # site
    "cases/<int:pk>/": CASE,
    "notices/<int:pk>/": CASE,
    "notices/<int:pk>/received/": CASE,
    # files
    "files/cases/<int:pk>/application.pdf": CASE,
    "files/attachments/<int:pk>/": "attachment",
    "files/images/<int:pk>/<str:spec>/": "image",
    "documents/^(\\d+)/(.*)$": "document",
    # API, signed in
    "api/v1/submissions/<id:pk>": CASE,
    "api/v1/submissions/<id:pk>/images": CASE,
    "api/v1/submissions/<id:pk>/attachments": CASE,
    "api/v1/submissions/<id:pk>/images/<id:image_id>": "image",
    "api/v1/submissions/<id:pk>/attachments/<id:att_id>": "attachment",
    "api/v1/submissions/<id:pk>/transitions": CASE,
    "api/v1/submissions/<id:pk>/transitions/<str:name>": CASE,
    "api/v1/submissions/<id:pk>/history": CASE,
    "api/v1/submissions/<id:pk>/scores": CASE,
    "api/v1/submissions/<id:pk>/objections": CASE,
    "api/v1/submissions/<id:pk>/similarity": CASE,
    "api/v1/reviews/<id:pk>": "assignment",
    "api/v1/reviews/<id:pk>/conflict": "assignment",
    "api/v1/objections/<id:pk>/ruling": "objection",
    "api/v1/campaigns/<str:slug>": "campaign",
    "api/v1/campaigns/<str:slug>/ranking": "campaign",
    "api/v1/campaigns/<str:slug>/assignments": "campaign",
    "api/v1/campaigns/<str:slug>/notice": "campaign",
    "api/v1/campaigns/<str:slug>/publish": "campaign",
    # API, public
    "api/v1/cases/<id:pk>": CASE,
    "api/v1/cases/<id:pk>/objections": CASE,
    "api/v1/cases/<id:pk>/adoptions": CASE,
    # admin: cases
    "admin/cases/edit/<int:pk>/": CASE,
    "admin/cases/inspect/<int:pk>/": CASE,
    "admin/cases/files/<int:pk>/": CASE,
    "admin/cases/action/<int:pk>/<slug:name>/": CASE,
    "admin/cases/extend/<int:pk>/": CASE,
    # admin: 查重
    "admin/similarity/<int:pk>/": CASE,
    "admin/similarity/<int:pk>/source/<int:source_id>/": CASE,
    "admin/similarity/<int:pk>/report.pdf": CASE,
    "admin/similarity/<int:pk>/self-check/": CASE,
    # admin: reviews, desk, nomination, accounts
    "admin/reviews/<int:pk>/": "assignment",
    "admin/desk/<int:campaign_id>/": "campaign",
    "admin/desk/<int:campaign_id>/check/": "campaign",
    "admin/desk/<int:campaign_id>/check.xlsx": "campaign",
    "admin/desk/<int:campaign_id>/pool/": "campaign",
    "admin/desk/<int:campaign_id>/pool/<int:member_id>/": "campaign",
    "admin/desk/<int:campaign_id>/assignments/": "campaign",
    "admin/desk/<int:campaign_id>/ranking/": "campaign",
    "admin/desk/<int:campaign_id>/ranking.xlsx": "campaign",
    "admin/desk/<int:campaign_id>/scores.xlsx": "campaign",
    "admin/desk/<int:campaign_id>/notice/": "campaign",
    "admin/desk/objections/<int:pk>/": "objection",
    "admin/desk/objections/<int:pk>/evidence/": "objection",
    "admin/adoptions/<int:pk>/": "adoption",
    "admin/nomination/<int:campaign_id>/<int:category_id>/": "campaign",
    "admin/nomination/<int:campaign_id>/sheet.xlsx": "campaign",
    "admin/campaigns/edit/<int:pk>/": "campaign",
    "admin/campaigns/delete/<int:pk>/": "campaign",
    "admin/campaigns/history/<int:pk>/": "campaign",
    "admin/campaigns/history-results/<int:pk>/": "campaign",
    "admin/campaigns/usage/<int:pk>/": "campaign",
    "campaigns/<slug:slug>/": "campaign",
    "campaigns/<slug:slug>/compilation.pdf": "campaign",
    "admin/accounts/<int:pk>/edit/": "user",
    "admin/accounts/<int:pk>/<slug:operation>/": "user",
}

# --- our routes without an object: route → audience ---------------------------------------------
PUBLIC = "public"  # everyone, 200; content as the public sees it
NOTICE_LIST = "notice_list"  # public, and cases in 公示 may be named
SIGNED_IN_ADMIN = "admin"  # anonymous → sign-in page; every role 200
STAFF_ONLY = "staff"  # anonymous → sign-in page; other roles 404
REVIEWER_ONLY = "reviewer"
RECOMMENDER_ONLY = "recommender"
ACCOUNTS = "accounts"  # secretariat and recommenders (their province's submitter accounts)
API_SIGNED_IN = "api"  # anonymous 401; every role 200 (content per role)
API_REVIEWER = "api_reviewer"  # anonymous 401; reviewers 200; others 403
API_STAFF_POST = "api_staff_post"
NOT_A_PAGE = "not_a_page"  # sign-in, sign-out, password reset, switches, catch-alls: no case data
STATIC_ROUTES: dict[str, str] = {
    "cases/": PUBLIC,
    "campaigns/": PUBLIC,
    "notices/": NOTICE_LIST,
    "notices/lookup/": PUBLIC,  # 异议进度查询: a form; answers only with reference + phone digits
    "cases.csv": PUBLIC,
    "feeds/cases.xml": PUBLIC,
    "sitemap.xml": PUBLIC,
    "stats/": PUBLIC,
    "^((?:[\\w\\-]+/)*)$": PUBLIC,  # Wagtail pages: home, /about/, /privacy/
    "api/v1/campaigns": PUBLIC,
    "api/v1/regions": PUBLIC,
    "api/v1/notices": NOTICE_LIST,
    "api/v1/cases": PUBLIC,
    "api/v1/openapi.json": PUBLIC,
    "api/v1/docs": PUBLIC,
    "api/v1/me": API_SIGNED_IN,
    "api/v1/submissions": API_SIGNED_IN,
    "api/v1/reviews": API_REVIEWER,
    "admin/": SIGNED_IN_ADMIN,
    "admin/cases/": SIGNED_IN_ADMIN,
    "admin/cases/results/": SIGNED_IN_ADMIN,
    "admin/cases/new/": SIGNED_IN_ADMIN,  # submitters get the form, others are sent away
    "admin/notifications/": SIGNED_IN_ADMIN,
    "admin/account/": SIGNED_IN_ADMIN,
    "admin/desk/": STAFF_ONLY,
    "admin/adoptions/": STAFF_ONLY,
    "admin/audit/": STAFF_ONLY,
    "admin/search-status/": STAFF_ONLY,
    "admin/campaigns/": STAFF_ONLY,
    "admin/campaigns/results/": STAFF_ONLY,
    "admin/campaigns/new/": STAFF_ONLY,
    "admin/reviews/": REVIEWER_ONLY,
    "admin/nomination/": RECOMMENDER_ONLY,
    "admin/accounts/": ACCOUNTS,
    "admin/accounts/new/": ACCOUNTS,
    "display/": NOT_A_PAGE,
    "health/search": NOT_A_PAGE,  # monitoring: states and counts, no case data
    "api/v1/auth/token": NOT_A_PAGE,
    # POST only (a submitter's 自查 against published cases): tests/similarity/test_api.py.
    "api/v1/similarity/self-check": NOT_A_PAGE,
    "api/v1/^(?P<rest>.*)$": NOT_A_PAGE,
    "^api/(?P<rest>.*)$": NOT_A_PAGE,
    "admin/notifications/read/": NOT_A_PAGE,
    "admin/security/session/status/": NOT_A_PAGE,
    "admin/security/session/extend/": NOT_A_PAGE,
    "admin/security/totp/": NOT_A_PAGE,
    "admin/security/totp/verify/": NOT_A_PAGE,
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": NOT_A_PAGE,
    "_util/login/": NOT_A_PAGE,
    "documents/authenticate_with_password/<int:restriction_id>/": NOT_A_PAGE,
}

# --- Wagtail's own admin, by prefix ------------------------------------------------------------
WAGTAIL_STAFF = "wagtail_staff"  # anonymous → sign-in; non-staff never 200 with content
WAGTAIL_MEDIA = "wagtail_media"  # as WAGTAIL_STAFF, exercised with the cases' image/document ids
WAGTAIL_ANY = "wagtail_any"  # any admin user (sign-in, sprite, i18n, dismissibles): no case data
WAGTAIL_RULES: list[tuple[str, str]] = [
    (r"^admin/(login|logout|password_reset|jsi18n|sprite|dismissibles|test404|failwhale)/", WAGTAIL_ANY),
    (r"^admin/\^\.\*/\$$", WAGTAIL_ANY),  # the admin's own 404 catch-all
    (r"^admin/(editing-sessions|block-preview|tag-autocomplete|choose-[a-z-]+)/", WAGTAIL_ANY),
    (r"^admin/(images|documents)/", WAGTAIL_MEDIA),
    (r"^admin/api/main/\^(images|documents)/", WAGTAIL_MEDIA),
    (r"^admin/(api/main/\^pages|pages|bulk|collections|workflows|reports|forms|redirects|settings|sites|"
     r"users|groups|snippets|embeds|synonyms)/", WAGTAIL_STAFF),
]


def classify(pattern: Pattern) -> tuple[str, str] | None:
    """("object", kind) | ("static", audience) | ("wagtail", group), or None when unclassified."""
    if pattern.route in OBJECT_ROUTES:
        return "object", OBJECT_ROUTES[pattern.route]
    if pattern.route in STATIC_ROUTES:
        return "static", STATIC_ROUTES[pattern.route]
    for rule, group in WAGTAIL_RULES:
        if re.search(rule, pattern.route):
            return "wagtail", group
    return None


_PARAM = re.compile(r"<(?:(?P<conv>[a-z_]+):)?(?P<name>\w+)>")


def fill(route: str, **values) -> str:
    """A concrete path for `route`: named parameters from `values`, others from the converter."""

    def one(m: re.Match) -> str:
        name, conv = m.group("name"), m.group("conv") or "str"
        if name in values:
            return str(values[name])
        return str(values.get(f"_{conv}", {"int": 1, "id": 1, "case_id": 1}.get(conv, "x")))

    path = route.replace(
        "(?P<revision_id_a>live|earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)", "earliest...latest"
    )
    path = path.replace("(?P<pk>\\d+)", str(values.get("_int", 1))).replace("(?P<rest>.*)", "nothing-here")
    path = path.replace("(\\d+)", str(values.get("_group1", 1))).replace("(.*)", str(values.get("_group2", "x")))
    path = path.replace("((?:[\\w\\-]+/)*)", "").replace(".*", "nothing-here")
    path = _PARAM.sub(one, path)
    return "/" + re.sub(r"[\^$\\]", "", path)
