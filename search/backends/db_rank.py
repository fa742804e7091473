"""The library's ranking done by the database: BM25F, coverage tiers and the order of every
accepted case in one SQL statement (issue 18; docs/search.md, "The database backend").

`ranking.score` and `coverage.assess` are the reference written in Python; this module compiles
the same rules into SQL for one analysed query, so the posting rows never leave the database:
before, ~8,000 rows for 老年人 at 10,000 published cases were fetched and scored in Python.
tests/search/test_db_rank.py checks that both give the same scores, tiers and order.

The statement, in layers (CTEs):
- `q`, `d`: the query's terms with their two weights (all forms; the text as typed), a bit each,
  and their idf, from an index-only count of each term's rows (computed once per term).
- `p`: every posting row of those terms with BM25's saturated, length-normalised weighted count
  (the case's field lengths joined from `CaseIndex`).
- `m`: per case, which terms it has (terms are unique per case, so the sum of their bits is their
  OR) and the BM25F sums of both weightings.
- `a`, `c`: per case, the atoms (term sets) and phrases it has complete, its coverage tier.
- `r`: the score, and whether the case is returned (`coverage.accepted`, with its fallback as a
  window over all matched cases).
The result is one summary row (the atoms complete somewhere: the words no case has) and then
the accepted cases, best first. Only identifiers from the models' metadata and numbers we
computed (weights, statistics, bits) go into the SQL text; every term is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router

from ..models import CaseIndex, IndexTerm
from ..segment import AnalysedQuery, Group
from . import coverage, ranking
from .db_query import MASK_BITS


@dataclass(frozen=True)
class Ranked:
    """Every accepted case of a query, best first, with what the page needs to say about it."""

    ids: list[int]
    masks: dict[int, int]  # accepted case id -> bit mask of its complete atoms
    full: set[int]  # accepted cases that match the whole query
    somewhere: int  # mask of the atoms complete in at least one case
    scores: dict[int, float]  # accepted case id -> BM25F score


def _columns():
    connection = connections[router.db_for_read(IndexTerm)]
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    return connection, quote, column


def _any(flags: list[str]) -> str:
    """1 when any of the 0/1 expressions is 1."""
    return f"(CASE WHEN {' + '.join(flags)} > 0 THEN 1 ELSE 0 END)" if len(flags) > 1 else flags[0]


def _group_sql(group: Group, flag: dict[frozenset[str], str]) -> tuple[str, str, str]:
    """(run matched, run matched as typed, words matched) of one group, as SQL over atom flags:
    `coverage.assess` for one group."""
    run_any = _any([flag[f] for f in group.run.forms])
    run_literal = flag[group.run.literal]
    parts_any = [_any([flag[f] for f in p.forms]) for p in group.parts]
    if group.words_needed:
        parts_sum = " + ".join(parts_any)
        literal_sum = " + ".join(flag[p.literal] for p in group.parts)
        run_any = f"(CASE WHEN {run_any} + (CASE WHEN {parts_sum} >= {group.words_needed} THEN 1 ELSE 0 END) > 0 THEN 1 ELSE 0 END)"
        run_literal = (f"(CASE WHEN {run_literal} + (CASE WHEN {literal_sum} >= {group.words_needed} THEN 1 ELSE 0 END)"
                       " > 0 THEN 1 ELSE 0 END)")
    units = f"(CASE WHEN {run_any} = 1 THEN {len(group.parts)} ELSE {' + '.join(parts_any)} END)"
    return run_any, run_literal, units


def _f(x: float) -> str:
    """A number as a double-precision literal: a bare `0.3` is NUMERIC in PostgreSQL, whose
    arbitrary-precision arithmetic (and LN) made the statement ten times slower."""
    return f"CAST({float(x)!r} AS DOUBLE PRECISION)"


def _chunks(n: int) -> list[range]:
    return [range(start, min(start + MASK_BITS, n)) for start in range(0, n, MASK_BITS)]


def _has_all(members: frozenset[str], bit: dict[str, int]) -> str:
    """1 when a case has every term of `members`, tested on its term-bit columns `tm<j>`."""
    wanted: dict[int, int] = {}
    for term in members:
        wanted[bit[term] // MASK_BITS] = wanted.get(bit[term] // MASK_BITS, 0) | 1 << (bit[term] % MASK_BITS)
    tests = " AND ".join(f"(tm{j} & {v}) = {v}" for j, v in sorted(wanted.items()))
    return f"(CASE WHEN {tests} THEN 1 ELSE 0 END)"


def rank(aq: AnalysedQuery, params: ranking.Params, n_docs: int, avg_length: dict[str, float]) -> Ranked:
    """Every case the query returns, best first: one statement whatever the number of matches.
    `n_docs` and `avg_length` are the collection's statistics (cached by the backend)."""
    connection, quote, column = _columns()
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    # A subquery the planner may not merge into the next one, so each of its columns is computed
    # once per row rather than once per reference (PostgreSQL copies the expression otherwise).
    barrier = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"
    atoms = aq.atoms
    terms = sorted(set(aq.weights).union(*atoms))
    bit = {term: i for i, term in enumerate(terms)}
    term_chunks, atom_chunks = _chunks(len(terms)), _chunks(len(atoms))
    phrases = [g.phrase for g in aq.groups if len(g.phrase) > 1]
    it, ci = quote(IndexTerm._meta.db_table), quote(CaseIndex._meta.db_table)
    case_col, term_col = f"t.{column(IndexTerm, 'case')}", f"t.{column(IndexTerm, 'term')}"
    sql_params: list = []

    # q: the query's terms, their weights (all forms; as typed), their bit, and their document
    # frequency (an index-only count per term) turned into idf once per term, not per row.
    rows = []
    for term in terms:
        tbits = ", ".join(str(1 << (bit[term] % MASK_BITS)) if bit[term] // MASK_BITS == j else "0"
                          for j in range(len(term_chunks)))
        rows.append(f"(%s, {_f(aq.weights.get(term, 0.0))}, {_f(aq.typed_weights.get(term, 0.0))}, {tbits})")
        sql_params.append(term)
    tb_names = ", ".join(f"tb{j}" for j in range(len(term_chunks)))
    q = f"q(term, wa, wt, {tb_names}) AS (VALUES {', '.join(rows)})"
    df = f"(SELECT COUNT({case_col}) FROM {it} t WHERE {term_col} = q.term)"  # noqa: S608
    # ln(1 + (N - df + 0.5) / (df + 0.5)) (`ranking.idf`), written with df once.
    d = f"d AS (SELECT q.*, LN(({_f(n_docs)} + 1) / ({df} + 0.5)) AS idf FROM q)"  # noqa: S608

    # p: one row per posting of those terms: its BM25F weighted count (tf), w * idf per weighting.
    tf_parts = []
    for name in ranking.FIELDS:
        b, w, avg = params.b[name], params.weights[name], avg_length.get(name) or 1.0
        count, length = f"t.{column(IndexTerm, name)}", f"c.{column(CaseIndex, f'len_{name}')}"
        tf_parts.append(f"(CASE WHEN {count} > 0 THEN {_f(w)} * {count} / {greatest}(1 - {_f(b)} + {_f(b)} * {length}"
                        f" / {_f(avg)}, 0.05) ELSE 0 END)")
    # BM25's saturation tf (k1 + 1) / (tf + k1), written with tf once: (k1 + 1) (1 - k1 / (tf + k1)).
    k1 = params.k1
    sat = f"{_f(k1 + 1)} * (1 - {_f(k1)} / ({' + '.join(tf_parts)} + {_f(k1)}))"
    p = (f"p AS (SELECT {case_col} AS case_id, {tb_names.replace('tb', 'd.tb')}, d.wa * d.idf AS wia, d.wt * d.idf AS wit,"  # noqa: S608
         f" {sat} AS sat"
         f" FROM {it} t JOIN d ON d.term = {term_col} JOIN {ci} c ON c.{column(CaseIndex, 'case')} = {case_col}{barrier})")

    # m: per case, which terms it has (terms are unique per case, so a SUM of their bits is their
    # OR) and the BM25F sums of both weightings.
    m = (f"m AS (SELECT case_id, {', '.join(f'CAST(SUM(tb{j}) AS BIGINT) AS tm{j}' for j in range(len(term_chunks)))},"  # noqa: S608
         " SUM(wia * sat) AS sa, SUM(wia) AS ea, SUM(wit * sat) AS st, SUM(wit) AS et FROM p GROUP BY case_id)")

    # a: per case, its complete atoms (a<i>) and phrases (h<j>).
    a_cols = [f"{_has_all(atom, bit)} AS a{i}" for i, atom in enumerate(atoms)]
    a_cols += [f"{_has_all(ph, bit)} AS h{j}" for j, ph in enumerate(phrases)]
    a = f"a AS (SELECT case_id, sa, ea, st, et, {', '.join(a_cols)} FROM m{barrier})"  # noqa: S608

    # c: coverage (`coverage.assess`) and score (`ranking.score`) of each matched case.
    flag = {atom: f"a{i}" for i, atom in enumerate(atoms)}
    full_sql, literal_sql, units_sql = zip(*(_group_sql(g, flag) for g in aq.groups), strict=True)
    full, literal, units = (" + ".join(parts) for parts in (full_sql, literal_sql, units_sql))
    masks = [" + ".join(f"a{i} * {1 << (i % MASK_BITS)}" for i in chunk) for chunk in atom_chunks]
    coord = params.coordination
    bonus = (f"(1 + {_f(params.phrase_bonus)} * ({' + '.join(f'h{j}' for j in range(len(phrases)))}) / {_f(len(phrases))})"
             if phrases else "1")
    # `possible`: every query term's w * idf, terms found nowhere included (df 0).
    score_typed = f"st * ({_f(1 - coord)} + {_f(coord)} * et / (SELECT SUM(wt * idf) FROM d))"  # noqa: S608
    score_all = f"sa * ({_f(1 - coord)} + {_f(coord)} * ea / (SELECT SUM(wa * idf) FROM d))"  # noqa: S608
    # The text as typed alone scores a case that matches it as typed (synonyms never reorder those).
    score = f"(CASE WHEN fr = lr THEN {score_typed} ELSE {score_all} END) * {bonus}"
    any_atom = " + ".join(f"a{i}" for i in range(len(atoms)))
    h_cols = "".join(f", h{j}" for j in range(len(phrases)))
    c = (f"c AS (SELECT case_id, {', '.join(f'{expr} AS k{j}' for j, expr in enumerate(masks))},"  # noqa: S608
         f" {', '.join(f'a{i}' for i in range(len(atoms)))}, {full} AS fr, {literal} AS lr, {units} AS un, sa, ea, st, et{h_cols}"
         f" FROM a WHERE {any_atom} > 0{barrier})")
    # r: which cases are returned (`coverage.accepted`: full matches and most of the words; when
    # none, any word), as a window over all matched cases.
    accepted = f"CASE WHEN fr >= {aq.groups_needed} OR 2 * un >= {coverage.total_units(aq)} THEN 1 ELSE 0 END"
    k_cols = ", ".join(f"k{j}" for j in range(len(masks)))
    r = (f"r AS (SELECT case_id, {k_cols}, fr, lr, un, {score} AS score, acc, MAX(acc) OVER () AS any_acc"  # noqa: S608
         f" FROM (SELECT c.*, {accepted} AS acc FROM c) AS x)")
    # Equal scores up to rounding tie on the id (`ranking`'s rule), whatever the order of summing.
    rounded = "ROUND(score * 1e9)"
    # The atoms complete somewhere: each atom's MAX (a MAX of a sum of bits is not their OR).
    somewhere = ", ".join(" + ".join(f"MAX(a{i}) * {1 << (i % MASK_BITS)}" for i in chunk) for chunk in atom_chunks)
    sql = (f"WITH {q}, {d}, {p}, {m}, {a}, {c}, {r}"  # noqa: S608
           f" SELECT 0 AS kind, 0 AS case_id, {somewhere}, 0, 0, 0, 0, 0 FROM c"
           f" UNION ALL SELECT * FROM (SELECT 1 AS kind, case_id, {k_cols}, fr, lr, un, {rounded} AS o, score FROM r"
           f" WHERE acc = 1 OR (any_acc = 0 AND un > 0)) AS page"
           f" ORDER BY 1, {len(masks) + 3} DESC, {len(masks) + 4} DESC, {len(masks) + 5} DESC, {len(masks) + 6} DESC, 2 DESC")
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    needed, width = aq.groups_needed, len(masks)

    def mask_of(row: tuple) -> int:
        if width == 1:
            return int(row[2] or 0)
        return sum(int(part or 0) << (j * MASK_BITS) for j, part in enumerate(row[2 : 2 + width]))

    found, rows = mask_of(rows[0]), rows[1:]
    ids = [row[1] for row in rows]
    out_masks = {row[1]: mask_of(row) for row in rows}
    full_ids = {row[1] for row in rows if row[2 + width] >= needed}
    scores = {row[1]: float(row[-1]) for row in rows}
    return Ranked(ids, out_masks, full_ids, found, scores)
