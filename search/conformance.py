"""`manage.py search_conformance`: prove a cluster with the site's own mapping and queries.

The operator's one command against the configured cluster (docs/search.md, "Proving a
cluster"): it creates a temporary index with the production mapping behind a temporary alias
(both named `<SEARCH_ES_INDEX>-conformance-<time>`, inside the index pattern the application's
privileges cover), loads a fixed sample of cases (`SAMPLE`, below), runs every query shape the
site uses and checks each answer against what the database backend's match rules give on the
same sample (`expected`: `search.segment.analyse` with the synonym dictionary, applied term for
term as `search/backends/db_query.py` does, and `search/backends/coverage.py`'s rule for partial
matches: which cases are returned, full matches ranked before partial ones, the words each hit
lacks and the words no case has; tests/search/test_conformance.py shows the database backend
answers exactly that), measures latency, and deletes what it created by exact name.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import synonyms
from .backends import coverage
from .extract import CaseText, suggestion_inputs
from .probes import facet_counts
from .query import DIMENSIONS, SearchQuery
from .segment import analyse, field_terms

# Fixed sample: (title, summary, about, body, facets). Ids are 1..n in this order.
_F = dict[str, tuple]


def _facets(province: str, scenario: tuple, task: str, group: tuple, campaign: str, tier: str, year: int) -> _F:
    return {"province": (province,), "scenario": scenario, "task": (task,), "group": group,
            "campaign": (campaign,), "tier": (tier,) if tier else (), "year": (year,)}


SAMPLE: list[tuple[str, str, str, str, _F]] = [
    ("运用智能技术服务老年人示范案例", "社区学校开设智能手机课堂，帮助老年人跨越数字鸿沟。", "广东省 广州市 老年人",
     "一是建立银龄数字课堂；二是志愿者上门教老人用智能手机。",
     _facets("440000", ("life", "learning"), "life", ("elderly",), "conf-2025", "exemplary", 2025)),
    ("数字乡村：让手机成为农民的新农具", "面向农民开展手机应用技能和直播电商培训。", "浙江省 杭州市 农民",
     "组织农民手机应用技能培训，培育乡村电商主播。",
     _facets("330000", ("work",), "work", ("farmers",), "conf-2025", "excellent", 2025)),
    ("退役军人数字技能培训基地", "面向退役军人开展电商运营和数据标注培训，帮助实现再就业。", "四川省 成都市 退役军人",
     "建设实训基地，开设数据标注课程。",
     _facets("510000", ("work",), "work", ("veterans",), "conf-2025", "excellent", 2025)),
    ("政务服务应用完成适老化改造", "推动政务服务网站和应用适老化改造，推出长辈版界面。", "广东省 深圳市 老年人 残疾人",
     "保留线下人工服务，方便老年人办事。",
     _facets("440000", ("life",), "life", ("elderly", "disabled"), "conf-2025", "exemplary", 2025)),
    ("IT培训进社区：“数字工匠”计划", "为社区居民提供IT培训和编程入门课程。", "湖北省 武汉市 社区居民",
     "与职业院校合作开展IT技能培训。",
     _facets("420000", ("learning",), "learning", ("public",), "conf-2024", "", 2024)),
    ("2025年全民数字素养提升月活动", "集中开展数字素养与技能培训，覆盖城乡居民。", "北京市 全体居民",
     "举办讲座、展览和线上课程。",
     _facets("110000", ("learning",), "learning", ("public",), "conf-2025", "excellent", 2025)),
    ("5G智慧课堂助力乡村教育", "利用5G网络为乡村学校提供双师课堂。", "贵州省 贵阳市 学生 教师",
     "城市名师通过5G网络远程授课。",
     _facets("520000", ("learning", "innovation"), "learning", ("students", "teachers"), "conf-2024", "exemplary", 2024)),
    ("<script>alert(1)</script>反诈宣传进社区", "以案说法讲清<b>诈骗</b>套路，提升居民防骗意识。", "广东省 广州市 社区居民",
     "民警进社区开展反诈宣传。",
     _facets("440000", ("life",), "security", ("public",), "conf-2024", "", 2024)),
]


def sample_texts(ids: list[int] | None = None) -> list[CaseText]:
    """The sample as index documents, with ids 1..n (or `ids`), published a day apart."""
    stamp = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)
    ids = ids or list(range(1, len(SAMPLE) + 1))
    return [CaseText(case_id, title, summary, about, body, facets, stamp.replace(day=day))
            for day, (case_id, (title, summary, about, body, facets)) in enumerate(zip(ids, SAMPLE, strict=True), start=1)]


# Query shapes the site uses: (label, query); the expected hits come from `expected_ids`.
TEXT_QUERIES = [
    ("word", "老年人"),
    ("fragment across words", "术服务老"),
    ("single character", "诈"),
    ("two runs", "农民 手机"),
    ("Latin + Chinese", "IT培训"),
    ("sentence", "怎样帮助老人学会用智能手机"),
    ("digits", "5G"),
    ("partial: most words", "退役军人 电商 量子"),
    ("partial: any word", "量子 纠缠 老年人"),
]
SUGGEST_PREFIXES = [("2025", 6), ("5G", 7), ("数字", 2), ("数字工匠", 5)]


def _terms(text: CaseText) -> set[str]:
    terms: set[str] = set()
    for name, value in text.fields.items():
        terms |= set(field_terms(value, unigrams=name != "body"))
    return terms


@dataclass(frozen=True)
class Expected:
    """The database backend's answer to a query on the sample."""

    ids: set[int]  # the cases returned (full and partial matches)
    full: set[int]  # those matching the whole query (ranked first)
    missing: dict[int, tuple[str, ...]]  # the words each returned case lacks
    missing_words: tuple[str, ...]  # the words no case has


