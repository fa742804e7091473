"""Chinese-aware terms for the database backend: jieba words plus CJK character bigrams.

A run of Chinese characters is one token to SQLite FTS5 and PostgreSQL, so we make our own
terms. Bigrams find any fragment of two or more characters, even one that cuts across word
boundaries ("术服务老" in "运用智能技术服务老年人"); jieba words of three or more characters
reward matches on whole words. Terms are told apart by length: one character is a unigram
(kept for short fields only, so a one-character query works without bloating the index),
two are a bigram, three or more a word; Latin letters and digits form their own tokens.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"([{HAN}]+)|([a-z0-9]+)")
MAX_TERM_LENGTH = 32
# Domain words jieba's general dictionary splits or lacks ("适老化" would become 适/老化).
DOMAIN_WORDS = (
    "适老化", "智慧助老", "助老", "银龄", "银发", "数字鸿沟", "数字乡村", "数字素养",
    "数字技能", "数字化转型", "智改数转", "反诈", "电信网络诈骗", "产教融合", "岗课赛证", "新就业形态",
    "新农人", "村播", "直播带货", "退役军人", "产业工人", "中小企业", "信息无障碍", "无障碍", "人工智能",
    "网络文明", "数字法治", "终身学习", "创客", "巾帼", "领导干部", "公务员", "一网通办", "健康码",
    "老年大学", "快递小哥", "外卖骑手", "云课堂", "智能手机",
)

# Function and question words: not worth requiring when a query is a sentence.
QUERY_STOPWORDS = frozenset(
    "怎样 怎么 怎么样 如何 什么 哪些 哪里 为什么 是否 可以 能否 有没有 关于 一些 这个 那个 我们 他们 进行 通过".split()
)

_jieba_lock = threading.Lock()
_jieba = None


def _tokenizer():
    """jieba's dictionary, loaded once per process, with the domain words added.

    `rjieba` is jieba-rs: jieba's dictionary, DAG and HMM in Rust, about five times faster than
    the Python package, which made segmentation most of a reindex. On the demo corpus and 1,000
    generated cases (149,170 runs) and every relevance query it gives exactly the Python
    package's words in both modes (docs/performance.md).
    """
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import rjieba

                tokenizer = rjieba.Jieba()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, 20000, None)
                _jieba = tokenizer
    return _jieba


def normalise(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, Latin lower-cased."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> Iterator[tuple[str, bool]]:
    """(run, is_han) for each run of Chinese characters or of Latin letters and digits."""
    for match in TOKEN_RE.finditer(normalise(text)):
        if match.group(1):
            yield match.group(1), True
        else:
            yield match.group(2)[:MAX_TERM_LENGTH], False


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def words(run: str) -> list[str]:
    """jieba words of a Chinese run (HMM on, so unknown names like 银龄 stay whole)."""
    return [w for w in _tokenizer().cut(run, True) if w.strip()]


def field_terms(text: str, *, unigrams: bool = False) -> Counter[str]:
    """Term frequencies of one field: bigrams, words of 3+ characters, Latin/digit tokens."""
    return terms_and_length(text, unigrams=unigrams)[0]


def terms_and_length(text: str, *, unigrams: bool = False) -> tuple[Counter[str], int]:
    """`field_terms` and `field_length` of one field in one pass (what indexing needs).

    The Chinese runs are joined with spaces and handled in one piece: one jieba call and one
    pass for the bigrams instead of one of each per run (a case has ~200 runs). jieba never
    joins across whitespace, so the words are those of each run; the bigrams that straddle a
    space are taken out again. The words come from jieba's search mode, which also yields the
    known words inside long ones ("中小学生" gives 中小学, 小学生 and 中小学生), so a query word
    matches either. The length counts what `field_length` counts (bigrams, words and Latin
    tokens, not unigrams) as it goes."""
    han: list[str] = []
    counts: Counter[str] = Counter()
    for match in TOKEN_RE.finditer(normalise(text)):
        run = match.group(1)
        if run:
            han.append(run)
        else:
            counts[match.group(2)[:MAX_TERM_LENGTH]] += 1
    length = sum(counts.values())
    if not han:
        return counts, length
    joined = " ".join(han)
    counts.update(map(str.__add__, joined[:-1], joined[1:]))
    for run in han:
        counts.pop(run[-1] + " ", None)
        counts.pop(" " + run[0], None)
    length += len(joined) - 1 - 2 * (len(han) - 1)
    if unigrams:
        counts.update(joined.replace(" ", ""))
    else:
        counts.update(run for run in han if len(run) == 1)
    found = [w for w in _tokenizer().cut_for_search(joined, True) if 3 <= len(w) <= MAX_TERM_LENGTH]
    counts.update(found)
    return counts, length + len(found)


def field_length(counts: Counter[str]) -> int:
    """Length for BM25's normalisation: bigrams and tokens (unigrams don't count twice)."""
    return sum(n for term, n in counts.items() if len(term) != 1 or not _is_han(term))


def _is_han(text: str) -> bool:
    return bool(text) and all(_han_char(c) for c in text)


def _han_char(c: str) -> bool:
    o = ord(c)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


# --- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A piece of the query that a case has or lacks: a whole run, or one word of a run.

    `forms[0]` is the term set of the text as typed; the others are those of its synonyms
    (`search.synonyms`). A case has the unit when it has every term of one form."""

    text: str
    forms: tuple[frozenset[str], ...]

    @property
    def literal(self) -> frozenset[str]:
        return self.forms[0]


