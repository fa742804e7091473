"""Search as people type (issue 20): synonyms (both kinds), partial matches ranked instead of
vanishing, homophone typo correction on the page and in the API, and the secretariat's
dictionary in the admin. Runs on SQLite and PostgreSQL alike (the database backend)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from search import synonym_edits, synonyms
from search.models import SynonymGroup
from search.query import SearchQuery
from search.service import search_cases
from tests import factories
from tests.search.conftest import import_case

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    from cases.models import Case

    names = dict(Case.objects.filter(pk__in=results.case_ids).values_list("pk", "title"))
    return [names[cid] for cid in results.case_ids]


def add_case(corpus, django_capture_on_commit_callbacks, title: str, summary: str, day: int = 20):
    with django_capture_on_commit_callbacks(execute=True):
        return import_case(corpus.campaigns["c2025"], title=title, region="320100", day=day, summary=summary)


def test_the_shipped_dictionary_has_at_least_150_justified_groups():
    rows = list(SynonymGroup.objects.all())
    assert len(rows) >= 150
    # Each group names the word that justifies it, in the policy texts or the cases.
    assert all(re.search(r"(政策文件|案例)：\S", r.note) for r in rows)
    assert all(synonyms.parse_rule(r.terms, r.targets) for r in rows)


def test_an_equivalent_word_finds_the_case_and_the_word_as_typed_ranks_first(db_corpus, django_capture_on_commit_callbacks):
    # 长者 is not in any case: the shipped group 老年人/老人/长者 finds the case about 老年人.
    results = search_cases(SearchQuery(q="长者 智能手机"))
    assert results.case_ids[0] == db_corpus.id("运用智能技术") and not results.hits[0].missing
    # A group the secretariat adds works at once, both ways; the case using the typed word comes first.
    staff = factories.secretariat(username="syn-staff")
    synonym_edits.save_group(SynonymGroup(terms="兵哥哥、退役军人"), by=staff)
    other = add_case(db_corpus, django_capture_on_commit_callbacks, "兵哥哥学电商当主播", "军营出来的兵哥哥开网店。")
    veterans = db_corpus.id("退役军人数字技能培训基地")
    assert search_cases(SearchQuery(q="退役军人")).case_ids[:2] == [veterans, other.pk]
    assert search_cases(SearchQuery(q="兵哥哥")).case_ids[:2] == [other.pk, veterans]


def test_a_one_way_expansion_finds_the_general_word_but_not_the_reverse(db_corpus, django_capture_on_commit_callbacks):
    # Shipped: 菜农, 果农 ... => 农民.
    results = search_cases(SearchQuery(q="果农 手机"))
    assert results.case_ids[0] == db_corpus.id("数字乡村") and not results.hits[0].missing
    orchard = add_case(db_corpus, django_capture_on_commit_callbacks, "果农直播卖脐橙", "合作社的果农学会了开网店。")
    assert orchard.pk in search_cases(SearchQuery(q="果农")).case_ids
    assert orchard.pk not in search_cases(SearchQuery(q="农民")).case_ids


def test_a_disabled_group_no_longer_expands(db_corpus):
    staff = factories.secretariat(username="syn-staff")
    group = SynonymGroup.objects.get(terms__startswith="老年人、老人、长者")
    before = synonym_edits.describe(group)
    group.enabled = False
    synonym_edits.save_group(group, by=staff, before=before)
    assert db_corpus.id("运用智能技术") not in search_cases(SearchQuery(q="长者")).case_ids


def test_partial_matches_rank_below_full_ones_and_say_what_they_lack(db_corpus):
    results = search_cases(SearchQuery(q="农民 培训"))
    assert results.case_ids[0] == db_corpus.id("数字乡村") and not results.hits[0].missing
    assert results.full_total == 1 and results.total > 1
    assert all(h.missing for h in results.hits[1:])
    # A word that occurs nowhere never empties the page: the others are found, and it is named.
    results = search_cases(SearchQuery(q="量子纠缠 老年人"))
    assert results.total >= 2 and results.missing_words == ("量子", "纠缠")
    assert all(h.missing == ("量子", "纠缠") for h in results.hits)
    assert search_cases(SearchQuery(q="量子纠缠")).total == 0


def test_an_exact_phrase_still_ranks_first(db_corpus, django_capture_on_commit_callbacks):
    apart = add_case(db_corpus, django_capture_on_commit_callbacks, "社区服务和老年人的数字生活",
                     "智能设备走进社区，老年人学会了手机支付。", day=21)
    results = search_cases(SearchQuery(q="服务老年人"))
    assert results.case_ids[0] == db_corpus.id("运用智能技术")  # has the phrase itself
    assert apart.pk in results.case_ids


def test_a_homophone_typo_is_corrected_on_the_page_and_both_links_keep_the_filters(client, db_corpus):
    # 手机 is in two cases (in two provinces): clearly more than nothing, so they are shown.
    html = client.get("/cases/?q=手基&province=440000&province=330000&sort=relevance").content.decode()
    assert "已为您显示“" in html and "仍然搜索“" in html
    corrected = re.search(r'已为您显示“<a href="([^"]+)"><strong>([^<]+)</strong>', html)
    original = re.search(r'仍然搜索“<a href="([^"]+)">', html)
    assert corrected.group(2) == "手机"
    for link in (corrected.group(1), original.group(1)):
        link = link.replace("&amp;", "&")
        assert "province=440000&province=330000" in link and "sort=relevance" in link
    assert "correct=0" in original.group(1)
    shown = [int(i) for i in re.findall(r'<article aria-labelledby="r-(\d+)">', html)]
    assert set(shown) == db_corpus.ids("运用智能技术", "数字乡村")
    # Following the corrected link: its own results, no correction; following the original: none either.
    followed = client.get("/cases/" + corrected.group(1).replace("&amp;", "&")).content.decode()
    assert "已为您显示" not in followed
    assert [int(i) for i in re.findall(r'<article aria-labelledby="r-(\d+)">', followed)] == shown
    as_typed = client.get("/cases/" + original.group(1).replace("&amp;", "&")).content.decode()
    assert "已为您显示" not in as_typed and "您要找的是" not in as_typed


def test_a_correction_that_finds_only_a_little_more_is_offered(client, db_corpus):
    # 反诈 occurs in one case: not clearly more than nothing, so it is suggested, not imposed.
    results = search_cases(SearchQuery(q="反炸"))
    assert results.suggested_query == "反诈" and results.corrected_query == ""
    html = client.get("/cases/?q=反炸&province=440000").content.decode()
    link = re.search(r'您要找的是“<a href="([^"]+)"><strong>反诈</strong></a>”？', html)
    assert link and "province=440000" in link.group(1)
    body = client.get("/api/v1/cases", {"q": "反炸"}).json()
    assert body["suggested_query"] == "反诈" and body["corrected_query"] == ""
    body = client.get("/api/v1/cases", {"q": "手基"}).json()
    assert body["corrected_query"] == "手机" and body["count"] == 2
    assert client.get("/api/v1/cases", {"q": "手基", "correct": "0"}).json()["corrected_query"] == ""


def test_expansion_costs_no_extra_query(client, db_corpus, settings):
    settings.SEARCH_RESULTS_CACHE_SECONDS = 0  # both answered afresh (the answer cache: test_answer_cache.py)
    client.get("/cases/?q=手机")  # collection statistics and the dictionary cached from here on
    with CaptureQueriesContext(connection) as plain:
        client.get("/cases/?q=手机")
    with CaptureQueriesContext(connection) as expanded:
        client.get("/cases/?q=长者")  # 老年人, 老人, 银发族 ... expanded in the same queries
    assert len(expanded) == len(plain)


def test_the_secretariat_edits_the_dictionary_in_the_admin_and_the_audit_log_says_who(client, db_corpus):
    staff = factories.secretariat(username="syn-admin")
    client.force_login(staff)
    response = client.post("/admin/synonyms/new/", {"terms": "银发达人，老年人", "targets": "", "note": "案例：老年人",
                                                   "enabled": "on"})
    assert response.status_code == 302
    group = SynonymGroup.objects.get(terms="银发达人、老年人")
    event = AuditEvent.objects.get(action="search.synonyms", object_id=str(group.pk))
    assert event.username == "syn-admin" and event.details["after"]["terms"] == "银发达人、老年人"
    assert db_corpus.id("运用智能技术") in search_cases(SearchQuery(q="银发达人")).case_ids
    # A bad group is a Chinese message on the form, and nothing is saved.
    response = client.post("/admin/synonyms/new/", {"terms": "孤词", "targets": "", "note": "", "enabled": "on"})
    assert response.status_code == 200 and "同义词组至少需要两个词" in response.content.decode()
    # An edit records the group before and after.
    client.post(f"/admin/synonyms/edit/{group.pk}/", {"terms": "银发达人、老年人、老寿星", "targets": "", "note": "",
                                                       "enabled": "on"})
    edit = AuditEvent.objects.filter(action="search.synonyms", object_id=str(group.pk)).latest("at")
    assert edit.details["before"]["terms"] == "银发达人、老年人" and edit.details["after"]["terms"].endswith("老寿星")
    # Other roles never see it.
    client.force_login(factories.reviewer(username="syn-reviewer"))
    assert client.get("/admin/synonyms/").status_code in (302, 403, 404)
