"""Every admin page each role can reach reads in Chinese (issue 16, item 1).

Signs in as each role, crawls the admin from the dashboard (menu and page links, one page per
URL shape) plus the working pages of real objects, and fails on any visible Latin-script word
outside `latin.ALLOWED`. The data is Chinese, so whatever Latin is left is our chrome or Wagtail's.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases.models import Objection, ReviewAssignment
from tests import factories
from tests.workflow_paths import bring_to

from .latin import latin_words, menu_urls

pytestmark = pytest.mark.django_db

# Links a crawl must not follow: they change things, leave, or download files.
SKIP = re.compile(
    r"logout|delete|/bulk/|unpublish|revert|/lock/|/unlock/|/copy/|/move/|preview|jsi18n|sprite"
    r"|\.xlsx|sheet|export|download|evidence|/print|\.pdf|/usage/|history|/revisions/|workflow"
)
# A guard against a crawl that never ends, not a sample: the crawl must finish below it (the
# superuser reaches about 55 page shapes).
MAX_PAGES = 150


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k and not k.startswith(("p=", "ordering=")))
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client, start: list[str]) -> dict[str, str]:
    pages: dict[str, str] = {}
    queue, seen = list(start), set()
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for href in menu_urls(html) + re.findall(r'href="(/admin/[^"#]*)"', html):
            href = href.replace("&amp;", "&")
            if not SKIP.search(href) and shape(href) not in seen:
                queue.append(href)
    left = {shape(url) for url in queue} - seen
    assert not left, f"the crawl stopped at {MAX_PAGES} pages; not checked: {sorted(left)}"
    return pages


@pytest.fixture
def workspace(campaign):
    """A campaign with a case in each working state, reviews, an objection; Chinese names only."""
    bring_to("returned", campaign=campaign, region_code="440100", title="退回修改的社区助老案例")
    bring_to("recommended", campaign=campaign, region_code="440300", title="待形式审查的乡村课堂案例")
    reviewed = bring_to("in_review", campaign=campaign, region_code="440400", title="评审中的职业技能案例")
    notice_case = bring_to("in_notice", campaign=campaign, region_code="440500", title="公示中的数字阅读案例")
    Objection.objects.create(case=notice_case, name="张三", phone="13900000000", email="zhang@example.cn",
                             reason="数据与实际不符。")
    factories.submitter("440100", username="申报甲", first_name="申报甲")
    bring_to("draft", campaign=campaign, region_code="440100", title="正在填写的草稿案例")
    admin = factories.UserFactory(username="管理员", role=Role.ADMIN, region=None, is_superuser=True, is_staff=True)
    return {
        Role.SUBMITTER: factories.submitter("440100", username="sub-440100"),
        Role.RECOMMENDER: factories.recommender("440000", username="rec-440000"),
        Role.REVIEWER: ReviewAssignment.objects.filter(case=reviewed).first().reviewer,
        Role.SECRETARIAT: factories.secretariat(username="secretariat-test"),
        Role.ADMIN: admin,
    }


def known_urls(role: str, campaign, user) -> list[str]:
    if role in (Role.SECRETARIAT, Role.ADMIN):
        objection = Objection.objects.first()
        return [reverse(f"desk:{name}", args=[campaign.pk])
                for name in ("dashboard", "check", "pool", "assignments", "ranking", "notice")] + [
            reverse("desk:objection", args=[objection.pk]), reverse("audit_log"), reverse("accounts_admin:index"),
        ]
    if role == Role.REVIEWER:
        return [reverse("reviews:score", args=[a.pk]) for a in user.review_assignments.all()[:1]]
    if role == Role.RECOMMENDER:
        return [reverse("nomination:rank", args=[campaign.pk, campaign.categories.first().pk])]
    return [reverse("cases:add")]


@pytest.mark.parametrize("role", [Role.SUBMITTER, Role.RECOMMENDER, Role.REVIEWER, Role.SECRETARIAT, Role.ADMIN])
def test_every_reachable_admin_page_is_chinese(client, campaign, workspace, role):
    from accounts.models import User

    user = workspace[role]
    client.force_login(user)
    pages = crawl(client, ["/admin/", reverse("wagtailadmin_account"), *known_urls(role, campaign, user)])
    assert len(pages) >= 5
    from wagtail.models import Site

    from search.models import SynonymGroup

    # What people entered (account names, the site's host name, search synonyms such as
    # 政务app) is theirs, not our wording.
    data = (*User.objects.values_list("username", flat=True), *Site.objects.values_list("hostname", flat=True),
            *(text for group in SynonymGroup.objects.all() for text in (group.terms, group.targets)))
    problems = [(url, where, text, words) for url, html in pages.items()
                for where, text, words in latin_words(html, data=data)]
    assert not problems, "\n".join(f"{url} {where}: {text!r} -> {words}" for url, where, text, words in problems)


def test_sign_in_page_is_chinese_and_branded(client):
    html = client.get(reverse("wagtailadmin_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录典型案例库" in html and "<title>登录 - 典型案例库</title>" in html
    assert "Wagtail" not in html.split("</head>")[1].split("<script")[0]
    assert not latin_words(html)
