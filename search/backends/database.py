"""The embedded backend: Chinese-aware full-text search in SQLite or PostgreSQL.

Indexing writes one `CaseIndex` row, its posting rows and its facet rows per published case.
Searching matches in SQL (`db_query`), scores the matched cases' postings with BM25F in
Python (`ranking`), counts facets with aggregate queries and highlights only the page shown.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import itemgetter

from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import Avg, Count, F, QuerySet

from cases.models import Case

from .. import highlight, synonyms
from ..extract import BODY_SECTIONS, CaseText, case_text, suggestion_inputs
from ..facets import build_facets
from ..models import CaseFacet, CaseIndex, IndexTerm
from ..query import SearchHit, SearchQuery, SearchResults
from ..segment import AnalysedQuery, analyse, normalise, terms_and_length, words
from . import Progress, coverage, db_answers, db_query, db_rank, db_swap, ranking

BATCH = 2000
# Cases per transaction in a rebuild: few enough that a search never waits long on one.
REBUILD_BATCH = 200
MAX_TF = 32767
# What is written to IndexTerm: term, case id, counts in title, summary, about, body.
PostingRow = tuple[str, int, int, int, int, int]


def _rows(text: CaseText) -> tuple[CaseIndex, list[PostingRow], list[CaseFacet]]:
    analysed = {name: terms_and_length(value, unigrams=name != "body") for name, value in text.fields.items()}
    per_field = {name: counts for name, (counts, _length) in analysed.items()}
    row = CaseIndex(
        case_id=text.case_id, title=text.title, published_at=text.published_at, digest=text.digest(),
        **{f"len_{name}": length for name, (_counts, length) in analysed.items()},
    )
    t, s, a, b = (per_field[name] for name in ranking.FIELDS)
    if max(chain(t.values(), s.values(), a.values(), b.values()), default=0) > MAX_TF:
        t, s, a, b = ({term: min(n, MAX_TF) for term, n in c.items()} for c in (t, s, a, b))
    cid, tg, sg, ag, bg = text.case_id, t.get, s.get, a.get, b.get
    # Spelled out (no generator or min() per term): this runs for ~1,000 terms per case.
    postings = [(term, cid, tg(term, 0), sg(term, 0), ag(term, 0), bg(term, 0)) for term in b.keys() | t.keys() | s.keys() | a.keys()]
    facets = [
        CaseFacet(case_id=text.case_id, dimension=dim, value=str(value))
        for dim, values in text.facets.items()
        for value in values
    ]
    return row, postings, facets


def copy_text(rows: list[PostingRow]) -> str:
    """Posting rows in COPY's text format. Terms are runs of Han characters or of [a-z0-9]
    (segment.TOKEN_RE), so they never hold a tab, newline or backslash to escape."""
    return "".join(["%s\t%s\t%s\t%s\t%s\t%s\n" % row for row in rows])  # noqa: UP031 (the fastest here)


def _insert_postings(rows: list[PostingRow]) -> None:
    """About 750 rows per case, so not model instances: PostgreSQL gets them through COPY
    (twenty times the rows per second of INSERTs sent one by one), SQLite through executemany
    of one prepared INSERT. Only identifiers from the model's metadata go into the SQL."""
    connection = connections[router.db_for_write(IndexTerm)]
    quote = connection.ops.quote_name
    table = quote(IndexTerm._meta.db_table)
    columns = ", ".join(quote(IndexTerm._meta.get_field(f).column) for f in db_swap.POSTING_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), BATCH * 10):
                    copy.write(copy_text(rows[start : start + BATCH * 10]))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 6)})"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


# The collection's size and mean field lengths for BM25 (an aggregate over every index row, ~3 ms
# on 10,000 cases), kept in the cache until the index is next written.
STATS_KEY = "search:db:collection-stats"


def _collection_stats() -> dict:
    agg = cache.get(STATS_KEY)
    if agg is None or "token" not in agg:  # (an entry from before tokens is renewed)
        agg = CaseIndex.objects.aggregate(n=Count("pk"), **{f: Avg(f"len_{f}") for f in ranking.FIELDS})
        # The index's token: answers kept in the cache are filed under it (`db_answers`).
        agg["token"] = uuid.uuid4().hex
        cache.set(STATS_KEY, agg, None)
    return agg


