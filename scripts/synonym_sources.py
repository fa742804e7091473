"""Checks that every group of search/data/synonyms.txt is justified by a word that occurs in the
policy texts or in the published cases, and writes that word into the group's comment.

    .venv/bin/python scripts/synonym_sources.py POLICY_DIR [IN_FILE]   # needs the demo data loaded

POLICY_DIR holds the policy texts (plain UTF-8 .txt: the 纲要, the provincial plans, the yearly
work points). A group none of whose words occurs in either is reported and left out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from search.extract import BODY_SECTIONS, searchable_cases
    from search.segment import normalise
    from search.synonyms import DATA_FILE, parse_line

    policy = normalise("".join(p.read_text(encoding="utf-8", errors="ignore") for p in Path(sys.argv[1]).glob("*.txt")))
    cases = normalise("".join(
        "".join([c.title, c.summary or ""] + [getattr(c, s) or "" for s in BODY_SECTIONS]) for c in searchable_cases()
    ))
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else DATA_FILE
    header, lines, dropped = [], [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            if not lines:
                header.append(line)
            continue
        rule = parse_line(text)
        anchors = rule.targets + rule.terms if rule.one_way else rule.terms
        where = []
        in_policy = next((t for t in anchors if t in policy), None)
        in_cases = next((t for t in anchors if t in cases), None)
        if in_policy:
            where.append(f"政策文件：{in_policy}")
        if in_cases:
            where.append(f"案例：{in_cases}")
        if not where:
            dropped.append(text)
            continue
        lines.append(f"{text}  # {'；'.join(where)}")
    DATA_FILE.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} groups written; {len(dropped)} without a source left out:")
    for text in dropped:
        print("   ", text)


if __name__ == "__main__":
    main()
