"""The search contract, run against every available backend (database always; Elasticsearch
when ELASTICSEARCH_URL is set): text, filters, facets, paging, sort, highlighting, related
cases, suggestions, and never anything unpublished."""

from __future__ import annotations

import pytest

from cases import workflow
from search.query import QueryError, SearchQuery
from search.service import related_cases, search_cases, suggest
from tests import factories
from tests.workflow_paths import bring_to

from .conftest import import_case

pytestmark = pytest.mark.django_db


def ids(results) -> list[int]:
    return [h.case_id for h in results.hits]


def facet(results, dim: str) -> dict:
    return {f.value: f.count for f in results.facets[dim]}


def test_answers_from_the_backend_under_test(corpus, backend_name):
    assert search_cases(SearchQuery(q="老年人")).backend == backend_name


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("老年人", {"运用智能技术", "政务服务应用"}),
        ("适老化", {"政务服务应用"}),
        ("退役军人", {"退役军人"}),
        ("数字乡村", {"数字乡村"}),
        ("人工智能", {"中小学生"}),
    ],
)
def test_words_find_the_cases_that_contain_them(corpus, q, first):
    results = search_cases(SearchQuery(q=q))
    expected = corpus.ids(*first)
    assert set(ids(results)[: len(expected)]) == expected


@pytest.mark.parametrize("fragment", ["术服务老", "让手机成为农", "化改造", "能技术服"])
def test_fragments_across_word_boundaries_still_find_the_case(corpus, fragment):
    results = search_cases(SearchQuery(q=fragment))
    assert ids(results), fragment
    owner = next(c.pk for t, c in corpus.cases.items() if fragment in t)
    assert ids(results)[0] == owner


def test_a_case_with_all_words_comes_before_those_with_some(corpus):
    """Only the first has both words; both backends also return the cases with one of them,
    after it and marked with the word they lack (issue 20)."""
    results = search_cases(SearchQuery(q="农民 手机"))
    assert ids(results)[0] == corpus.id("数字乡村") and not results.hits[0].missing
    assert len(results.hits) >= 2 and all(h.missing in (("农民",), ("手机",)) for h in results.hits[1:])
    assert results.full_total == 1
    both = search_cases(SearchQuery(q="农民 退役军人"))
    assert len(both.hits) >= 2 and all(h.missing for h in both.hits) and both.full_total == 0


def test_one_character_query_works(corpus):
    results = search_cases(SearchQuery(q="老"))
    assert corpus.ids("运用智能技术", "政务服务应用") <= set(ids(results))


def test_nothing_matches_nonsense(corpus):
    assert search_cases(SearchQuery(q="量子引力波")).total == 0
    assert search_cases(SearchQuery(q="！！！")).total == 0


def test_query_syntax_is_just_text(corpus):
    for q in ['老年人 AND "x"', "title:老年人", "*", "老年人 OR 1=1 --", "(", "{\"match_all\": {}}", "老年人~2^9"]:
        results = search_cases(SearchQuery(q=q))
        assert results.total < len(corpus.cases), q


def test_too_long_a_query_is_refused():
    with pytest.raises(QueryError) as exc:
        SearchQuery(q="老" * 201)
    assert exc.value.field == "q" and "200" in exc.value.message


def test_title_matches_rank_above_body_matches(corpus):
    results = search_cases(SearchQuery(q="智能手机"))
    assert ids(results)[0] == corpus.id("运用智能技术")


@pytest.mark.parametrize(
    ("dim", "values", "expected"),
    [
        ("province", ("440000",), ("运用智能技术", "政务服务应用", "<script>")),
        ("scenario", ("learning",), ("运用智能技术", "中小学生")),
        ("task", ("work",), ("数字乡村", "退役军人")),
        ("group", ("elderly",), ("运用智能技术", "政务服务应用")),
        ("campaign", ("c2024",), ("中小学生", "<script>")),
        ("tier", ("excellent",), ("数字乡村", "退役军人")),
        ("year", (2024,), ("中小学生", "<script>")),
    ],
)
def test_each_filter(corpus, dim, values, expected):
    results = search_cases(SearchQuery(**{dim: values}))
    assert set(ids(results)) == corpus.ids(*expected)
    assert results.total == len(expected)


def test_values_of_one_filter_or_and_filters_and(corpus):
    either = search_cases(SearchQuery(province=("440000", "510000")))
    assert set(ids(either)) == corpus.ids("运用智能技术", "政务服务应用", "<script>", "退役军人")
    both = search_cases(SearchQuery(province=("440000", "510000"), group=("elderly",)))
    assert set(ids(both)) == corpus.ids("运用智能技术", "政务服务应用")
    text_and_filter = search_cases(SearchQuery(q="老年人", province=("440000",), scenario=("learning",)))
    assert ids(text_and_filter) == [corpus.id("运用智能技术")]


