"""Personal data (issue 8 §7): contact details never leave through a public output.

Cases in several states carry distinctive contacts, a case in 公示 has objections (one ruled),
a published case has an adoption whose reporter has an e-mail and a phone. Then every public
output is fetched — pages, feed, CSV, sitemap, the compilation PDF, every public API route,
the search's suggestions and related cases, and what both search backends store or would be
sent — and scanned for the seeded values and for anything shaped like a mainland phone number,
an 18-digit resident ID number or an e-mail address. Exports that do carry contacts are refused
to everyone docs/domain.md §3 does not allow, and audited when they are fetched.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from audit.models import AuditEvent
from cases import notice
from cases.adoptions import report_adoption
from cases.api import urls as api_urls
from cases.models import ObjectionOutcome
from search import service
from search.documents import make_document
from search.extract import case_text, searchable_cases
from search.models import CaseFacet, CaseIndex, IndexTerm
from tests import factories
from tests.api.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.files import pdf_upload
from tests.website.conftest import committed

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<![\d\w])(?:\(0\d{2,3}\)\s?|0\d{2,3}-)\d{7,8}(?!\d)")
ID_NUMBER = re.compile(
    r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PATTERNS = {"mobile": MOBILE, "landline": LANDLINE, "id_number": ID_NUMBER, "email": EMAIL}
# Matches that are public on purpose. Keep this list short and explicit:
# the example numbers the objection form shows as help ("如 13800138000 或 020-12345678").
# The site operator publishes no address or number (SITE_OPERATOR is a name; ICP_NUMBER is not a phone).
ALLOWED = {"13800138000", "020-12345678"}

CONTACTS = {
    # state: (region, contact name, phone, e-mail)
    "published": ("440100", "郑秀英", "13712340001", "zheng.xiuying@gz-contact.cn"),
    "published_landline": ("330100", "钱多宝", "0571-88812345", "qianduobao@hz-contact.cn"),
    "in_notice": ("420100", "孙悦然", "15912340003", "sunyueran@wh-contact.cn"),
    "draft": ("510100", "周子墨", "18612340004", "zhouzimo@cd-contact.cn"),
    "submitted": ("320100", "吴海燕", "13312340005", "wuhaiyan@nj-contact.cn"),
    "disqualified": ("370100", "郝建国", "17712340008", "haojianguo@jn-contact.cn"),
}
OBJECTORS = [
    ("冯志远", "13512340006", "fengzhiyuan@objector.cn", "44010619800101123X"),
    ("蒋丽华", "010-66612345", "jianglihua@objector.cn", "110105199001010029"),
]
ADOPTER = ("褚明", "13612340007", "chuming@adopt-contact.cn")


def _state_of(key: str) -> str:
    return "published" if key.startswith("published") else key


@pytest.fixture
def seeded(campaign):
    cases = {}
    for key, (region, name, phone, email) in CONTACTS.items():
        cases[key] = committed(
            _state_of(key), campaign=campaign, region_code=region, title=f"{region}数字技能典型做法",
            contact_name=name, contact_phone=phone, contact_email=email,
        )
    noticed = cases["in_notice"]
    staff = factories.secretariat(username="pd-secretariat")
    objections = []
    for name, phone, email, id_number in OBJECTORS:
        with TestCase.captureOnCommitCallbacks(execute=True):
            objections.append(notice.submit_objection(
                case_id=noticed.pk, name=name, phone=phone, email=email, evidence=pdf_upload(),
                reason=f"本人{name}，身份证号{id_number}，电话{phone}，认为培训人次与公开报道不符。",
            ))
    notice.rule_objection(objection_id=objections[1].pk, by=staff, outcome=ObjectionOutcome.DISMISSED,
                          conclusion="经核查，数据有台账支撑。")
    adopter = factories.submitter("330100", username="pd-adopter", email=ADOPTER[2], phone=ADOPTER[1],
                                  first_name=ADOPTER[0])
    report_adoption(case_id=cases["published"].pk, by=adopter, since=date(2025, 6, 1),
                    summary="借鉴了社区课堂和志愿者结对的做法。", results="培训老年人三千人次。")
    call_command("build_compilations", stdout=io.StringIO())  # what publication (or cron) does
    return {"campaign": campaign, "cases": cases, "objections": objections, "staff": staff}


def secrets() -> list[str]:
    values = [v for _region, *rest in CONTACTS.values() for v in rest]
    values += [v for row in OBJECTORS for v in row] + list(ADOPTER)
    values += [e.split("@")[0] for e in values if "@" in e]  # the local part on its own
    values += ["".join(p.split("-")) for p in values if re.fullmatch(r"0\d{2,3}-\d{7,8}", p)]
    return values


def chinese_names() -> list[str]:
    return [row[1] for row in CONTACTS.values()] + [row[0] for row in OBJECTORS] + [ADOPTER[0]]


def leaks(text: str, echo: str = "") -> list[tuple[str, str]]:
    """Seeded values and personal-data-shaped strings found in `text` (whitespace-insensitive for
    values); `echo` is what the request itself typed (a search box shows the query back)."""
    if echo:
        text = text.replace(echo, "")
    flat = "".join(text.split())
    found = [("seeded", s) for s in secrets() if s in text or s in flat]
    for kind, pattern in PATTERNS.items():
        found += [(kind, m) for m in pattern.findall(text) if m not in ALLOWED]
    return found


def typed(url: str) -> str:
    """The q= of a URL: what the visitor typed, shown back to them."""
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query).get("q", [""])[0]


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return content.decode("utf-8-sig")


def test_the_scanner_finds_each_kind():
    sample = "电话 13912345678、(020)87654321、0755-1234567，身份证 44030519851231002X，a.b@x-y.com.cn"
    assert {kind for kind, _m in leaks(sample)} == {"mobile", "landline", "id_number", "email"}
    assert ("seeded", "郑秀英") in leaks("联系人：郑 秀英")  # values also across line breaks (PDF text)
    assert not leaks("案例编号 1234567890123，2026-12-01，¥12,000 元")


# --- the public site --------------------------------------------------------------------


def _route_names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _route_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def site_urls(seeded) -> dict[str, list[str]]:
    """Every public website and open-data route, with what it is fetched as."""
    c, slug = seeded["cases"], seeded["campaign"].slug
    published = [c["published"], c["published_landline"]]
    queries = chinese_names() + ["13712340001", "zheng.xiuying", "0571-88812345", "欺诈"]
    return {
        "website:library": ["/cases/", *[f"/cases/?q={q}" for q in queries], "/cases/?province=440000"],
        "website:case": [f"/cases/{p.pk}/" for p in published],
        "website:campaigns": ["/campaigns/"],
        "website:campaign": [f"/campaigns/{slug}/"],
        "website:notices": ["/notices/"],
        "website:notice": [f"/notices/{c['in_notice'].pk}/"],
        "website:objection_received": [],  # fetched after an objection, below
        "website:objection_lookup": ["/notices/lookup/"],  # its answer to a lookup: below
        "website:display": [],  # a redirect with cookies, no content
        "opendata:cases_csv": ["/cases.csv", "/cases.csv?q=郑秀英"],
        "opendata:feed": ["/feeds/cases.xml"],
        "opendata:sitemap": ["/sitemap.xml"],
        "opendata:stats": ["/stats/"],
        "opendata:compilation": [f"/campaigns/{slug}/compilation.pdf"],
        "wagtail": ["/", "/about/", "/privacy/"],
    }


def test_no_public_page_feed_csv_sitemap_or_compilation_shows_personal_data(client, seeded):
    assert seeded["cases"]["published"].contact_phone == "13712340001"  # the data is there to leak
    urls = site_urls(seeded)
    website_routes = {n for n in _route_names(get_resolver().url_patterns) if n.split(":")[0] in {"website", "opendata"}}
    assert website_routes <= set(urls), f"new public routes to scan: {website_routes - set(urls)}"

    found = {}
    for url in [u for group in urls.values() for u in group]:
        response = client.get(url)
        assert response.status_code == 200, url
        if hits := leaks(body_text(response), typed(url)):
            found[url] = hits
    assert not found


def test_searching_for_a_contact_finds_nothing(client, seeded):
    """Contacts are not indexed: a search for a name, a phone or an address has no results."""
    anon = Client()
    for q in [*chinese_names(), "13712340001", "15912340003", "zheng.xiuying", "88812345", "objector.cn"]:
        assert anon.get("/api/v1/cases", {"q": q}).json()["count"] == 0, q
        assert "没有找到符合条件的案例" in client.get("/cases/", {"q": q}).content.decode(), q


def test_the_objection_confirmation_shows_only_the_reference(client, seeded):
    noticed = seeded["cases"]["in_notice"]
    form = {"name": "卫东升", "phone": "13812340009", "email": "weidongsheng@objector.cn", "consent": "on",
            "reason": "该案例所称培训人次与当地公开报道的数据明显不符，请予核实。"}
    response = client.post(f"/notices/{noticed.pk}/", form)
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "异议已受理" in html
    assert not leaks(html) and "卫东升" not in html and "13812340009" not in html and "weidongsheng" not in html


def test_the_objection_lookup_shows_the_ruling_and_nothing_of_the_objector(client, seeded):
    ruled = seeded["objections"][1]
    response = client.post("/notices/lookup/", {"reference": ruled.reference, "phone_last4": ruled.phone[-4:]})
    html = response.content.decode()
    assert response.status_code == 200 and "经核查，数据有台账支撑。" in html
    assert not leaks(html), leaks(html)
    assert ruled.name not in html and ruled.email not in html and ruled.phone not in html
    assert "身份证号" not in html  # the reason, which quotes the objector, is not shown


# --- the public API ---------------------------------------------------------------------

SIGNED_IN_ONLY = {
    "api-me", "api-submissions", "api-submission", "api-submission-images", "api-submission-image",
    "api-submission-attachments", "api-submission-attachment", "api-transitions", "api-transition",
    "api-history", "api-submission-scores", "api-submission-objections", "api-campaign-ranking",
    "api-campaign-assignments", "api-campaign-notice", "api-campaign-publish", "api-objection-ruling",
    "api-reviews", "api-review", "api-review-conflict", "api-case-adoptions", "api-submission-similarity",
}
POST_ONLY = {"api-token", "api-case-objections", "api-similarity-self-check"}


def public_api_urls(seeded) -> dict[str, list[str]]:
    c, slug = seeded["cases"], seeded["campaign"].slug
    base = "/api/v1"
    return {
        "api-cases": [f"{base}/cases", f"{base}/cases?q=郑秀英", f"{base}/cases?q=数字技能&page_size=100"],
        "api-case": [f"{base}/cases/{c[k].pk}" for k in ("published", "published_landline", "in_notice")],
        "api-campaigns": [f"{base}/campaigns"],
        "api-campaign": [f"{base}/campaigns/{slug}"],
        "api-regions": [f"{base}/regions", f"{base}/regions?parent=440000"],
        "api-notices": [f"{base}/notices", f"{base}/notices?campaign={slug}"],
    }


def _kwargs(pattern: URLPattern, seeded) -> dict:
    values = {"pk": seeded["cases"]["in_notice"].pk, "slug": seeded["campaign"].slug, "name": "submit"}
    return {key: values.get(key, 1) for key in pattern.pattern.converters}


def test_no_public_api_route_returns_personal_data(seeded):
    urls = public_api_urls(seeded)
    routes = {p.name: p for p in api_urls.api_patterns}
    assert set(routes) == set(urls) | SIGNED_IN_ONLY | POST_ONLY, "classify the new API route"

    anon = Client()
    found = {}
    for url in [u for group in urls.values() for u in group] + ["/api/v1/openapi.json", "/api/v1/docs"]:
        response = anon.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        if hits := leaks(body_text(response), typed(url)):
            found[url] = hits
    assert not found
    # The signed-in routes answer an anonymous caller with 401 and nothing else.
    from django.urls import reverse

    for name in SIGNED_IN_ONLY:
        url = reverse(name, kwargs=_kwargs(routes[name], seeded))
        response = anon.get(url)
        assert response.status_code in (401, 405), (url, response.status_code)
        assert not leaks(body_text(response)), url


# --- the search indexes -----------------------------------------------------------------


def test_search_indexes_suggestions_and_related_cases_hold_no_personal_data(seeded):
    c = seeded["cases"]
    published = {c["published"].pk, c["published_landline"].pk}
    assert set(CaseIndex.objects.values_list("pk", flat=True)) == published

    rows = {
        "index": list(CaseIndex.objects.values("case_id", "title")),
        "terms": list(IndexTerm.objects.values_list("term", flat=True)),
        "facets": list(CaseFacet.objects.values_list("dimension", "value")),
    }
    dump = json.dumps(rows, ensure_ascii=False)
    assert not leaks(dump)
    # Names are indexed as words and bigrams: none of their pieces is a term.
    terms = set(rows["terms"])
    for name in chinese_names():
        pieces = {name} | {name[i:i + 2] for i in range(len(name) - 1)}
        assert not pieces & terms, name

    # What the Elasticsearch backend would be sent for each published case.
    documents = [make_document(case_text(case)).to_dict(include_meta=True) for case in searchable_cases()]
    assert {d["_id"] for d in documents} == published
    assert not leaks(json.dumps(documents, ensure_ascii=False, default=str))

    answers = [service.suggest(name[:2]) for name in chinese_names()] + [service.suggest("4401")]
    answers.append([h.highlight for h in service.related_cases(c["published"], limit=5)])
    assert not leaks(json.dumps(answers, ensure_ascii=False))


# --- exports that do carry contacts -------------------------------------------------------


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_application_pdf_only_for_who_may_see_contacts_and_audited(seeded):
    """The printable 申报书 carries the contacts: the secretariat and the case's own submitter and
    recommender (docs/domain.md §3); nobody else, and every fetch is in the audit log."""
    case = seeded["cases"]["published"]
    url = f"/files/cases/{case.pk}/application.pdf"
    allowed = {
        "secretariat": seeded["staff"],
        "own submitter": factories.submitter("440100", username=f"sub-{case.region_id}"),
        "own recommender": factories.recommender("440000", username="rec-440000"),
    }
    refused = {
        "anonymous": None,
        "reviewer": factories.reviewer("110000", username="rev-110000"),
        "other submitter": factories.submitter("330100", username="pd-sub-zj"),
        "other recommender": factories.recommender("330000", username="pd-rec-zj"),
    }
    for who, user in refused.items():
        response = (_signed_in(user) if user else Client()).get(url)
        assert response.status_code == 404, who
    denied = AuditEvent.objects.filter(action="file.download", outcome="denied", object_id=str(case.pk))
    assert denied.count() == len(refused)

    for who, user in allowed.items():
        response = _signed_in(user).get(url)
        assert response.status_code == 200, who
        assert "13712340001" in body_text(response), who
        event = AuditEvent.objects.filter(action="file.download", outcome="success").order_by("-pk").first()
        assert event.object_type == "cases.case.application" and event.object_id == str(case.pk)
        assert event.username == user.username


def test_objection_list_only_for_the_secretariat_and_audited(seeded):
    case = seeded["cases"]["in_notice"]
    url = f"/api/v1/submissions/{case.pk}/objections"
    refused = [
        factories.submitter("420100", username=f"sub-{case.region_id}"),
        factories.recommender("420000", username="rec-420000"),
        factories.reviewer("110000", username="rev-110000"),
    ]
    for user in refused:
        response = sign_in(user, DEFAULT_PASSWORD).get(url)
        assert response.status_code in (403, 404), user.username
        assert not leaks(response.content.decode()), user.username
    assert Client().get(url).status_code == 401

    before = AuditEvent.objects.filter(action="export").count()
    staff = sign_in(seeded["staff"], DEFAULT_PASSWORD)
    response = staff.get(url)
    assert response.status_code == 200
    assert {o["phone"] for o in response.json()} == {row[1] for row in OBJECTORS}
    events = AuditEvent.objects.filter(action="export").order_by("pk")[before:]
    assert [(e.username, e.details.get("export"), e.object_id) for e in events] == [
        (seeded["staff"].username, "objections", str(case.pk))
    ]


def test_nomination_sheet_only_for_the_province_recommender_and_audited(seeded):
    """The 推荐汇总表 lists contacts; docs/domain.md §3 lets a recommender see its own province's, so the
    sheet is the recommender's (the secretariat has the case pages); everyone else is refused."""
    campaign = seeded["campaign"]
    url = f"/admin/nomination/{campaign.pk}/sheet.xlsx"
    for user in (seeded["staff"], factories.submitter("440100", username="sub-440100"),
                 factories.reviewer("110000", username="rev-110000")):
        assert _signed_in(user).get(url).status_code == 404, user.username
    assert Client().get(url).status_code == 302  # to the sign-in page

    from openpyxl import load_workbook

    def cells(response) -> str:
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return json.dumps([list(r) for r in sheet.iter_rows(values_only=True)], ensure_ascii=False, default=str)

    gd = factories.recommender("440000", username="rec-440000")
    text = cells(_signed_in(gd).get(url))
    assert "13712340001" in text and "郑秀英" in text and "钱多宝" not in text
    event = AuditEvent.objects.filter(action="export").order_by("-pk").first()
    assert event.username == gd.username and event.details == {"export": "nomination_sheet", "province": "440000"}
    # Another province's recommender gets its own province's sheet, without Guangdong's contacts.
    zj_text = cells(_signed_in(factories.recommender("330000", username="pd-rec-zj")).get(url))
    assert "郑秀英" not in zj_text and "钱多宝" in zj_text


