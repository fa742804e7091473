"""The Elasticsearch backend without a server: mappings and request bodies contain what they
must (analyzer, aggregations, filters, highlight), and a reindex swaps the alias atomically."""

from __future__ import annotations

import json
from datetime import datetime
from unittest import mock

import pytest

from search import es_synonyms
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import CaseSearch, document_class, index_settings, related_query, text_query, versioned_name
from search.extract import CaseText
from search.query import DIMENSIONS, SearchQuery


def mapping(analyzer_name: str) -> dict:
    return document_class(analyzer_name)._doc_type.mapping.to_dict()["properties"]


def body(query: SearchQuery, analyzer_name: str = "cjk") -> dict:
    return CaseSearch(query, index="cases", using=mock.Mock(), analyzer_name=analyzer_name)._s.to_dict()


def test_default_mapping_uses_the_cjk_analyzer_and_keyword_facets():
    props = mapping("cjk")
    for name in ("title", "summary", "about", "body"):
        assert props[name]["type"] == "text" and props[name]["analyzer"] == "cjk"
    assert props["title"]["fields"]["chars"]["analyzer"] == "cjk_chars"
    assert "chars" not in props["body"].get("fields", {})
    for dim in ("province", "scenario", "task", "group", "campaign", "tier"):
        assert props[dim]["type"] == "keyword"
    assert props["year"]["type"] == "integer" and props["published_at"]["type"] == "date"
    assert props["suggest"]["type"] == "completion"
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
    # The search-time analyzer ends with the synonym set, updateable: edited without a reindex.
    assert analysis["casebook_search_cjk"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram", "casebook_synonyms"]
    assert settings["filter"]["casebook_synonyms"] == {
        "type": "synonym_graph", "synonyms_set": es_synonyms.set_name(), "updateable": True}
    assert mapping("cjk")["title"]["search_analyzer"] == "casebook_search_cjk"


def test_search_body_has_text_as_a_value_aggregations_filters_and_highlight():
    query = SearchQuery(q='老年人 OR "x" title:*', province=("440000", "510000"), group=("elderly",), page=2, page_size=5)
    request = body(query)
    text = json.dumps(request, ensure_ascii=False)
    assert "query_string" not in text and "simple_query_string" not in text
    matches = request["query"]["bool"]["must"][0]["bool"]
    parts = [p["bool"]["should"] for p in matches["should"]]
    assert [p[0]["multi_match"]["query"] for p in parts] == ["老年人", "or", "x", "title"]
    assert matches["minimum_should_match"] == 3  # three quarters of four runs
    assert parts[0][0]["multi_match"]["type"] == "cross_fields" and "title^4" in parts[0][0]["multi_match"]["fields"]
    assert parts[0][1]["multi_match"] == {"query": "老年人", "type": "phrase", "fields": ["title.chars^4", "summary.chars^2", "about.chars^1.5"]}
    boosts = request["query"]["bool"]["should"]
    assert all(b["multi_match"]["query"] == query.q and b["multi_match"]["type"] == "phrase" for b in boosts)
    # Filters narrow the hits (post_filter) ...
    post = json.dumps(request["post_filter"])
    assert "440000" in post and "510000" in post and "elderly" in post
    # ... while each facet's aggregation applies the other filters only.
    aggs = request["aggs"]
    assert set(aggs) == {f"_filter_{dim}" for dim in DIMENSIONS}
    province_filter = json.dumps(aggs["_filter_province"]["filter"])
    assert "elderly" in province_filter and "440000" not in province_filter
    assert aggs["_filter_province"]["aggs"]["province"]["terms"]["field"] == "province"
    highlight = request["highlight"]
    assert highlight["encoder"] == "html" and highlight["pre_tags"] == ["<mark>"]
    assert {"title", "summary", "body"} <= set(highlight["fields"])
    assert request["from"] == 5 and request["size"] == 5
    assert request["track_total_hits"] is True and request["_source"] == ["title", "summary"]
    assert request["sort"][0] == "_score"


def test_browsing_sorts_by_date_and_has_no_text_query():
    request = body(SearchQuery(sort="newest", year=(2025,)))
    assert "query" not in request
    assert request["sort"][0] == {"published_at": {"order": "desc"}}
    assert "2025" in json.dumps(request["post_filter"])


def test_runs_must_all_match_like_the_database_backend():
    request = text_query("农民 退役军人").to_dict()
    assert request["bool"]["must"][0]["bool"]["minimum_should_match"] == 2
    assert text_query("！！！").to_dict() == {"match_none": {}}


def test_word_analyzers_also_query_the_bigrams():
    fields = json.dumps(text_query("术服务老", "ik_max_word").to_dict())
    assert "title.bigrams^4" in fields


def test_related_query_uses_more_like_this_and_excludes_the_case():
    request = related_query(7, "cases", ["elderly"], "life").to_dict()
    mlt = request["bool"]["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": "cases", "_id": "7"}]
    assert request["bool"]["must_not"] == [{"ids": {"values": ["7"]}}]
    assert {"terms": {"group": ["elderly"], "boost": 0.5}} in request["bool"]["should"]


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


