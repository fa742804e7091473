"""SQL for the database backend: text matching, filters and facet counts.

Matching is one GROUP BY over the posting rows of the query's terms, with a HAVING clause
that applies the match rules of `search.segment.analyse`; its ids, fetched once, feed scoring,
counting and the facets, so all of them agree. Everything is plain SQL that SQLite and
PostgreSQL both run, and the number of queries does not depend on the page size.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Count, Lookup, QuerySet

from ..models import CaseFacet, CaseIndex, IndexTerm
from ..query import DIMENSIONS
from ..segment import AnalysedQuery
from . import coverage

# Bits per mask column (SQLite and PostgreSQL integers are signed 64-bit).
MASK_BITS = 62


def complete_atoms(aq: AnalysedQuery) -> dict[int, int]:
    """{case id: bit mask of its complete atoms (bit i: `aq.atoms[i]`)} for every case with at
    least one of them, in one `GROUP BY` over the posting rows of the query's terms.

    Terms are unique per case, so a term set is complete when the case has as many of its rows
    as it has terms. Which cases match and how they rank is decided from the masks
    (`coverage`), so the rule lives in one place. Written as SQL text rather than ORM
    expressions: building ~2 expressions per atom cost more than running the query (a query
    with synonyms has 10-40 atoms). Only identifiers from the model's metadata and integers we
    computed go into the text; every term is a parameter.
    """
    atoms = aq.atoms
    terms = sorted(set().union(*atoms))
    connection = connections[router.db_for_read(IndexTerm)]
    quote = connection.ops.quote_name
    table = quote(IndexTerm._meta.db_table)
    term_col, case_col = (quote(IndexTerm._meta.get_field(f).column) for f in ("term", "case"))
    params: list = []
    masks = []
    for j, start in enumerate(range(0, len(atoms), MASK_BITS)):
        flags = []
        for i, atom in enumerate(atoms[start : start + MASK_BITS]):
            members = sorted(atom)
            params += members
            inside = ", ".join(["%s"] * len(members))
            flags.append(f"CASE WHEN SUM(CASE WHEN {term_col} IN ({inside}) THEN 1 ELSE 0 END) = {len(members)}"
                         f" THEN {1 << i} ELSE 0 END")
        masks.append(f"({' + '.join(flags)}) AS m{j}")
    where = f"{term_col} IN ({', '.join(['%s'] * len(terms))})"
    any_mask = " OR ".join(f"m{j} <> 0" for j in range(len(masks)))
    sql = (f"SELECT * FROM (SELECT {case_col} AS case_id, {', '.join(masks)} FROM {table}"  # noqa: S608
           f" WHERE {where} GROUP BY {case_col}) AS matched WHERE {any_mask}")
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *terms])
        for case_id, *parts in cursor.fetchall():
            mask = 0
            for j, part in enumerate(parts):
                mask |= int(part) << (j * MASK_BITS)
            out[case_id] = mask
    return out


def matching_ids(aq: AnalysedQuery) -> list[int]:
    """The cases that match the whole query, partial matches left out: the rule the
    Elasticsearch backend follows too (search/conformance.py checks a cluster against it)."""
    coverages, _missing = coverage.of_masks(aq, complete_atoms(aq))
    return [cid for cid, c in coverages.items() if coverage.is_full(aq, c)]


def filter_ids(qs: QuerySet, filters: dict[str, tuple], exclude: str | None = None) -> QuerySet:
    """`CaseIndex` rows with every filter but `exclude` applied (OR within, AND across)."""
    for dim, values in filters.items():
        if dim == exclude:
            continue
        qs = qs.filter(
            pk__in=CaseFacet.objects.filter(dimension=dim, value__in=[str(v) for v in values]).values("case_id")
        )
    return qs


class InList(Lookup):
    """`field IN ids` for a list of ids: one array parameter on PostgreSQL (`= ANY(%s)`), so a
    few thousand matching ids cost neither Django's per-value preparation nor a long SQL text."""

    lookup_name = "in_list"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(i) for i in self.rhs]
        if not ids:
            return "1 = 0", []
        condition, params = _id_condition(lhs, ids, connection.vendor)
        return condition, [*lhs_params, *params]


def base(text: QuerySet | None, filters: dict[str, tuple], exclude: str | None = None) -> QuerySet:
    """Index rows matching `text` (a subquery of case ids, or None: all) and the filters. A
    list of matched ids takes `filters_passed` and `passing_all` instead."""
    qs = CaseIndex.objects.all()
    if text is not None:
        qs = qs.filter(pk__in=text)
    return filter_ids(qs, filters, exclude)


