"""Writes colloquial.json from colloquial_topics.json: each query's judged cases are the published
demo cases whose title matches the topic's pattern (grade 2). Run once, before tuning:

    .venv/bin/python bench/relevance/colloquial_build.py     # needs manage.py load_demo_data
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from search.extract import searchable_cases

    topics = json.loads((HERE / "colloquial_topics.json").read_text(encoding="utf-8"))
    titles = list(searchable_cases().order_by("pk").values_list("title", flat=True))
    queries = []
    for topic in topics["topics"]:
        pattern = re.compile(topic["titles"])
        relevant = [{"title": t, "grade": 2} for t in titles if pattern.search(t)]
        if not relevant:
            raise SystemExit(f"{topic['id']}: no demo case matches {topic['titles']!r}")
        queries.append({"id": topic["id"], "kind": topic["kind"], "query": topic["query"], "intent": topic["intent"],
                        "relevant": relevant})
    out = {"corpus": "demo data: manage.py load_demo_data (seed 2026)", "about": topics["about"], "queries": queries}
    (HERE / "colloquial.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(queries)} queries written")


if __name__ == "__main__":
    main()