def test_rebuild_loads_a_new_index_then_swaps_the_alias_atomically(db):
    es = mock.MagicMock()
    es.indices.exists_alias.return_value = True
    es.indices.get_alias.return_value.body = {"cases-20250101t000000000000": {}}
    es.indices.exists.return_value = True
    backend = ElasticsearchBackend(es, alias="cases", analyzer_name="cjk")
    progress = mock.Mock()
    loaded = []

    def streaming_bulk(_es, actions, **kwargs):
        for action in actions:
            loaded.append(action)
            yield True, action

    with mock.patch("search.backends.elasticsearch.case_text", side_effect=lambda c: _text(c)), \
         mock.patch("elasticsearch.helpers.streaming_bulk", side_effect=streaming_bulk):
        assert backend.rebuild([1, 2], 2, progress) == 2
    created = es.indices.create.call_args.kwargs
    new = created["index"]
    # The synonym set the search analyzer names is written first, from the dictionary.
    rules = es.synonyms.put_synonym.call_args.kwargs
    assert rules["id"] == es_synonyms.set_name() and len(rules["synonyms_set"]) >= 150
    assert {"id": "r1", "synonyms": "老年人, 老人, 长者, 老年群体, 银发族, 银发群体, 老年朋友"} in rules["synonyms_set"]
    assert new.startswith("cases-") and created["body"]["mappings"]["properties"]["title"]["analyzer"] == "cjk"
    assert [a["_id"] for a in loaded] == [1, 2] and all(a["_index"] == new for a in loaded)
    es.indices.refresh.assert_called_once_with(index=new)
    actions = es.indices.update_aliases.call_args.kwargs["actions"]
    assert actions == [{"remove": {"index": "cases-20250101t000000000000", "alias": "cases"}},
                       {"add": {"index": new, "alias": "cases"}}]
    es.indices.delete.assert_called_once_with(index="cases-20250101t000000000000", ignore_unavailable=True)
    progress.assert_called_with(2, 2)


def test_first_write_creates_a_versioned_index_behind_the_alias(db):
    es = mock.MagicMock()
    es.indices.exists_alias.side_effect = [False, False, False]
    es.indices.exists.return_value = False
    backend = ElasticsearchBackend(es, alias="cases", analyzer_name="cjk")
    with mock.patch("elasticsearch.helpers.bulk", return_value=(1, [])) as bulk:
        backend.index_texts([_text(1)])
    new = es.indices.create.call_args.kwargs["index"]
    assert es.indices.update_aliases.call_args.kwargs["actions"] == [{"add": {"index": new, "alias": "cases"}}]
    action = next(iter(bulk.call_args.args[1]))
    assert action["_index"] == "cases" and action["_id"] == 1


def test_search_response_becomes_results():
    es = mock.MagicMock()
    es.search.return_value.body = {
        "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 2.0, "hits": [
            {"_index": "cases-1", "_id": "5", "_score": 2.0, "_source": {"title": "老年人课堂", "summary": "摘要"},
             "highlight": {"title": ["<mark>老年人</mark>课堂"], "body": ["…教<mark>老年人</mark>…"]}},
        ]},
        "aggregations": {f"_filter_{dim}": {"doc_count": 1, dim: {"buckets": []}} for dim in DIMENSIONS}
        | {"_filter_province": {"doc_count": 1, "province": {"buckets": [{"key": "440000", "doc_count": 1}]}}},
    }
    with mock.patch("search.facets.labels", side_effect=lambda dim, values: {v: f"L{v}" for v in values}):
        results = ElasticsearchBackend(es, alias="cases").search(SearchQuery(q="老年人"))
    assert results.backend == "elasticsearch" and results.total == 1
    assert results.hits[0].case_id == 5
    assert results.hits[0].highlight == {"title": "<mark>老年人</mark>课堂", "text": "…教<mark>老年人</mark>…"}
    assert [(f.value, f.label, f.count) for f in results.facets["province"]] == [("440000", "L440000", 1)]