def _stats_changed() -> None:
    """Now (this transaction's searches) and once the write commits (everyone else's)."""
    cache.delete(STATS_KEY)
    transaction.on_commit(lambda: cache.delete(STATS_KEY))


def _in_chunks(cases: QuerySet[Case], size: int) -> Iterator[Case]:
    """The cases `size` at a time by primary key, each chunk fetched whole: no server-side
    cursor stays open (`COPY … FREEZE` refuses to run beside one)."""
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield from cases.filter(pk__in=ids[start : start + size]).order_by("pk")


def _text_batches(cases: Iterable[Case], size: int = REBUILD_BATCH) -> Iterator[list[CaseText]]:
    """What is indexed of the cases, `size` at a time (one transaction or COPY each)."""
    batch: list[CaseText] = []
    for case in cases:
        batch.append(case_text(case))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class DatabaseBackend:
    name = "database"

    def __init__(self, params: ranking.Params = ranking.DEFAULT):
        self.params = params

    # --- indexing ----------------------------------------------------------------------

    def index_texts(self, texts: list[CaseText]) -> int:
        """Replace the index rows of these cases (one transaction, batched inserts)."""
        if not texts:
            return 0
        built = [_rows(t) for t in texts]
        with transaction.atomic():
            self.remove_cases([t.case_id for t in texts])
            CaseIndex.objects.bulk_create([row for row, _p, _f in built])
            # In term order: consecutive rows land on the same pages of the (term, case) index,
            # which cut PostgreSQL's time for a batch by 10-25 % (docs/performance.md).
            _insert_postings(sorted((p for _r, postings, _f in built for p in postings), key=itemgetter(0)))
            CaseFacet.objects.bulk_create([f for _r, _p, facets in built for f in facets], batch_size=BATCH)
            _stats_changed()
        return len(texts)

    def index_cases(self, cases: Iterable[Case]) -> int:
        return self.index_texts([case_text(c) for c in cases])

    def remove_cases(self, case_ids: Iterable[int]) -> None:
        ids = list(case_ids)
        if ids:
            _stats_changed()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            IndexTerm.objects.filter(case_id__in=chunk).delete()
            CaseFacet.objects.filter(case_id__in=chunk).delete()
            CaseIndex.objects.filter(pk__in=chunk).delete()

    def indexed_ids(self) -> set[int]:
        return set(CaseIndex.objects.values_list("pk", flat=True))

    def digests(self) -> dict[int, str]:
        return dict(CaseIndex.objects.values_list("pk", "digest"))

    def rebuild(self, cases: Iterable[Case], total: int, progress: Progress | None = None, *, prune: bool = True) -> int:
        """Index every given case, then (`prune`) drop rows of cases no longer given.

        A full rebuild on PostgreSQL loads fresh tables and swaps them in (`db_swap`): several
        times cheaper, and searches see the complete old index until the swap. Elsewhere the
        rows are replaced in place; only rows that were there when the rebuild began are
        pruned: a case published while it runs is indexed by its own sync, and must not be
        dropped for missing from the snapshot."""
        if isinstance(cases, QuerySet):
            cases = _in_chunks(cases, REBUILD_BATCH)
        if prune and db_swap.usable():
            done = db_swap.rebuild(_text_batches(cases), total, progress, rows_for=_rows, copy_text=copy_text)
            _stats_changed()
            return done
        before = self.indexed_ids() if prune else set()
        done, seen = 0, set()
        for batch in _text_batches(cases):
            done += self.index_texts(batch)
            seen.update(t.case_id for t in batch)
            if progress:
                progress(done, total)
        if prune:
            self.remove_cases(before - seen)
        return done

    # --- searching ---------------------------------------------------------------------

    def _stats(self, terms: Iterable[str]) -> ranking.Stats:
        agg = _collection_stats()
        df = dict(
            # case_id rather than id: both in the (term, case) index, so an index-only count.
            IndexTerm.objects.filter(term__in=sorted(set(terms))).values_list("term").annotate(n=Count("case_id")).order_by()
        )
        return ranking.Stats(n_docs=agg["n"] or 0, avg_length={f: agg[f] or 1.0 for f in ranking.FIELDS}, df=df)

    def _postings(self, weights: dict[str, float], case_ids) -> list[ranking.Posting]:
        rows = IndexTerm.objects.filter(term__in=sorted(weights))
        if isinstance(case_ids, list):
            rows = rows.filter(db_query.InList(F("case_id"), case_ids))
        else:
            rows = rows.filter(case_id__in=case_ids)
        rows = rows.values_list(
            "case_id", "term", "title", "summary", "about", "body",
            "case__len_title", "case__len_summary", "case__len_about", "case__len_body",
        )
        Posting = ranking.Posting
        return [Posting(cid, term, (t, s, a, b), (lt, ls, la, lb)) for cid, term, t, s, a, b, lt, ls, la, lb in rows]

    def search(self, query: SearchQuery) -> SearchResults:
        aq = analyse(query.q, synonyms.current()) if query.q else None
        if aq is not None and not aq.groups:
            # Nothing searchable (only punctuation): nothing matches, like an analyzer with no tokens.
            return SearchResults([], 0, build_facets({}), self.name, query.page, query.page_size)
        agg = _collection_stats()
        answer_key = db_answers.key(agg.get("token"), query, aq)
        answer = db_answers.get(answer_key)
        if answer is None:
            answer = self._browse(query) if aq is None else self._answer(query, aq, agg)
            db_answers.put(answer_key, answer)
        hits = self._hits(answer.ids, answer.scores, aq, answer.lacks)
        return SearchResults(hits, answer.total, build_facets(answer.counts), self.name, query.page, query.page_size,
                             full_total=answer.full_total, missing_words=answer.missing_words)

    def _browse(self, query: SearchQuery) -> db_answers.Answer:
        """No text: SQL filters, sorts by date and pages."""
        matched = db_query.base(None, query.filters)
        page = matched.order_by("-published_at", "-pk").values_list("pk", flat=True)
        ids = list(page[query.offset : query.offset + query.page_size])
        return db_answers.Answer(ids, matched.count(), db_query.facet_counts(None, query.filters))

    def _answer(self, query: SearchQuery, aq: AnalysedQuery, agg: dict) -> db_answers.Answer:
        filters = query.filters
        # Scored, tiered and ordered by the database (`db_rank`): every accepted case, best first.
        ranked = db_rank.rank(aq, self.params, agg["n"] or 0, {f: agg[f] or 1.0 for f in ranking.FIELDS})
        # The filters' passes are read once and serve both the matched ids and the facets.
        passed = db_query.filters_passed(ranked.ids, filters)
        if filters:
            wanted = len(filters)
            case_ids = [cid for cid in ranked.ids if len(passed.get(cid, ())) == wanted]
        else:
            case_ids = ranked.ids
        if query.ranked_by_text:
            ids = case_ids[query.offset : query.offset + query.page_size]
        else:
            # Date order: SQL sorts and pages the matched ids.
            matched = CaseIndex.objects.filter(db_query.InList(F("pk"), case_ids))
            page = matched.order_by("-published_at", "-pk").values_list("pk", flat=True)
            ids = list(page[query.offset : query.offset + query.page_size])
        atoms = aq.atoms
        return db_answers.Answer(
            ids=ids, total=len(case_ids), counts=db_query.facet_counts(ranked.ids, filters, passed),
            full_total=sum(1 for cid in case_ids if cid in ranked.full),
            missing_words=tuple(coverage.missing_everywhere(aq, _complete(atoms, ranked.somewhere))),
            lacks={cid: coverage.assess(aq, _complete(atoms, ranked.masks[cid])).missing for cid in ids},
            scores={cid: ranked.scores[cid] for cid in ids} if query.ranked_by_text else {},
        )

    def _hits(self, ids: list[int], scores: dict[int, float], aq: AnalysedQuery | None,
              lacks: dict[int, tuple[str, ...]] | None = None) -> list[SearchHit]:
        """Hits in `ids` order with escaped, marked title and text fragment (one query)."""
        if not ids:
            return []
        texts = {row["pk"]: row for row in Case.objects.filter(pk__in=ids).values("pk", "title", "summary", *BODY_SECTIONS)}
        hits = []
        for cid in ids:
            row = texts.get(cid)
            if row is None:
                continue
            missing = lacks.get(cid, ()) if lacks else ()
            hits.append(SearchHit(case_id=cid, score=scores.get(cid), highlight=_highlight(row, aq), missing=missing))
        return hits

    # --- related and suggestions -------------------------------------------------------

    def related(self, case_id: int, limit: int = 5) -> list[SearchHit]:
        """Cases sharing distinctive terms and taxonomy with `case_id` (never itself)."""
        rows = IndexTerm.objects.filter(case_id=case_id).values_list("term", "title", "summary", "body")
        weight = Counter({term: 3 * t + 2 * s + b for term, t, s, b in rows if len(term) >= 2})
        if not weight:
            return []
        candidates = [term for term, _n in weight.most_common(80)]
        stats = self._stats(candidates)
        tfidf = {t: weight[t] * ranking.idf(stats.n_docs, stats.df.get(t, 1)) for t in candidates}
        chosen = dict(sorted(tfidf.items(), key=lambda kv: kv[1], reverse=True)[:25])
        top = max(chosen.values())
        weights = {t: v / top for t, v in chosen.items()}
        others = CaseIndex.objects.exclude(pk=case_id).values("pk")
        postings = self._postings(weights, others)
        text_scores = ranking.score(postings, weights, stats, self.params)
        best = sorted(text_scores, key=lambda c: (text_scores[c], c), reverse=True)[:50]
        if not best:
            return []
        facets: dict[int, dict[str, set]] = {}
        for cid, dim, value in CaseFacet.objects.filter(
            case_id__in=[case_id, *best], dimension__in=("group", "task", "scenario")
        ).values_list("case_id", "dimension", "value"):
            facets.setdefault(cid, {}).setdefault(dim, set()).add(value)
        mine = facets.get(case_id, {})
        top_text = max(text_scores[c] for c in best) or 1.0

        def total(cid: int) -> float:
            theirs = facets.get(cid, {})
            shared = {d: len(mine.get(d, set()) & theirs.get(d, set())) for d in ("group", "task", "scenario")}
            return text_scores[cid] / top_text + 0.2 * shared["group"] + 0.1 * shared["task"] + 0.05 * shared["scenario"]

        ranked = sorted(best, key=lambda c: (total(c), c), reverse=True)[:limit]
        return self._hits(ranked, {c: total(c) for c in ranked}, None)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Project names and words from titles that start with `prefix`, then matching titles."""
        prefix = " ".join((prefix or "").split())[:50]
        if not prefix:
            return []
        wanted = normalise(prefix)
        titles = list(
            CaseIndex.objects.filter(title__icontains=prefix).order_by("-published_at", "-pk").values_list("title", flat=True)[:200]
        )
        found: Counter[str] = Counter()
        for title in titles:
            parts = suggestion_inputs(title)[1:] + [w for w in words(normalise(title)) if len(w) >= 2]
            found.update({p for p in parts if normalise(p).startswith(wanted) and normalise(p) != wanted})
        ranked = [p for p, _n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))]
        ranked += sorted(titles, key=lambda t: not normalise(t).startswith(wanted))
        return list(dict.fromkeys(ranked))[:limit]


def _complete(atoms: list[frozenset[str]], mask: int) -> set[frozenset[str]]:
    return {a for i, a in enumerate(atoms) if mask >> i & 1}


def _highlight(row: dict, aq: AnalysedQuery | None) -> dict[str, str]:
    summary = row["summary"] or ""
    if aq is None:
        return {"title": highlight.mark(row["title"], []), "text": highlight.plain_fragment(summary)}
    needles = aq.needles
    body = "\n".join(row[s] or "" for s in BODY_SECTIONS)
    text = highlight.fragment(summary, needles) or highlight.fragment(body, needles) or highlight.plain_fragment(summary)
    return {"title": highlight.highlight_all(row["title"], needles), "text": text}
