"""The Elasticsearch mapping and request bodies contain what they must (analyzer, aggregations,
filters, highlight), with the database backend's match rules; responses go through the real
client from the recording stand-in (a reindex and the alias swap: test_elasticsearch_rebuild.py)."""

from __future__ import annotations

import json
from datetime import datetime
from unittest import mock

import pytest

from search import es_synonyms
from search.backends.elasticsearch import ElasticsearchBackend, merge_marks
from search.backends.es_index import versioned_name
from search.documents import FACET_SIZE, CaseSearch, document_class, index_settings, related_query, text_query
from search.es_query import TextQuery
from search.extract import CaseText
from search.query import DIMENSIONS, SearchQuery


def mapping(analyzer_name: str) -> dict:
    return document_class(analyzer_name)._doc_type.mapping.to_dict()["properties"]


def body(query: SearchQuery, analyzer_name: str = "cjk") -> dict:
    return CaseSearch(query, index="cases", using=mock.Mock(), analyzer_name=analyzer_name)._s.to_dict()


def test_default_mapping_uses_the_cjk_analyzer_and_keyword_facets():
    props = mapping("cjk")
    for name in ("title", "summary", "about", "body"):
        assert props[name]["type"] == "text" and props[name]["analyzer"] == "cjk_fragments"
    assert props["title"]["fields"]["chars"]["analyzer"] == "cjk_chars"
    assert "chars" not in props["body"].get("fields", {})
    for dim in ("province", "scenario", "task", "group", "campaign", "tier"):
        assert props[dim]["type"] == "keyword"
    assert props["year"]["type"] == "integer" and props["published_at"]["type"] == "date"
    assert props["suggest"]["type"] == "completion" and props["suggest"]["analyzer"] == "suggest_plain"
    assert "contact_name" not in props and "contact_phone" not in props


@pytest.mark.parametrize(("name", "search_analyzer"), [("smartcn", "smartcn"), ("ik_max_word", "ik_smart")])
def test_plugin_analyzers_keep_bigrams_for_fragments(name, search_analyzer):
    from elasticsearch.dsl import Index

    props = mapping(name)
    # At search time: the plugin's search tokenizer, then the synonym dictionary (es_synonyms).
    assert props["title"]["analyzer"] == name and props["title"]["search_analyzer"] == f"casebook_search_{name}"
    index = Index("casebook-cases-1")
    index.document(document_class(name))
    assert index.to_dict()["settings"]["analysis"]["analyzer"][f"casebook_search_{name}"]["tokenizer"] == (
        "smartcn_tokenizer" if search_analyzer == "smartcn" else search_analyzer)
    assert props["body"]["fields"]["bigrams"]["analyzer"] == "cjk_fragments"