@dataclass(frozen=True)
class Group:
    """One run of the query. It matches a case fully when the case has the run (`run`), or
    (when `words_needed`) at least `words_needed` of its words. `parts` are what coverage
    counts: the words of the run, or the run itself when it has no words worth counting."""

    run: Unit
    parts: tuple[Unit, ...]
    words_needed: int = 0

    @property
    def phrase(self) -> frozenset[str]:
        return self.run.literal

    @property
    def words(self) -> tuple[frozenset[str], ...]:
        return tuple(p.literal for p in self.parts) if self.words_needed else ()


@dataclass(frozen=True)
class AnalysedQuery:
    groups: tuple[Group, ...]
    groups_needed: int
    weights: dict[str, float]
    needles: tuple[str, ...]
    # The weights of the text as typed only: a case that has it is scored on it alone, so
    # the synonyms' terms never reorder the cases that match the typed words.
    typed_weights: dict[str, float] = field(default_factory=dict)

    @property
    def atoms(self) -> list[frozenset[str]]:
        """Each term set whose presence is checked (every form of every unit), deduplicated,
        in a stable order."""
        seen: dict[frozenset[str], None] = {}
        for g in self.groups:
            for unit in (g.run, *g.parts):
                for form in unit.forms:
                    seen.setdefault(form)
        return list(seen)

    @property
    def terms(self) -> set[str]:
        return set(self.weights)


WORD_WEIGHT = 2.0
TOKEN_WEIGHT = 1.5
# A synonym's terms count for this share of the typed word's: the text as typed ranks first.
SYNONYM_WEIGHT = 0.5
PHRASE_LENGTH_FOR_WORDS = 3
WORD_COVERAGE = 0.6
# Alternative spellings of one run (one dictionary term replaced at a time), at most.
MAX_RUN_FORMS = 12


def needed(n: int) -> int:
    """All of up to three parts, three quarters of more (like Elasticsearch's "3<75%")."""
    return n if n <= 3 else math.ceil(0.75 * n)


def text_terms(text: str) -> frozenset[str]:
    """The terms a case must have to contain `text`: bigrams of its Chinese runs (a lone
    character stands for itself), its Latin tokens."""
    out: set[str] = set()
    for run, is_han in runs(text):
        out.update(bigrams(run) if is_han else [run])
    return frozenset(out)


