"""The policy reference corpus (docs/similarity.md): shipped texts, loaded by a migration and
`manage.py similarity_policy`, aligned whole against every checked text (it is small)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Max

from .align import SourceIndex
from .fingerprints import winnow
from .models import PolicyText
from .normalise import Normalised, normalise

SHIPPED = Path(__file__).resolve().parent / "corpus"
# Between two texts in the joined corpus: never produced by normalisation, so no run crosses it.
SEPARATOR = "\x00"


@dataclass
class Entry:
    policy_id: int
    title: str
    text: str
    normalised: Normalised
    offset: int  # where this text starts in the joined corpus


class PolicyCorpus:
    """All policy texts joined, indexed once per process for a given minimum run."""

    def __init__(self, texts: list[PolicyText], min_run: int) -> None:
        self.entries: list[Entry] = []
        parts, offset = [], 0
        for policy in texts:
            norm = normalise(policy.text)
            self.entries.append(Entry(policy.pk, policy.title, policy.text, norm, offset))
            parts.append(norm.text)
            offset += len(norm.text) + 1
        self.index = SourceIndex(SEPARATOR.join(parts), min_run)
        self.fingerprints = set().union(*(winnow(e.normalised.text) for e in self.entries)) if self.entries else set()

    def entry_at(self, position: int) -> Entry:
        found = self.entries[0]
        for entry in self.entries:
            if entry.offset > position:
                break
            found = entry
        return found


_cache: dict[tuple, PolicyCorpus] = {}
_lock = threading.Lock()


def current(min_run: int) -> PolicyCorpus:
    """The corpus as it is in the database now (one small query to see whether it changed)."""
    state = PolicyText.objects.aggregate(n=Count("pk"), last=Max("pk"), at=Max("updated_at"))
    key = (min_run, state["n"], state["last"], state["at"])
    with _lock:
        corpus = _cache.get(key)
        if corpus is None:
            _cache.clear()
            corpus = _cache[key] = PolicyCorpus(list(PolicyText.objects.order_by("pk")), min_run)
    return corpus


def shipped_texts() -> list[tuple[str, str, str]]:
    """(slug, title, text) of the texts in similarity/corpus/: the first line is the title."""
    found = []
    for path in sorted(SHIPPED.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found.append((path.stem, title.strip(), body.strip()))
    return found


def add_policy(*, slug: str, title: str, text: str) -> tuple[PolicyText, bool]:
    """Add a text to the corpus, or replace the text of that slug; (policy, created)."""
    return PolicyText.objects.update_or_create(slug=slug, defaults={"title": title, "text": text})
