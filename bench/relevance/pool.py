"""Pool candidates for the labelled queries and grade them by the written guidelines.

Run on a database holding the demo data (`manage.py load_demo_data`), before any tuning:

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/relevance/pool.py

For each topic in topics.json the pool is the top 20 of two rankings (the LIKE baseline and
the database backend with its default parameters) plus every case of the topic's primary
themes. The guidelines (see topics.json "rules") grade the pool; the result is written to
pool.json (every pooled case, with where it came from and why it got its grade) and to
queries.json (the relevant cases per query), which a person then reviews.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from search.backends.database import DatabaseBackend  # noqa: E402
from search.backends.ranking import Params  # noqa: E402
from search.evaluation import like_ranking  # noqa: E402
from search.extract import BODY_SECTIONS, searchable_cases  # noqa: E402

DEPTH = 20


def corpus() -> dict[int, dict]:
    rows = {}
    for case in searchable_cases().select_related("category", "province"):
        body = "".join(getattr(case, s) or "" for s in BODY_SECTIONS)
        rows[case.pk] = {
            "title": case.title, "theme": case.category.code if case.category_id else "",
            "province": case.province.name, "groups": case.key_groups or [], "head": case.title + (case.summary or ""),
            "text": case.title + (case.summary or "") + body,
        }
    return rows


def grade(topic: dict, case: dict) -> tuple[int, str]:
    if "exact" in topic:
        hit = next((s for s in topic["exact"] if s in case["text"]), None)
        return (2, f"text contains {hit}") if hit else (0, "text lacks the fragment")
    if case["theme"] in topic.get("primary", []):
        if "require" in topic and not any(s in case["text"] for s in topic["require"]):
            return 1, "primary theme, lacks required text"
        if "region" in topic and case["province"] != topic["region"]:
            return 1, "primary theme, other province"
        return 2, "primary theme"
    if case["theme"] in topic.get("secondary", []):
        return 1, "secondary theme"
    if topic.get("group") in case["groups"]:
        return 1, f"tagged {topic['group']}"
    hit = next((s for s in topic.get("mention", []) if s in case["head"]), None)
    if hit:
        return 1, f"title/summary mentions {hit}"
    return 0, "not relevant"


def main() -> None:
    topics = json.loads((HERE / "topics.json").read_text(encoding="utf-8"))["topics"]
    cases = corpus()
    untuned = backend_ranker_with_depth(DatabaseBackend(Params()))
    pools, queries = [], []
    for topic in topics:
        sources: dict[int, list[str]] = {}
        for name, ranked in (("like", like_ranking(topic["query"], DEPTH)), ("database", untuned(topic["query"]))):
            for cid in ranked:
                sources.setdefault(cid, []).append(name)
        for cid, case in cases.items():
            if case["theme"] in topic.get("primary", []):
                sources.setdefault(cid, []).append("theme")
        pooled = []
        for cid, how in sources.items():
            g, why = grade(topic, cases[cid])
            pooled.append({"title": cases[cid]["title"], "theme": cases[cid]["theme"], "from": how, "grade": g, "why": why})
        pooled.sort(key=lambda p: (-p["grade"], p["title"]))
        pools.append({"id": topic["id"], "query": topic["query"], "pool": pooled})
        relevant = [{"title": p["title"], "grade": p["grade"]} for p in pooled if p["grade"] > 0]
        queries.append({"id": topic["id"], "query": topic["query"], "intent": topic["intent"], "relevant": relevant})
        print(f"{topic['id']} {topic['query']}: pool {len(pooled)}, relevant {len(relevant)} "
              f"(2: {sum(p['grade'] == 2 for p in pooled)})")
    meta = {
        "corpus": "demo data: manage.py load_demo_data (seed 2026, 320 cases, 144 published)",
        "pooling": f"top {DEPTH} of the LIKE baseline and of the untuned database backend, plus the primary themes",
        "grades": {"2": "highly relevant", "1": "relevant"},
    }
    write(HERE / "pool.json", meta, "pools", pools, "pool")
    write(HERE / "queries.json", meta, "queries", queries, "relevant")


def write(path: Path, meta: dict, key: str, items: list[dict], inner: str) -> None:
    """Readable, diff-friendly JSON: one judged case per line."""
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    blocks = []
    for item in items:
        head = ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in item.items() if k != inner)
        rows = ",\n".join(f"    {dumps(row)}" for row in item[inner])
        blocks.append(f"  {{{head}, {dumps(inner)}: [\n{rows}\n  ]}}")
    header = "".join(f" {dumps(k)}: {dumps(v)},\n" for k, v in meta.items())
    path.write_text("{\n" + header + f" {dumps(key)}: [\n" + ",\n".join(blocks) + "\n ]\n}\n", encoding="utf-8")


def backend_ranker_with_depth(backend):
    from search.query import SearchQuery

    return lambda q: backend.search(SearchQuery(q=q, page_size=DEPTH)).case_ids


if __name__ == "__main__":
    main()