def test_score_and_ranking_sheets_carry_no_contacts_and_are_staff_only(seeded):
    campaign = seeded["campaign"]
    for name in ("scores", "ranking"):
        url = f"/admin/desk/{campaign.pk}/{name}.xlsx"
        for user in (factories.submitter("440100", username="sub-440100"),
                     factories.recommender("440000", username="rec-440000"),
                     factories.reviewer("110000", username="rev-110000")):
            assert _signed_in(user).get(url).status_code in (302, 403, 404), (name, user.username)
        response = _signed_in(seeded["staff"]).get(url)
        assert response.status_code == 200, name
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        text = json.dumps([list(r) for r in sheet.iter_rows(values_only=True)], ensure_ascii=False, default=str)
        assert not leaks(text), name
        assert AuditEvent.objects.filter(action="export").order_by("-pk").first().details["export"] == {"scores": "score_sheet", "ranking": "ranking_sheet"}[name]


def test_objection_evidence_is_not_served_as_a_public_document(seeded):
    """Objectors' evidence is a Wagtail document; its /documents/ address must not serve it."""
    objection = seeded["objections"][0]
    doc = objection.evidence
    response = Client().get(f"/documents/{doc.pk}/{doc.filename}")
    assert response.status_code == 404
    staff = _signed_in(seeded["staff"])
    assert staff.get(f"/admin/desk/objections/{objection.pk}/evidence/").status_code == 200
    event = AuditEvent.objects.filter(action="file.download").order_by("-pk").first()
    assert (event.object_type, event.object_id, event.username, event.outcome) == (
        "cases.objection.evidence", str(objection.pk), seeded["staff"].username, "success")

