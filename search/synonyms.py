"""The domain synonym dictionary: what a visitor types, and the words the cases use for it.

Shipped as `search/data/synonyms.txt` (loaded by a data migration), kept in the `SynonymGroup`
table and edited by the secretariat in the admin (同义词词典; each change is audited). Both
backends read the same rules: the database backend expands the query (`search.segment.analyse`),
Elasticsearch gets them as a synonym set behind a `synonym_graph` search analyzer
(`search.es_synonyms`). docs/search.md, "Synonyms", says how the groups were chosen.

Two kinds of rule:
- an equivalence group, `老年人, 老人, 长者`: any of the terms also finds the others;
- a one-way expansion, `菜农, 果农 => 农民`: the left terms also find the right ones, not the reverse.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from .models import SynonymGroup
from .segment import normalise

DATA_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"
SEPARATORS = re.compile(r"[,，、;；]")
ARROW = "=>"
MIN_TERM, MAX_TERM = 2, 20
MAX_TERMS_PER_RULE = 20
# At most this many alternatives per typed term: a huge group must not blow the query up.
MAX_ALTERNATIVES = 8
CACHE_KEY = "search:synonyms:rules"


class SynonymError(ValueError):
    """A rule that cannot be used; the message is Chinese and says what to fix."""


@dataclass(frozen=True)
class Rule:
    """`terms` find each other (equivalence) or, when `targets` is set, find the targets."""

    terms: tuple[str, ...]
    targets: tuple[str, ...] = ()

    @property
    def one_way(self) -> bool:
        return bool(self.targets)

    def solr(self) -> str:
        """The rule in the Solr format Elasticsearch's synonym filters read. A one-way rule
        keeps its own terms on the right, so the typed word is still searched too."""
        if self.one_way:
            return f"{', '.join(self.terms)} => {', '.join(dict.fromkeys(self.terms + self.targets))}"
        return ", ".join(self.terms)


def split_terms(text: str) -> tuple[str, ...]:
    """Terms of one side of a rule, normalised (full-width folded, lower case), deduplicated."""
    terms = (" ".join(normalise(t).split()) for t in SEPARATORS.split(text or ""))
    return tuple(dict.fromkeys(t for t in terms if t))


def parse_rule(terms_text: str, targets_text: str = "") -> Rule:
    """One rule from its two sides; raises `SynonymError` with a Chinese message."""
    terms, targets = split_terms(terms_text), split_terms(targets_text)
    for term in terms + targets:
        if not MIN_TERM <= len(term) <= MAX_TERM:
            raise SynonymError(_("“%(t)s”：每个词应为 %(a)d 到 %(b)d 个字。") % {"t": term, "a": MIN_TERM, "b": MAX_TERM})
        if ARROW in term or "=" in term or ">" in term:
            raise SynonymError(_("“%(t)s”：词语中不能含有“=>”，单向扩展请填在“扩展为”一栏。") % {"t": term})
    if len(terms) + len(targets) > MAX_TERMS_PER_RULE:
        raise SynonymError(_("一组最多 %(n)d 个词，请拆成几组。") % {"n": MAX_TERMS_PER_RULE})
    if targets:
        if not terms:
            raise SynonymError(_("单向扩展需要至少一个检索词。"))
        targets = tuple(t for t in targets if t not in terms)
        if not targets:
            raise SynonymError(_("“扩展为”中的词不能与检索词完全相同。"))
        return Rule(terms, targets)
    if len(terms) < 2:
        raise SynonymError(_("同义词组至少需要两个词（用逗号或顿号分隔）。"))
    return Rule(terms)


def parse_line(line: str) -> Rule | None:
    """A line of the shipped file: `a, b, c` or `a, b => c`; `#` starts a comment."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    left, _arrow, right = text.partition(ARROW)
    if _arrow and not right.strip():
        raise SynonymError(_("“=>”右边没有词。"))
    return parse_rule(left, right)


def read_file(path: Path = DATA_FILE) -> list[tuple[Rule, str]]:
    """(rule, comment) for each rule line of the shipped dictionary."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rule = parse_line(line)
        except SynonymError as exc:
            raise SynonymError(f"{path.name}:{number}: {exc}") from None
        if rule is not None:
            out.append((rule, line.split("#", 1)[1].strip() if "#" in line else ""))
    return out


class Thesaurus:
    """The rules compiled for query time: term → alternatives, and a scan for known terms."""

    def __init__(self, rules: Iterable[Rule]):
        found: dict[str, dict[str, None]] = {}
        for rule in rules:
            if rule.one_way:
                for term in rule.terms:
                    found.setdefault(term, {}).update(dict.fromkeys(rule.targets))
            else:
                for term in rule.terms:
                    found.setdefault(term, {}).update(dict.fromkeys(t for t in rule.terms if t != term))
        self.alternatives: dict[str, tuple[str, ...]] = {
            term: tuple(t for t in alts if t != term)[:MAX_ALTERNATIVES] for term, alts in found.items()
        }
        self.longest = max((len(t) for t in self.alternatives), default=0)

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def occurrences(self, run: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of the dictionary terms in `run`: the longest term at each
        position, left to right, never overlapping (so 电信网络诈骗 wins over 网络诈骗)."""
        out, i = [], 0
        while i < len(run):
            for size in range(min(self.longest, len(run) - i), MIN_TERM - 1, -1):
                term = run[i : i + size]
                if term in self.alternatives:
                    out.append((i, i + size, term))
                    i += size
                    break
            else:
                i += 1
        return out


EMPTY = Thesaurus(())
_local = threading.local()


def stored_rules() -> list[Rule]:
    """The enabled rules of the database, in their order (what the admin edits)."""
    rows = SynonymGroup.objects.filter(enabled=True).order_by("pk").values_list("terms", "targets")
    rules = []
    for terms, targets in rows:
        try:
            rules.append(parse_rule(terms, targets))
        except SynonymError:
            continue  # saved before a stricter check: skipped, never a broken search
    return rules


def current() -> Thesaurus:
    """The thesaurus in force: one cache read per search; compiled once per process and change."""
    rules = cache.get(CACHE_KEY)
    if rules is None:
        rules = [(r.terms, r.targets) for r in stored_rules()]
        cache.set(CACHE_KEY, rules, None)
    memo = getattr(_local, "memo", None)
    if memo is not None and memo[0] == rules:
        return memo[1]
    thesaurus = Thesaurus(Rule(tuple(t), tuple(g)) for t, g in rules)
    _local.memo = (rules, thesaurus)
    return thesaurus


def changed() -> None:
    """After an edit: searches read the new rules (now, and once the edit commits)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