def expected(q: str, texts: list[CaseText]) -> Expected:
    """The database backend's rules on the sample (db_query.complete_atoms and
    coverage.of_masks/accepted, in memory)."""
    aq = analyse(q, synonyms.current())
    if not aq.groups:
        return Expected(set(), set(), {}, ())
    atoms = aq.atoms
    masks = {}
    for text in texts:
        terms = _terms(text)
        mask = sum(1 << i for i, atom in enumerate(atoms) if atom <= terms)
        if mask:
            masks[text.case_id] = mask
    coverages, missing_words = coverage.of_masks(aq, masks)
    ids = set(coverage.accepted(aq, coverages))
    return Expected(ids, {cid for cid in ids if coverage.is_full(aq, coverages[cid])},
                    {cid: coverages[cid].missing for cid in ids}, tuple(missing_words))


def expected_ids(q: str, texts: list[CaseText]) -> set[int]:
    return expected(q, texts).ids


def partial_order(results, want: Expected) -> str:
    """What differs from the database backend in the partial-match answer ("" when nothing):
    every full match before every partial one, the words each hit lacks, the words no case has."""
    problems = []
    ranks = [cid in want.full for cid in results.case_ids]
    if ranks != sorted(ranks, reverse=True):
        problems.append("partial before full")
    lacks = {h.case_id: h.missing for h in results.hits if h.case_id in want.ids}
    if any(lacks[cid] != want.missing[cid] for cid in lacks):
        problems.append(f"missing per hit {lacks} ≠ {want.missing}")
    if tuple(results.missing_words) != want.missing_words:
        problems.append(f"missing words {list(results.missing_words)} ≠ {list(want.missing_words)}")
    if results.full_total != len(want.full):
        problems.append(f"full {results.full_total} ≠ {len(want.full)}")
    return "; ".join(problems)


def expected_facets(ids: set[int], texts: list[CaseText]) -> dict[str, dict]:
    counts: dict[str, dict] = {dim: {} for dim in DIMENSIONS}
    for text in texts:
        if text.case_id in ids:
            for dim in DIMENSIONS:
                for value in text.facets[dim]:
                    counts[dim][value] = counts[dim].get(value, 0) + 1
    return counts


@dataclass
class Check:
    shape: str
    label: str
    ok: bool
    detail: str
    ms: list[float] = field(default_factory=list)


