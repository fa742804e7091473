"""The relevance measures and `search_eval` (on a tiny judged set over the test corpus)."""

from __future__ import annotations

import json
import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.evaluation import DEFAULT_QUERIES, like_ranking, ndcg_at, recall_at

pytestmark = pytest.mark.django_db


def test_ndcg_and_recall():
    grades = {1: 2, 2: 1, 3: 1}
    assert ndcg_at([1, 2, 3], grades) == pytest.approx(1.0)
    assert ndcg_at([9, 1], {1: 1}) == pytest.approx(1 / math.log2(3))
    assert ndcg_at([1], {}) == 0.0
    assert recall_at([1, 9, 2], grades) == pytest.approx(2 / 3)


def test_the_labelled_set_is_large_enough_and_graded():
    data = json.loads(DEFAULT_QUERIES.read_text(encoding="utf-8"))
    queries = data["queries"]
    assert len(queries) >= 30 and len({q["query"] for q in queries}) == len(queries)
    for q in queries:
        assert q["relevant"] and all(r["grade"] in (1, 2) for r in q["relevant"])
    acceptance = {"老年人", "适老化", "农民 手机", "退役军人", "数字乡村"}
    assert acceptance <= {q["query"] for q in queries}


def test_like_baseline_needs_every_word(db_corpus):
    assert like_ranking("农民 手机") == [db_corpus.id("数字乡村")]


def test_search_eval_prints_the_figures(db_corpus, tmp_path):
    judged = {"queries": [
        {"id": "t1", "query": "老年人", "relevant": [{"title": "运用智能技术服务老年人示范案例", "grade": 2},
                                                   {"title": "政务服务应用完成适老化改造", "grade": 1}]},
        {"id": "t2", "query": "农民 手机", "relevant": [{"title": "数字乡村：让手机成为农民的新农具", "grade": 2}]},
    ]}
    path = tmp_path / "queries.json"
    path.write_text(json.dumps(judged, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("search_eval", "--queries", str(path), "--baseline", "--per-query", stdout=out)
    text = out.getvalue()
    assert "database       nDCG@10 = 1.000   recall@10 = 1.000" in text and "like-baseline" in text
    out = StringIO()
    call_command("search_eval", "--queries", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["backends"]["database"]["ndcg@10"] == 1.0


def test_search_eval_needs_the_demo_data(db):
    with pytest.raises(CommandError, match="load_demo_data"):
        call_command("search_eval", stdout=StringIO())