def test_facets_count_every_dimension_ignoring_its_own_filter(corpus):
    results = search_cases(SearchQuery(province=("440000",)))
    assert facet(results, "province") == {"440000": 3, "330000": 1, "510000": 1, "420000": 1}
    assert facet(results, "group") == {"elderly": 2, "disabled": 1, "public": 1}
    assert facet(results, "year") == {2025: 2, 2024: 1}
    assert facet(results, "campaign") == {"c2025": 2, "c2024": 1}
    assert facet(results, "tier") == {"exemplary": 2}
    assert facet(results, "task") == {"life": 2, "security": 1}
    assert facet(results, "scenario") == {"life": 3, "learning": 1}
    labels = {f.value: f.label for f in results.facets["province"]}
    assert labels["440000"] == "广东省"
    assert {f.value: f.label for f in results.facets["scenario"]}["life"] == "数字生活"
    assert {f.value: f.label for f in results.facets["tier"]}["exemplary"] == "示范案例"
    assert [f.value for f in results.facets["year"]] == [2025, 2024]


def test_facets_follow_the_text_query(corpus):
    results = search_cases(SearchQuery(q="老年人", group=("disabled",)))
    assert results.total == 1
    assert facet(results, "group") == {"elderly": 2, "disabled": 1}
    assert facet(results, "province") == {"440000": 1}


def test_paging(corpus):
    first = search_cases(SearchQuery(page=1, page_size=4))
    second = search_cases(SearchQuery(page=2, page_size=4))
    assert first.total == second.total == 6
    assert len(first.hits) == 4 and len(second.hits) == 2
    assert not set(ids(first)) & set(ids(second))
    beyond = search_cases(SearchQuery(page=9, page_size=4))
    assert beyond.hits == [] and beyond.total == 6


def test_sort_newest_and_default_order_without_text(corpus):
    newest = ids(search_cases(SearchQuery(sort="newest")))
    assert newest == sorted(newest, key=lambda cid: corpus_published(corpus, cid), reverse=True)
    assert ids(search_cases(SearchQuery())) == newest
    with_text = ids(search_cases(SearchQuery(q="老年人", sort="newest")))
    assert with_text == [corpus.id("政务服务应用"), corpus.id("运用智能技术")]


def corpus_published(corpus, case_id: int):
    return next(c.published_at for c in corpus.cases.values() if c.pk == case_id)


def test_highlights_mark_matches_in_escaped_text(corpus):
    hit = search_cases(SearchQuery(q="反诈")).hits[0]
    assert "<mark>反诈</mark>" in hit.highlight["title"]
    assert "<script>" not in hit.highlight["title"] and "&lt;script&gt;" in hit.highlight["title"]
    hit = search_cases(SearchQuery(q="诈骗")).hits[0]
    assert "<b>" not in hit.highlight["text"] and "<mark>诈骗</mark>" in hit.highlight["text"]
    hit = search_cases(SearchQuery(q="智能手机")).hits[0]
    assert "<mark>" in hit.highlight["text"]


def test_highlight_without_text_is_plain_escaped(corpus):
    for hit in search_cases(SearchQuery()).hits:
        assert "<mark>" not in hit.highlight["title"] and "<script>" not in hit.highlight["title"]


def test_related_cases_share_terms_and_taxonomy(corpus):
    elderly = corpus.cases["运用智能技术服务老年人示范案例"]
    related = [h.case_id for h in related_cases(elderly)]
    assert related and related[0] == corpus.id("政务服务应用")
    assert elderly.pk not in related


def test_suggestions_complete_a_prefix(corpus):
    suggestions = suggest("退役")
    assert any(s.startswith("退役") for s in suggestions)
    assert suggest("") == []


def test_unpublished_cases_are_never_found(corpus, django_capture_on_commit_callbacks):
    open_campaign = factories.CampaignFactory(slug="open-2026")
    with django_capture_on_commit_callbacks(execute=True):
        draft = workflow.create_draft(
            by=factories.submitter("440100"), campaign=open_campaign, title="老年人数字课堂（草稿）",
            region=factories.region("440100"), summary="草稿里的老年人",
        )
        noticed = bring_to("in_notice", campaign=open_campaign, title="老年人智慧助老驿站（公示中）")
        revoked = import_case(corpus.campaigns["c2025"], title="老年人防诈骗课堂（已撤销）", region="440100", day=9)
        workflow.transition(case=revoked, name="revoke", by=factories.secretariat(username="search-secretariat"),
                            reason="材料不实")
    found = set(ids(search_cases(SearchQuery(q="老年人", page_size=100))))
    assert found == corpus.ids("运用智能技术", "政务服务应用")
    assert not {draft.pk, noticed.pk, revoked.pk} & found
    assert search_cases(SearchQuery()).total == len(corpus.cases)
    assert revoked.pk not in [h.case_id for h in related_cases(corpus.cases["运用智能技术服务老年人示范案例"], 10)]
