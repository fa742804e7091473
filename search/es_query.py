"""The Elasticsearch text query: the database backend's match and partial-match rules, in one request.

`search.segment.analyse` splits the query into runs (groups) and words (parts); each term set
a case can have complete (an *atom*: a run's bigrams, a word's, a Latin token, one character)
becomes one clause, named (`_name`) so the response says which atoms each hit has
(`matched_queries`). From those the hit's coverage is `search.backends.coverage.assess`, the
database backend's own function, so the words a hit lacks are the same.

Which cases are returned mirrors `coverage.accepted`: full matches (enough runs) or cases with at
least half of the words, as one `bool` of `should` clauses with `minimum_should_match`; when no
case in the index qualifies (a global `filters` aggregation says so), a second request returns
the cases with any word (`loose`). The order mirrors the tiers (runs matched, runs matched as
typed, words matched): each run and word adds a constant score (`constant_score` clauses) whose
steps are larger than any BM25 score, so a full match ranks above a partial one whatever its
BM25, and an exact phrase adds one step more. Inside a tier the clauses' BM25 decides.
"Matched" uses the fields' search analyzer, so a synonym from the managed synonym set
(search/es_synonyms.py) counts; "as typed" uses the index analyzer, which has no synonyms.

User text only ever goes into `multi_match` queries as a value; nothing is parsed as query
syntax (no `query_string`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query

from .backends import coverage
from .segment import AnalysedQuery, Group, Unit, analyse

if TYPE_CHECKING:
    from .synonyms import Thesaurus

FIELD_BOOSTS = {"title": 4, "summary": 2, "about": 1.5, "body": 1}
MAIN_FIELDS = ("title", "summary", "about", "body")
SHORT_FIELDS = ("title", "summary", "about")
# The analyzer the bigrams are indexed with (documents.CJK_FRAGMENTS): no synonyms.
LITERAL_ANALYZER = "cjk_fragments"
# One step of the tier score (a word matched): above any BM25 score of the clauses in practice,
# small enough that a float32 score keeps BM25's differences inside a tier (docs/search.md).
STEP = 1000.0
# The response's aggregation names.
COVERAGE_AGG = "coverage"
FULL_AGG = "full"
ACCEPTED = "accepted"


def _fields(names, suffix: str = "") -> list[str]:
    return [f"{n}{suffix}^{FIELD_BOOSTS[n]}" for n in names]


def _any(queries: list[Query], at_least: int = 1) -> Query:
    if len(queries) == 1 and at_least == 1:
        return queries[0]
    return Q("bool", should=queries, minimum_should_match=at_least)


def as_typed(aq: AnalysedQuery) -> AnalysedQuery:
    """The query's runs and words as typed only: Elasticsearch applies the synonyms itself (the
    fields' search analyzer), so only the words' own forms become clauses."""

    def typed(unit: Unit) -> Unit:
        return Unit(unit.text, unit.forms[:1])

    groups = tuple(replace(g, run=typed(g.run), parts=tuple(typed(p) for p in g.parts)) for g in aq.groups)
    return replace(aq, groups=groups)


@dataclass
class TextQuery:
    """One user's text as Elasticsearch clauses: match, tiers, names and aggregations.

    With `thesaurus` (the database backend's, `search.synonyms.current()`) the query is split
    into runs and words exactly as the database backend splits it (a dictionary term stays one
    word), so both name the same missing words."""

    text: str
    analyzer_name: str = "cjk"
    thesaurus: Thesaurus | None = None
    aq: AnalysedQuery = field(init=False)
    atoms: list[frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.aq = as_typed(analyse(self.text, self.thesaurus))
        self.atoms = self.aq.atoms
        # Each atom's text as typed: the search analyzer makes the same bigrams of it, and sees
        # them in order, so a synonym rule of several bigrams (老年人 → 老年 年人) applies.
        self.texts = {u.literal: u.text for g in self.aq.groups for u in (g.run, *g.parts)}
        # The fields holding bigrams: the main fields with `cjk`, their `.bigrams` with a word analyzer.
        self.grams = _fields(MAIN_FIELDS, "" if self.analyzer_name == "cjk" else ".bigrams")
        self.chars = _fields(SHORT_FIELDS, ".chars")

    @property
    def empty(self) -> bool:
        return not self.aq.groups

    @staticmethod
    def name(i: int) -> str:
        return f"a{i}"

    # --- clauses -------------------------------------------------------------------------

    def atom(self, terms: frozenset[str], *, literal: bool = False, name: str | None = None) -> Query:
        """A case has every term of `terms` in some field (a lone Chinese character: in a short
        field, as a substring of `.chars`)."""
        extra = {"_name": name} if name else {}
        if len(terms) == 1 and len(only := next(iter(terms))) == 1 and not only.isascii():
            return Q("multi_match", query=only, type="phrase", fields=self.chars, **extra)
        if literal:
            extra["analyzer"] = LITERAL_ANALYZER
        return Q("multi_match", query=self.texts[terms], type="cross_fields", fields=self.grams,
                 operator="and", **extra)

    def group(self, group: Group, *, literal: bool = False) -> Query:
        """The run matches fully: all its bigrams, or (a sentence) enough of its words."""
        run = self.atom(group.phrase, literal=literal)
        if not group.words_needed:
            return run
        words = [self.atom(p.literal, literal=literal) for p in group.parts]
        return _any([run, _any(words, group.words_needed)])

    def units(self) -> list[Query]:
        """One clause per word of the query: the case has it, or has its whole run."""
        out: list[Query] = []
        for group in self.aq.groups:
            whole = self.group(group)
            for part in group.parts:
                out.append(whole if part.literal == group.phrase and not group.words_needed
                           else _any([whole, self.atom(part.literal)]))
        return out

    def full(self) -> Query:
        return _any([self.group(g) for g in self.aq.groups], self.aq.groups_needed)

    def accepted(self, *, loose: bool = False) -> Query:
        """`coverage.accepted`: full, or at least half of the words; `loose`: any word."""
        units = self.units()
        if loose:
            return _any(units)
        return _any([self.full(), _any(units, math.ceil(len(units) / 2))])

    def tiers(self) -> list[Query]:
        """Constant scores in the order of `Coverage.tier` (runs, runs as typed, words): one word
        is a step; a run as typed outweighs every word, a run matched outweighs both. An exact
        phrase of the whole text adds a step (it has every run as typed: the top tier)."""
        n_units = len(self.units())
        word = STEP
        typed = word * (n_units + 2)
        run = typed * (len(self.aq.groups) + 1)
        out = [Q("constant_score", filter=self.group(g), boost=run) for g in self.aq.groups]
        out += [Q("constant_score", filter=self.group(g, literal=True), boost=typed) for g in self.aq.groups]
        out += [Q("constant_score", filter=u, boost=word) for u in self.units()]
        out.append(Q("constant_score", filter=Q("multi_match", query=self.text, type="phrase", fields=self.grams,
                                                analyzer=LITERAL_ANALYZER), boost=word))
        return out

    def relevance(self) -> list[Query]:
        """BM25 inside a tier: every atom once, named (the hit's `matched_queries`), and
        phrase matches of the whole text."""
        named = [self.atom(a, name=self.name(i)) for i, a in enumerate(self.atoms)]
        return [
            *named,
            Q("multi_match", query=self.text, type="phrase", fields=self.chars, boost=2),
            Q("multi_match", query=self.text, type="phrase", fields=_fields(("title", "summary", "body"))),
        ]

    def query(self, *, loose: bool = False) -> Query:
        if self.empty:
            return Q("match_none")
        return Q("bool", filter=[self.accepted(loose=loose)], should=[*self.tiers(), *self.relevance()])

    # --- aggregations and answers --------------------------------------------------------------

    def aggregations(self, post_filter: Query | None) -> dict[str, dict]:
        """Over the whole index (`global`): which atoms occur anywhere (the words no case has)
        and how many cases the strict rule accepts (none: the loose request); over the hits
        with the filters: how many are full matches."""
        named = {self.name(i): self.atom(a).to_dict() for i, a in enumerate(self.atoms)}
        named[ACCEPTED] = self.accepted().to_dict()
        full = Q("bool", filter=[self.full(), *([post_filter] if post_filter is not None else [])])
        return {
            COVERAGE_AGG: {"global": {}, "aggs": {"atoms": {"filters": {"filters": named}}}},
            FULL_AGG: {"filter": full.to_dict()},
        }

    def complete(self, matched_queries) -> set[frozenset[str]]:
        names = set(matched_queries or ())
        return {a for i, a in enumerate(self.atoms) if self.name(i) in names}

    def coverage(self, matched_queries) -> coverage.Coverage:
        """A hit's coverage from the names of the clauses it matched."""
        return coverage.assess(self.aq, self.complete(matched_queries))

    def read_aggregations(self, aggs: dict) -> Found:
        """What the strict request's `aggregations` say (see `aggregations`)."""
        buckets = aggs[COVERAGE_AGG]["atoms"]["buckets"]
        found = {a for i, a in enumerate(self.atoms) if buckets.get(self.name(i), {}).get("doc_count", 0)}
        return Found(accepted=buckets.get(ACCEPTED, {}).get("doc_count", 0), full=aggs[FULL_AGG]["doc_count"],
                     missing=coverage.missing_everywhere(self.aq, found), anywhere=bool(found))


@dataclass(frozen=True)
class Found:
    accepted: int  # cases in the index the strict rule accepts (none: ask for any word)
    full: int  # full matches among the hits (the filters applied)
    missing: list[str]  # the query's words no case has
    anywhere: bool  # some atom of the query occurs in some case