def _pieces(run: str, thesaurus) -> list[str]:
    """The run's words: dictionary terms where they occur (so 残障人士 stays one word), jieba's
    words between them. Without dictionary terms, exactly jieba's words."""
    found = thesaurus.occurrences(run) if thesaurus else []
    if not found:
        return words(run)
    out, at = [], 0
    for start, end, term in found:
        if start > at:
            out += words(run[at:start])
        out.append(term)
        at = end
    if at < len(run):
        out += words(run[at:])
    return out


def _run_forms(run: str, thesaurus) -> list[str]:
    """The run as typed, then with one dictionary term at a time replaced by a synonym."""
    forms = [run]
    for start, end, term in thesaurus.occurrences(run) if thesaurus else []:
        forms += [run[:start] + alt + run[end:] for alt in thesaurus.alternatives[term]]
    return list(dict.fromkeys(forms))[:MAX_RUN_FORMS]


def _unit(text: str, alternatives: list[str]) -> Unit:
    forms = [text_terms(text)] + [text_terms(a) for a in alternatives]
    return Unit(text, tuple(dict.fromkeys(f for f in forms if f)))


def analyse(query: str, thesaurus=None) -> AnalysedQuery:
    """The terms, match rules and highlight needles of a user's query, with the synonyms of
    `thesaurus` (a `search.synonyms.Thesaurus`; none: the text as typed only).

    The text is only ever data: there is no syntax, so nothing a user types can change the
    structure of the search.
    """
    groups: dict[frozenset[str], Group] = {}
    weights: dict[str, float] = {}
    needles: dict[str, None] = {}

    def weigh(term: str, weight: float) -> None:
        weights[term] = max(weights.get(term, 0), weight)

    for run, is_han in runs(query):
        needles.setdefault(run)
        forms = _run_forms(run, thesaurus)
        for alt in forms[1:]:
            needles.setdefault(alt)
            for term in text_terms(alt):
                weigh(term, SYNONYM_WEIGHT * (TOKEN_WEIGHT if not _is_han(term) else 1.0))
            if len(alt) >= 3 and _is_han(alt):
                weigh(alt, SYNONYM_WEIGHT * WORD_WEIGHT)
        run_unit = _unit(run, forms[1:])
        if not is_han or len(run) == 1:
            weigh(run, TOKEN_WEIGHT if not is_han else 1.0)
            groups.setdefault(run_unit.literal, Group(run_unit, (run_unit,)))
            continue
        for gram in bigrams(run):
            weights.setdefault(gram, 1.0)
            needles.setdefault(gram)
        parts = [w for w in _pieces(run, thesaurus) if len(w) >= 2]
        for w in parts:
            needles.setdefault(w)
            if len(w) >= 3:
                weights[w] = WORD_WEIGHT
        kept = [w for w in parts if w not in QUERY_STOPWORDS] or parts
        units = tuple({u.literal: u for u in (
            _unit(w, list(thesaurus.alternatives.get(w, ())) if thesaurus else []) for w in kept
        )}.values())
        for unit in units:
            for alt in unit.forms[1:]:
                for term in alt:
                    weigh(term, SYNONYM_WEIGHT)
        covered = sum(len(w) for w in parts) / len(run)
        if len(run) >= PHRASE_LENGTH_FOR_WORDS and parts and parts != [run] and covered >= WORD_COVERAGE:
            group = Group(run_unit, units, needed(len(units)))
        elif len(units) > 1:
            group = Group(run_unit, units)  # its words count towards a partial match only
        else:
            group = Group(run_unit, (run_unit,))
        groups.setdefault(group.phrase, group)
    ordered = tuple(groups.values())
    typed = set().union(*(u.literal for g in ordered for u in (g.run, *g.parts))) if ordered else set()
    typed.update(run for run, _han in runs(query))
    typed.update(w for w, weight in weights.items() if weight == WORD_WEIGHT)
    return AnalysedQuery(
        groups=ordered,
        groups_needed=needed(len(ordered)),
        weights=weights,
        needles=tuple(sorted(needles, key=len, reverse=True)),
        typed_weights={t: w for t, w in weights.items() if t in typed},
    )