@dataclass
class ConformanceReport:
    cluster: str = ""
    index: str = ""
    checks: list[Check] = field(default_factory=list)
    cleaned: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.cleaned and all(c.ok for c in self.checks)


def _timed(call: Callable):
    started = time.perf_counter()
    value = call()
    return value, (time.perf_counter() - started) * 1000


def run_checks(backend, texts: list[CaseText], repeat: int = 3) -> list[Check]:
    """Every query shape against `backend` (an ElasticsearchBackend on the temporary alias)."""
    checks: list[Check] = []
    everything = {t.case_id for t in texts}

    results, ms = _timed(lambda: backend.search(SearchQuery(sort="newest", page_size=100)))
    want = expected_facets(everything, texts)
    ok = results.total == len(texts) and facet_counts(results) == want
    checks.append(Check("browse", "newest first, facets", ok and results.case_ids == sorted(everything, reverse=True),
                        f"total {results.total}/{len(texts)}; facets {'=' if facet_counts(results) == want else '≠'} database",
                        [ms]))

    filtered = SearchQuery(sort="newest", province=("440000",), group=("elderly",))
    results, ms = _timed(lambda: backend.search(filtered))
    ids = {t.case_id for t in texts if "440000" in t.facets["province"] and "elderly" in t.facets["group"]}
    checks.append(Check("filters", "province + group", set(results.case_ids) == ids,
                        f"{sorted(results.case_ids)} (expected {sorted(ids)})", [ms]))

    for label, q in TEXT_QUERIES:
        want = expected(q, texts)
        times = []
        for _ in range(repeat):
            results, ms = _timed(lambda q=q: backend.search(SearchQuery(q=q, page_size=100)))
            times.append(ms)
        got = set(results.case_ids)
        marks = [h.highlight.get("title", "") + h.highlight.get("text", "") for h in results.hits]
        merged = all("</mark><mark>" not in m for m in marks)
        escaped = all("<script>" not in m and "<b>" not in m for m in marks)
        highlighted = not results.hits or any("<mark>" in m for m in marks)
        partial = partial_order(results, want)
        checks.append(Check("text", f"{label}: {q}", got == want.ids and merged and escaped and highlighted
                            and not partial,
                            f"hits {sorted(got)} (database rules: {sorted(want.ids)}, full {sorted(want.full)}); "
                            f"highlight {'merged' if merged else 'NOT merged'}, {'escaped' if escaped else 'NOT escaped'}"
                            f"{'; ' + partial if partial else ''}",
                            times))

    q = "培训"
    results, ms = _timed(lambda: backend.search(SearchQuery(q=q, year=(2025,))))
    matched = expected_ids(q, texts)
    want = {}
    for dim in DIMENSIONS:
        keep = {t.case_id for t in texts if t.case_id in matched and (dim == "year" or 2025 in t.facets["year"])}
        want[dim] = expected_facets(keep, texts)[dim]
    checks.append(Check("facets", f"{q} + year=2025", facet_counts(results) == want,
                        f"{'=' if facet_counts(results) == want else '≠'} database rules", [ms]))

    by_id = {t.case_id: t for t in texts}
    for prefix, case_id in SUGGEST_PREFIXES:
        found, ms = _timed(lambda prefix=prefix: backend.suggest(prefix))
        title = by_id[case_id].title
        wanted = [s for s in [title, *_quoted(title)] if s.startswith(prefix)]
        ok = all(s.startswith(prefix) for s in found) and all(w in found for w in wanted)
        checks.append(Check("suggest", prefix, ok, f"{found[:4]}", [ms]))

    related, ms = _timed(lambda: backend.related(1))
    ids = [h.case_id for h in related]
    checks.append(Check("related", "case 1", bool(ids) and 1 not in ids and set(ids) <= everything,
                        f"{ids}", [ms]))
    return checks


def _quoted(title: str) -> list[str]:
    return suggestion_inputs(title)[1:]


def summary_ms(checks: list[Check]) -> tuple[float, float]:
    times = [t for c in checks for t in c.ms]
    return (statistics.median(times), max(times)) if times else (0.0, 0.0)
