"""`manage.py search_eval`: nDCG@10 and recall@10 of each available backend on the labelled queries.

Needs the demo data (`manage.py load_demo_data`): judged cases are named by their titles.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from search.backends import BackendError, BackendUnavailable, database_backend, elasticsearch_backend
from search.evaluation import (
    COLLOQUIAL_QUERIES,
    DEFAULT_QUERIES,
    K,
    backend_ranker,
    evaluate,
    hit_rates,
    like_ranking,
    load,
    mean,
    title_ids,
)
from search.indexing import elasticsearch_enabled


class Command(BaseCommand):
    help = "在标注查询集上计算各检索后端的 nDCG@10 和 recall@10（需先加载演示数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--queries", default=str(DEFAULT_QUERIES), help="标注查询集（JSON）。")
        parser.add_argument("--colloquial", action="store_true",
                            help=f"改用口语、同义词和同音错字查询集（{COLLOQUIAL_QUERIES.name}）。")
        parser.add_argument("--per-query", action="store_true", help="逐条列出每个查询的得分。")
        parser.add_argument("--baseline", action="store_true", help="同时给出 LIKE 子串匹配基线。")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出。")

    def handle(self, *args, queries: str, colloquial: bool, per_query: bool, baseline: bool, json: bool, **options):
        judged = load(COLLOQUIAL_QUERIES if colloquial else queries)
        ids, missing = title_ids(judged)
        if not ids:
            raise CommandError("没有找到标注的案例：请先运行 manage.py load_demo_data 加载演示数据。")
        if missing:
            self.stderr.write(self.style.WARNING(f"{len(missing)} 个标注案例不在已发布案例中（按未命中计）。"))
        rankers = {"database": backend_ranker(database_backend())}
        if elasticsearch_enabled():
            try:
                rankers["elasticsearch"] = backend_ranker(elasticsearch_backend())
            except BackendError as exc:
                self.stderr.write(self.style.ERROR(f"elasticsearch：设置有误（{exc}），跳过。"))
        if baseline:
            rankers["like-baseline"] = like_ranking
        results = {}
        for name, rank in rankers.items():
            try:
                scores = evaluate(rank, judged, ids)
            except (BackendUnavailable, BackendError) as exc:
                self.stderr.write(self.style.ERROR(f"{name}：不可用（{exc}），跳过。"))
                continue
            results[name] = {
                "ndcg@10": round(mean([s.ndcg for s in scores]), 4),
                "recall@10": round(mean([s.recall for s in scores]), 4),
                "hit@10": {kind: round(rate, 4) for kind, rate in hit_rates(scores).items()},
                "queries": [{"id": s.id, "query": s.query, "ndcg@10": round(s.ndcg, 4), "recall@10": round(s.recall, 4),
                             "hit@10": s.hit, "ranked": s.ranked} for s in scores],
            }
        if json:
            self.stdout.write(_json_dumps({"k": K, "n_queries": len(judged), "backends": results}))
            return
        self.stdout.write(f"{len(judged)} 个标注查询，k = {K}")
        for name, result in results.items():
            self.stdout.write(f"{name:<14} nDCG@10 = {result['ndcg@10']:.3f}   recall@10 = {result['recall@10']:.3f}")
            for kind, rate in result["hit@10"].items():
                self.stdout.write(f"{'':<14} {kind}: 目标案例进入前 {K} 名 {rate:.0%}")
            if per_query:
                for row in result["queries"]:
                    mark = "+" if row["hit@10"] else "-"
                    self.stdout.write(f"    {row['id']}  {row['ndcg@10']:.3f}  {row['recall@10']:.3f} {mark} {row['query']}")


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
