"""How the Elasticsearch stand-in (es_stand_in.py) evaluates a search body: the query DSL the
adapter sends (bool with `minimum_should_match`, `constant_score`, `multi_match`, `terms`,
`term`, `ids`, `match_all`/`match_none`, `more_like_this`), named queries (`_name` → each hit's
`matched_queries`, as Elasticsearch reports them), `sort`, and the aggregations
(`global`, `filter`, `filters`, `terms`).

Query text is cut as the `cjk` analyzer cuts it (bigrams of Chinese runs, Latin words), and a
token matches a field that contains it as a substring, which for a bigram is what the analyzer's
matching means (a field has the bigram "老年" exactly when "老年" occurs in it): `cross_fields`
with `operator: and` and a `phrase` match as a real cluster does. Clauses on the main fields
without an `analyzer` of their own also match through the synonym set the cluster holds (the
fields' search analyzer): the text with one term replaced by a synonym, as `synonym_graph` does
for a rule's whole term. The
score is a stand-in for BM25: per matched token, the highest boost of a field holding it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar

Doc = tuple[str, dict]  # (id, source)
TOKENS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([a-z0-9]+)")
TEXT_FIELDS = ("title", "summary", "about", "body")


def _norm(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).lower()


def _field(spec: str) -> tuple[str, float]:
    name, _, boost = spec.partition("^")
    return name.split(".")[0], float(boost or 1)


def _multi_match(body: dict, source: dict) -> float | None:
    """The best score over the query's forms: the text, and (through the fields' search
    analyzer) each synonym form; a clause naming its own `analyzer` or a subfield gets none."""
    specs = body.get("fields") or [f"{f}^1" for f in TEXT_FIELDS]
    fields = [_field(f) for f in specs]
    values = {name: _norm(source.get(name)) for name, _boost in fields}
    query, boost = _norm(body["query"]), float(body.get("boost", 1))
    plain = "analyzer" not in body and not any("." in f.partition("^")[0] for f in specs)
    scores = [s for s in (_one_form(body, form, fields, values) for form in
                          (synonym_forms(query) if plain else [query])) if s is not None]
    return max(scores) * boost if scores else None


def _one_form(body: dict, query: str, fields, values) -> float | None:
    if body.get("type") == "phrase":
        held = [b for name, b in fields if query and query in values[name]]
        return max(held) if held else None
    score = 0.0
    for token in analyse(query):
        held = [b for name, b in fields if token in values[name]]
        if not held and body.get("operator") == "and":
            return None
        score += max(held, default=0.0)
    return score or None


# The synonym set the search analyzer uses while a search is evaluated (the stand-in sets it).
SYNONYMS: ContextVar[dict[str, set[str]] | None] = ContextVar("synonyms", default=None)


def synonym_map(rules: list[dict]) -> dict[str, set[str]]:
    """term → the terms it stands for, from a synonym set's rules (Solr format: "a, b, c" or
    "a, b => c, d")."""
    out: dict[str, set[str]] = {}
    for rule in rules:
        left, arrow, right = rule["synonyms"].partition("=>")
        terms = [_norm(t).strip() for t in left.split(",") if t.strip()]
        targets = [_norm(t).strip() for t in right.split(",") if t.strip()] if arrow else terms
        for term in terms:
            out.setdefault(term, set()).update(targets)
    return out


def synonym_forms(text: str) -> list[str]:
    """The text, and the text with one term of the synonym set replaced by each of its
    synonyms (what `synonym_graph` makes of a query, one rule at a time)."""
    forms = [text]
    for term, targets in (SYNONYMS.get() or {}).items():
        if term in text:
            forms += [text.replace(term, target) for target in sorted(targets) if target != term]
    return list(dict.fromkeys(forms))


def analyse(text: str) -> list[str]:
    """The `cjk` analyzer's tokens: bigrams of each run of Chinese characters (a lone character
    itself), Latin letters and digits as words."""
    out = []
    for han, latin in TOKENS.findall(text):
        out += [han[i : i + 2] for i in range(len(han) - 1)] or [han] if han else [latin]
    return out


def _values(source: dict, name: str) -> set:
    have = source.get(name)
    return set(have) if isinstance(have, list) else {have}


def score(node: dict, doc: Doc) -> float | None:
    """The document's score under `node`, None when it does not match."""
    doc_id, source = doc
    ((kind, body),) = node.items()
    if kind == "match_all":
        return float(body.get("boost", 1))
    if kind == "match_none":
        return None
    if kind == "multi_match":
        return _multi_match(body, source)
    if kind == "constant_score":
        return float(body.get("boost", 1)) if score(body["filter"], doc) is not None else None
    if kind == "ids":
        return 1.0 if doc_id in body["values"] else None
    if kind == "more_like_this":
        return 1.0
    if kind in ("terms", "term"):
        ((name, wanted),) = ((k, v) for k, v in body.items() if k not in ("boost", "_name"))
        if kind == "term":
            wanted = [wanted["value"] if isinstance(wanted, dict) else wanted]
        return float(body.get("boost", 1)) if _values(source, name) & set(wanted) else None
    if kind == "bool":
        return _bool(body, doc)
    raise AssertionError(f"the stand-in does not know the query {kind}")


