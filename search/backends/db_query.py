"""SQL for the database backend: text matching, filters and facet counts.

Matching is one GROUP BY over the posting rows of the query's terms, with a HAVING clause
that applies the match rules of `search.segment.analyse`; its ids, fetched once, feed scoring,
counting and the facets, so all of them agree. Everything is plain SQL that SQLite and
PostgreSQL both run, and the number of queries does not depend on the page size.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Case, Count, F, IntegerField, Lookup, QuerySet, Value, When
from django.db.models import Q as DQ
from django.db.models.lookups import Exact, GreaterThanOrEqual

from ..models import CaseFacet, CaseIndex, IndexTerm
from ..query import DIMENSIONS
from ..segment import AnalysedQuery


def _one_if(*conditions) -> Case:
    return Case(*(When(c, then=Value(1)) for c in conditions), default=Value(0), output_field=IntegerField())


def _sum(expressions: list):
    total = expressions[0]
    for e in expressions[1:]:
        total = total + e
    return total


def text_match(aq: AnalysedQuery) -> QuerySet:
    """Ids (as a `values("case_id")` subquery) of the cases that match the analysed query."""
    atoms = aq.atoms
    terms = sorted(set().union(*atoms))
    # case_id, not id: both are in the (term, case) index, so PostgreSQL can answer from the index alone.
    counts = {f"a{i}": Count("case_id", filter=DQ(term__in=sorted(atom))) for i, atom in enumerate(atoms)}
    index = {atom: f"a{i}" for i, atom in enumerate(atoms)}
    qs = IndexTerm.objects.filter(term__in=terms).values("case_id").annotate(**counts)

    def has(atom) -> Exact:
        # Terms are unique per case, so "all present" is "as many rows as terms".
        return Exact(F(index[atom]), len(atom))

    groups = []
    for group in aq.groups:
        conditions = [has(group.phrase)]
        if group.words:
            words = _sum([_one_if(has(w)) for w in group.words])
            conditions.append(GreaterThanOrEqual(words, group.words_needed))
        groups.append(_one_if(*conditions))
    qs = qs.annotate(matched_groups=_sum(groups)).filter(matched_groups__gte=aq.groups_needed)
    return qs.values("case_id")


def matching_ids(aq: AnalysedQuery) -> list[int]:
    """The matching case ids, fetched once: scoring, counting and every facet query reuse the
    list instead of re-running the GROUP BY over the posting rows (once per facet query before)."""
    return [row["case_id"] for row in text_match(aq)]


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
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def base(text: QuerySet | list[int] | None, filters: dict[str, tuple], exclude: str | None = None) -> QuerySet:
    qs = CaseIndex.objects.all()
    if isinstance(text, list):
        qs = qs.filter(InList(F("pk"), text))
    elif text is not None:
        qs = qs.filter(pk__in=text)
    return filter_ids(qs, filters, exclude)


def _id_condition(column: str, ids: list[int], vendor: str) -> tuple[str, list]:
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def facet_counts_of_ids(ids: list[int], filters: dict[str, tuple]) -> dict[str, dict]:
    """`facet_counts` for matched ids in one query instead of 1 + (filtered dimensions).

    Each matched case gets a flag per active filter (does it pass it?); a facet row counts when
    its case passes every filter except the one on the row's own dimension.
    """
    counts: dict[str, dict] = {dim: {} for dim in DIMENSIONS}
    ids = [int(i) for i in ids]
    if not ids:
        return counts
    connection = connections[router.db_for_read(CaseFacet)]
    quote = connection.ops.quote_name
    table = quote(CaseFacet._meta.db_table)
    dim_col, value_col, case_col = (quote(CaseFacet._meta.get_field(f).column) for f in ("dimension", "value", "case"))
    dims = list(filters)
    flags, flag_params = [], []
    for dim in dims:
        values = [str(v) for v in filters[dim]]
        flags.append(f"MAX(CASE WHEN {dim_col} = %s AND {value_col} IN ({', '.join(['%s'] * len(values))}) "
                     f"THEN 1 ELSE 0 END)")
        flag_params += [dim, *values]
    where_ids, id_params = _id_condition(case_col, ids, connection.vendor)
    flag_cols = "".join(f", {flag} OVER (PARTITION BY {case_col}) AS f{i}" for i, flag in enumerate(flags))
    passes = " AND ".join(f"({dim_col} = %s OR f{i} = 1)" for i in range(len(dims))) or "1 = 1"
    # One pass over the matched cases' facet rows: the window gives every row its case's flags.
    # Only identifiers from the model's metadata go into the SQL; every value is a parameter.
    sql = (
        f"SELECT {dim_col}, {value_col}, SUM(CASE WHEN {passes} THEN 1 ELSE 0 END) FROM ("  # noqa: S608
        f"SELECT {dim_col}, {value_col}{flag_cols} FROM {table} WHERE {where_ids}) facet_rows "
        f"WHERE {dim_col} IN ({', '.join(['%s'] * len(DIMENSIONS))}) GROUP BY {dim_col}, {value_col}"
    )
    params = [*dims, *flag_params, *id_params, *DIMENSIONS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dim, value, n in cursor.fetchall():
            if n:
                counts[dim][int(value) if dim == "year" else value] = int(n)
    return counts


def facet_counts(text: QuerySet | list[int] | None, filters: dict[str, tuple]) -> dict[str, dict]:
    """{dimension: {value: count}}; a dimension's counts ignore its own filter (API.md).

    For a list of matched ids, one query (`facet_counts_of_ids`). Otherwise dimensions without a
    filter of their own share one aggregate query and each filtered dimension needs its own,
    so it is 1 + (number of filtered dimensions) queries.
    """
    if isinstance(text, list):
        return facet_counts_of_ids(text, filters)
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