def test_index_body_defines_the_custom_analyzers():
    from elasticsearch.dsl import Index

    index = Index("casebook-cases-1")
    index.settings(**index_settings())
    index.document(document_class("cjk"))
    settings = index.to_dict()["settings"]["analysis"]
    analysis = settings["analyzer"]
    assert analysis["cjk_chars"]["tokenizer"] == "standard"
    assert "cjk_width" in analysis["cjk_chars"]["filter"]
    # The built-in `cjk` analyzer drops English stop words ("IT培训" would lose "it"): ours keeps them.
    assert analysis["cjk_fragments"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    # Completion keeps digits and Latin letters ("2025年…", "5G…"): one keyword token.
    assert analysis["suggest_plain"]["tokenizer"] == "keyword"
    # At search time the same chain, then the synonym set, updateable: edited without a reindex.
    assert analysis["casebook_search_cjk"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram", "casebook_synonyms"]
    assert settings["filter"]["casebook_synonyms"] == {
        "type": "synonym_graph", "synonyms_set": es_synonyms.set_name(), "updateable": True}
    assert mapping("cjk")["title"]["search_analyzer"] == "casebook_search_cjk"


def named_atoms(request: dict) -> dict[str, dict]:
    """name → multi_match body of the named clauses (one per atom) in the scoring part."""
    return {c["multi_match"]["_name"]: c["multi_match"] for c in request["bool"]["should"]
            if "multi_match" in c and "_name" in c["multi_match"]}


def test_search_body_has_text_as_a_value_aggregations_filters_and_highlight():
    query = SearchQuery(q='老年人 OR "x" title:*', province=("440000", "510000"), group=("elderly",), page=2, page_size=5)
    request = body(query)
    text = json.dumps(request, ensure_ascii=False)
    assert "query_string" not in text and "simple_query_string" not in text
    atoms = named_atoms(request["query"])
    assert [a["query"] for a in atoms.values()] == ["老年人", "or", "x", "title"]  # each run as typed
    assert list(atoms) == ["a0", "a1", "a2", "a3"]
    assert all(a["type"] == "cross_fields" and a["operator"] == "and" for a in atoms.values())
    assert "title^4" in atoms["a0"]["fields"]
    (accepted,) = request["query"]["bool"]["filter"]
    full, half = accepted["bool"]["should"]
    assert full["bool"]["minimum_should_match"] == 3  # three quarters of four runs
    assert half["bool"]["minimum_should_match"] == 2  # or half of the four words
    phrases = [c["multi_match"] for c in request["query"]["bool"]["should"]
               if c.get("multi_match", {}).get("type") == "phrase"]
    assert phrases and all(p["query"] == query.q for p in phrases)
    # Filters narrow the hits (post_filter) ...
    post = json.dumps(request["post_filter"])
    assert "440000" in post and "510000" in post and "elderly" in post
    # ... while each facet's aggregation applies the other filters only.
    aggs = request["aggs"]
    assert set(aggs) == {f"_filter_{dim}" for dim in DIMENSIONS} | {"coverage", "full"}
    province_filter = json.dumps(aggs["_filter_province"]["filter"])
    assert "elderly" in province_filter and "440000" not in province_filter
    assert aggs["_filter_province"]["aggs"]["province"]["terms"]["field"] == "province"
    # The partial-match aggregations: every atom over the whole index, full matches with the filters.
    assert aggs["coverage"]["global"] == {}
    assert set(aggs["coverage"]["aggs"]["atoms"]["filters"]["filters"]) == {"a0", "a1", "a2", "a3", "accepted"}
    assert "440000" in json.dumps(aggs["full"]["filter"]) and "elderly" in json.dumps(aggs["full"]["filter"])
    highlight = request["highlight"]
    assert highlight["encoder"] == "html" and highlight["pre_tags"] == ["<mark>"]
    assert {"title", "summary", "body"} <= set(highlight["fields"])
    assert request["from"] == 5 and request["size"] == 5
    assert request["track_total_hits"] is True and request["_source"] == ["title", "summary"]
    assert request["sort"][0] == "_score"


def test_browsing_sorts_by_date_and_has_no_text_query():
    request = body(SearchQuery(sort="newest", year=(2025,)))
    assert "query" not in request and "coverage" not in request["aggs"]
    assert request["sort"][0] == {"published_at": {"order": "desc"}}
    assert "2025" in json.dumps(request["post_filter"])


def test_full_matches_need_the_runs_the_database_backend_needs():
    text = TextQuery("农民 退役军人 直播 手机")
    assert text.full().to_dict()["bool"]["minimum_should_match"] == 3
    full, half = text.accepted().to_dict()["bool"]["should"]
    assert half["bool"]["minimum_should_match"] == 2  # coverage.accepted: 2 × words ≥ 4
    assert text.accepted(loose=True).to_dict()["bool"]["minimum_should_match"] == 1
    assert text_query("！！！").to_dict() == {"match_none": {}}


def test_latin_and_chinese_runs_are_both_atoms():
    text = TextQuery("IT培训")
    assert [a["query"] for a in named_atoms(text.query().to_dict()).values()] == ["it", "培训"]
    assert text.full().to_dict()["bool"]["minimum_should_match"] == 2


def test_a_sentence_needs_most_of_its_words_not_three_quarters_of_its_bigrams():
    """As the database backend: 怎样 is not required; 3 of the 4 other words are."""
    text = TextQuery("怎样帮助老人学会用智能手机")
    (group,) = [text.group(g).to_dict() for g in text.aq.groups]
    phrase, words = group["bool"]["should"]
    assert phrase["multi_match"]["operator"] == "and"
    assert [w["multi_match"]["query"] for w in words["bool"]["should"]] == ["帮助", "老人", "学会", "智能手机"]
    assert words["bool"]["minimum_should_match"] == 3


def test_a_single_character_must_be_in_a_short_field():
    (atom,) = named_atoms(text_query("诈").to_dict()).values()
    assert atom["type"] == "phrase" and atom["fields"][0] == "title.chars^4"


def test_synonyms_apply_to_matching_and_not_to_matching_as_typed():
    """"Matched" clauses use the fields' search analyzer (with the synonym set); the clauses
    of the "as typed" tier name the index analyzer, which has no synonyms."""
    request = text_query("村民 网上开店").to_dict()
    assert all("analyzer" not in a for a in named_atoms(request).values())
    assert "analyzer" not in json.dumps(request["bool"]["filter"])
    typed = [json.dumps(c) for c in request["bool"]["should"] if "cjk_fragments" in json.dumps(c)]
    assert len(typed) == 3  # two runs as typed, and the exact phrase
    assert all(t.count('"multi_match"') == t.count('"analyzer": "cjk_fragments"') for t in typed)


def test_facets_are_not_cut_at_a_hundred_values():
    request = body(SearchQuery(q="老年人"))
    assert request["aggs"]["_filter_campaign"]["aggs"]["campaign"]["terms"]["size"] == FACET_SIZE >= 1000


def test_highlight_marks_are_merged():
    assert merge_marks("<mark>老</mark><mark>年</mark><mark>人</mark>课堂") == "<mark>老年人</mark>课堂"
    assert merge_marks("<mark>IT</mark> <mark>培训</mark>") == "<mark>IT 培训</mark>"


def test_word_analyzers_match_on_the_bigrams():
    fields = json.dumps(text_query("术服务老", "ik_max_word").to_dict())
    assert "title.bigrams^4" in fields


def test_related_query_uses_more_like_this_and_excludes_the_case():
    request = related_query(7, "cases", ["elderly"], "life").to_dict()
    mlt = request["bool"]["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": "cases", "_id": "7"}]
    assert request["bool"]["must_not"] == [{"ids": {"values": ["7"]}}]
    assert {"terms": {"group": ["elderly"], "boost": 0.5}} in request["bool"]["should"]


def test_index_settings_come_from_the_settings(settings):
    settings.SEARCH_ES_SHARDS, settings.SEARCH_ES_REPLICAS = 2, 0
    assert index_settings()["number_of_shards"] == 2 and index_settings()["number_of_replicas"] == 0


def test_versioned_names_sort_by_time():
    first = versioned_name("casebook-cases", datetime(2026, 1, 1, 8, 0))
    second = versioned_name("casebook-cases", datetime(2026, 1, 1, 9, 0))
    assert first.startswith("casebook-cases-") and first < second and first == first.lower()


def _text(case_id: int) -> CaseText:
    return CaseText(case_id, "标题“银龄课堂”", "摘要", "广东省", "正文",
                    {"province": ("440000",), "scenario": ("life",), "task": ("life",), "group": ("elderly",),
                     "campaign": ("c2025",), "tier": (), "year": (2025,)}, None)


def test_documents_carry_facets_suggestions_and_a_digest():
    from search.documents import make_document

    doc = make_document(_text(3)).to_dict(include_meta=True)
    assert doc["_id"] == 3
    source = doc["_source"]
    assert source["province"] == "440000" and source["group"] == ["elderly"] and source["year"] == 2025
    assert source["suggest"] == {"input": ["标题“银龄课堂”", "银龄课堂"]}
    assert len(source["digest"]) == 64


@pytest.mark.django_db
def test_search_response_becomes_results(es_on, settings):
    """A response from the stand-in through the real client: hits, merged marks, labelled facets."""
    from search.backends import es_index

    backend = ElasticsearchBackend()
    name = versioned_name(settings.SEARCH_ES_INDEX)
    es_index.create(backend.es, name, "cjk")
    backend.es.index(index=name, id="5", document={"title": "老年人课堂", "summary": "摘要", "province": "440000"})
    es_index.mark_complete(backend.es, name, "cjk", 1)
    es_index.swap(backend.es, settings.SEARCH_ES_INDEX, name)
    results = backend.search(SearchQuery(q="老年人"))
    assert results.backend == "elasticsearch" and results.total == 1 and results.hits[0].case_id == 5
    assert results.hits[0].highlight["title"] == "<mark>老年人</mark>课堂"
    assert [(f.value, f.label, f.count) for f in results.facets["province"]] == [("440000", "广东省", 1)]


@pytest.mark.django_db
def test_a_new_index_finds_the_synonym_set_written_first_and_an_edit_replaces_it(es_on, settings):
    """The set the search analyzer names is written from the dictionary before the index that
    uses it, and again after an edit in the admin (on commit): no reindex."""
    from django.test import TestCase

    from search import synonym_edits
    from search.backends import es_index
    from search.models import SynonymGroup
    from tests import factories

    backend = ElasticsearchBackend()
    es_index.create(backend.es, versioned_name(settings.SEARCH_ES_INDEX), "cjk")
    paths = [r["path"] for r in es_on.state["requests"] if r["method"] == "PUT"]
    assert paths[0] == f"/_synonyms/{es_synonyms.set_name()}" and paths[1].startswith(f"/{settings.SEARCH_ES_INDEX}-")
    rules = es_on.state["synonyms"][es_synonyms.set_name()]
    assert len(rules) >= 150
    assert {"id": "r1", "synonyms": "老年人, 老人, 长者, 老年群体, 银发族, 银发群体, 老年朋友"} in rules
    assert any(r["synonyms"].startswith("菜农, 果农") and " => 菜农, 果农" in r["synonyms"] for r in rules)
    with TestCase.captureOnCommitCallbacks(execute=True):
        synonym_edits.save_group(SynonymGroup(terms="兵哥哥、退役军人"), by=factories.secretariat(username="es-syn"))
    assert {"id": f"r{len(rules) + 1}", "synonyms": "兵哥哥, 退役军人"} in es_on.state["synonyms"][es_synonyms.set_name()]