def _listed(body: dict, key: str) -> list[dict]:
    clauses = body.get(key, [])
    return clauses if isinstance(clauses, list) else [clauses]


def _bool(body: dict, doc: Doc) -> float | None:
    total = 0.0
    for clause in _listed(body, "must"):
        found = score(clause, doc)
        if found is None:
            return None
        total += found
    if any(score(clause, doc) is None for clause in _listed(body, "filter")):
        return None
    if any(score(clause, doc) is not None for clause in _listed(body, "must_not")):
        return None
    should = [s for s in (score(clause, doc) for clause in _listed(body, "should")) if s is not None]
    required = 0 if body.get("must") or body.get("filter") else (1 if body.get("should") else 0)
    required = int(body.get("minimum_should_match", required))
    if len(should) < required:
        return None
    return total + sum(should)


def named(node) -> Iterator[tuple[str, dict]]:
    """(name, query) of every query clause with a `_name`, in the order of the body."""
    if isinstance(node, dict):
        for kind, body in node.items():
            if isinstance(body, dict) and "_name" in body:
                yield body["_name"], {kind: {k: v for k, v in body.items() if k != "_name"}}
            yield from named(body)
    elif isinstance(node, list):
        for item in node:
            yield from named(item)


def matched_queries(body: dict, doc: Doc) -> list[str]:
    names = [*named(body.get("query", {})), *named(body.get("post_filter", {}))]
    return list(dict.fromkeys(name for name, query in names if score(query, doc) is not None))


def sort(hits: list[tuple[Doc, float]], spec: list) -> list[tuple[Doc, float]]:
    """`sort` as Elasticsearch applies it (missing values last); without one, by score."""
    keys = []
    for item in spec or ["_score"]:
        if isinstance(item, str):
            name, order = item, "desc" if item == "_score" else "asc"
        else:
            ((name, options),) = item.items()
            order = options.get("order", "asc") if isinstance(options, dict) else options
        keys.append((name, order == "desc"))
    for name, descending in reversed(keys):
        def key(hit, name=name, descending=descending):
            value = hit[1] if name == "_score" else hit[0][1].get(name)
            return (value is not None) == descending, value if value is not None else 0
        hits = sorted(hits, key=key, reverse=descending)
    return hits


def aggregate(spec: dict, docs: list[Doc], everything: list[Doc]) -> dict:
    """The aggregations of `spec` over `docs` (`global`: over `everything`)."""
    out = {}
    for name, agg in spec.items():
        subs = agg.get("aggs", {})
        if "filters" in agg:
            out[name] = {"buckets": {
                key: {"doc_count": len(inside := [d for d in docs if score(query, d) is not None]),
                      **aggregate(subs, inside, everything)}
                for key, query in agg["filters"]["filters"].items()}}
            continue
        if "terms" in agg:
            counts: dict = {}
            for _id, source in docs:
                for value in _values(source, agg["terms"]["field"]) - {None}:
                    counts[value] = counts.get(value, 0) + 1
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[: agg["terms"].get("size", 10)]
            out[name] = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                         "buckets": [{"key": k, "doc_count": n} for k, n in ordered]}
            continue
        if "global" in agg:
            inside = everything
        elif "filter" in agg:
            inside = [d for d in docs if score(agg["filter"], d) is not None]
        else:
            raise AssertionError(f"the stand-in does not know the aggregation {agg}")
        out[name] = {"doc_count": len(inside), **aggregate(subs, inside, everything)}
    return out