def _id_condition(column: str, ids: list[int], vendor: str) -> tuple[str, list]:
    """On PostgreSQL one array parameter, sent as its text form ("{1,2,3}": the ids are ints):
    psycopg's list adapter spent ~2 ms per 2,700 ids in Python."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _facet_table() -> tuple:
    """The connection, and the quoted table and columns of `CaseFacet`, for the raw SQL here."""
    connection = connections[router.db_for_read(CaseFacet)]
    quote = connection.ops.quote_name
    columns = (quote(CaseFacet._meta.get_field(f).column) for f in ("dimension", "value", "case"))
    return connection, quote(CaseFacet._meta.db_table), *columns


def facet_counts_of_ids(ids: list[int], filters: dict[str, tuple],
                        passed: dict[int, set[str]] | None = None) -> dict[str, dict]:
    """`facet_counts` for matched ids in at most two small queries instead of 1 + (filtered dimensions).

    A facet row counts when its case passes every filter except the one on the row's own
    dimension. So first which filters each matched case passes (from the filter values' index
    entries only); then the rows of the cases that pass them all, plus, for each filtered
    dimension, that dimension's rows of the cases that fail only its filter. The cases failing
    two filters or more count nowhere and are never read (on 2,701 matches with two filters:
    22,000 facet rows and a window over them before, a few hundred index entries now).
    """
    counts: dict[str, dict] = {dim: {} for dim in DIMENSIONS}
    ids = [int(i) for i in ids]
    if not ids:
        return counts
    connection, table, dim_col, value_col, case_col = _facet_table()
    dims_in = f"{dim_col} IN ({', '.join(['%s'] * len(DIMENSIONS))})"
    if passed is None:
        passed = filters_passed(ids, filters)
    wanted = len(filters)
    # Only identifiers from the model's metadata go into the SQL; every value is a parameter.
    parts = []
    if everything := passing_all(ids, filters, passed):
        where, params = _id_condition(case_col, everything, connection.vendor)
        parts.append((f"SELECT {dim_col}, {value_col}, COUNT(*) FROM {table} WHERE {where} AND {dims_in}"  # noqa: S608
                      f" GROUP BY {dim_col}, {value_col}", [*params, *DIMENSIONS]))
    for dim in filters:
        if wanted == 1:  # failing the only filter: passing nothing
            only = [c for c in ids if c not in passed]
        else:  # a case that fails two filters or more counts nowhere
            only = [c for c, dims in passed.items() if len(dims) == wanted - 1 and dim not in dims]
        if only:
            where, params = _id_condition(case_col, only, connection.vendor)
            parts.append((f"SELECT {dim_col}, {value_col}, COUNT(*) FROM {table} WHERE {where}"  # noqa: S608
                          f" AND {dim_col} = %s GROUP BY {dim_col}, {value_col}", [*params, dim]))
    if not parts:
        return counts
    sql = " UNION ALL ".join(part for part, _params in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _sql, params in parts for p in params])
        for dim, value, n in cursor.fetchall():
            key = int(value) if dim == "year" else value
            counts[dim][key] = counts[dim].get(key, 0) + int(n)
    return counts


def filters_passed(ids: list[int], filters: dict[str, tuple]) -> dict[int, set[str]]:
    """{case id: the filtered dimensions whose filter it passes}, for the matched ids.

    Read from the filter values' entries in the `(dimension, value, case)` index alone (an
    index-only scan; restricting it to thousands of matched ids in SQL made PostgreSQL read
    every facet row of those cases instead) and intersected with the ids here."""
    if not filters:
        return {}
    connection, table, dim_col, value_col, case_col = _facet_table()
    parts, params = [], []
    for dim, values in filters.items():
        values = [str(v) for v in values]
        # No DISTINCT: a case with two of the values comes twice, and lands in the same set.
        parts.append(f"SELECT {case_col}, {dim_col} FROM {table} WHERE {dim_col} = %s"  # noqa: S608
                     f" AND {value_col} IN ({', '.join(['%s'] * len(values))})")
        params += [dim, *values]
    wanted = set(ids)
    passed: dict[int, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for case_id, dim in cursor.fetchall():
            if case_id in wanted:
                passed.setdefault(case_id, set()).add(dim)
    return passed


def passing_all(ids: list[int], filters: dict[str, tuple], passed: dict[int, set[str]]) -> list[int]:
    """The ids that pass every filter (`passed` holds matched ids only)."""
    if not filters:
        return list(ids)
    wanted = len(filters)
    return [c for c, dims in passed.items() if len(dims) == wanted]


def facet_counts(text: QuerySet | list[int] | None, filters: dict[str, tuple],
                 passed: dict[int, set[str]] | None = None) -> dict[str, dict]:
    """{dimension: {value: count}}; a dimension's counts ignore its own filter (docs/api.md §Conventions).

    For a list of matched ids, two queries (`facet_counts_of_ids`). Otherwise dimensions without a
    filter of their own share one aggregate query and each filtered dimension needs its own,
    so it is 1 + (number of filtered dimensions) queries.
    """
    if isinstance(text, list):
        return facet_counts_of_ids(text, filters, passed)
    counts: dict[str, dict] = {dim: {} for dim in DIMENSIONS}
    plans = [(tuple(d for d in DIMENSIONS if d not in filters), None)]
    plans += [((dim,), dim) for dim in DIMENSIONS if dim in filters]
    for dims, exclude in plans:
        if not dims:
            continue
        rows = (
            CaseFacet.objects.filter(dimension__in=dims, case_id__in=base(text, filters, exclude).values("pk"))
            .values_list("dimension", "value")
            .annotate(n=Count("id"))
            .order_by()
        )
        for dim, value, n in rows:
            counts[dim][int(value) if dim == "year" else value] = n
    return counts
