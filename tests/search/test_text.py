"""Terms, query analysis, highlighting and BM25F: the pure parts of the database backend."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search import highlight
from search.backends import ranking
from search.segment import analyse, bigrams, field_length, field_terms, normalise


def test_normalise_folds_width_and_case():
    assert normalise("ＡＩ课堂２０２５") == "ai课堂2025"


def test_field_terms_have_bigrams_words_and_tokens():
    terms = field_terms("运用智能技术服务老年人，5G应用")
    assert {"运用", "用智", "术服", "服务", "务老", "老年", "年人"} <= set(terms)
    assert "老年人" in terms  # a jieba word of three characters
    assert {"5g", "应用"} <= set(terms)
    assert "老" not in terms  # unigrams only for short fields
    assert "老" in field_terms("老年人", unigrams=True)


def test_domain_words_stay_whole():
    assert "适老化" in field_terms("推进适老化改造")


def test_field_length_counts_bigrams_not_unigrams():
    assert field_length(field_terms("老年人", unigrams=True)) == field_length(field_terms("老年人"))


def test_a_short_run_must_match_as_a_phrase():
    group = analyse("术服务老").groups[0]
    assert group.phrase == frozenset(bigrams("术服务老"))
    assert group.words == ()  # "术" and "老" alone cover too little of it


def test_a_run_of_words_may_match_by_its_words():
    aq = analyse("广州老年人")
    assert aq.groups[0].words == (frozenset({"广州"}), frozenset({"老年", "年人"}))
    assert aq.groups[0].words_needed == 2


def test_sentences_drop_question_words_and_need_most_words():
    group = analyse("怎样帮助老人学会用智能手机").groups[0]
    assert frozenset({"怎样"}) not in group.words
    assert group.words_needed == 3


def test_whitespace_separates_required_parts():
    aq = analyse("农民 手机")
    assert len(aq.groups) == 2 and aq.groups_needed == 2
    aq = analyse("老年人 手机 培训 社区 志愿者")
    assert aq.groups_needed == 4


def test_punctuation_only_query_has_nothing_to_match():
    assert analyse("！？*").groups == ()


@given(st.text(max_size=200))
def test_any_text_can_be_analysed(text):
    aq = analyse(text)
    assert all(group.phrase for group in aq.groups)


def test_highlight_escapes_then_marks():
    html = highlight.highlight_all("<b>老年人</b>&智能", ["老年人"])
    assert html == "&lt;b&gt;<mark>老年人</mark>&lt;/b&gt;&amp;智能"


def test_highlight_matches_full_width_text():
    assert highlight.highlight_all("ＡＩ课堂", ["ai"]) == "<mark>ＡＩ</mark>课堂"


def test_overlapping_needles_merge_into_one_mark():
    assert highlight.highlight_all("智能手机", ["智能", "能手", "手机"]) == "<mark>智能手机</mark>"


def test_fragment_prefers_the_whole_phrase_and_adds_ellipses():
    text = "数字" + "。" * 200 + "帮助老年人跨越数字鸿沟" + "。" * 200
    html = highlight.fragment(text, ["数字鸿沟", "数字", "鸿沟"])
    assert "<mark>数字鸿沟</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert highlight.fragment("没有命中", ["老年人"]) is None
    assert highlight.plain_fragment("<i>" + "字" * 200).startswith("&lt;i&gt;")


def _posting(cid, term, tf, length=(10, 50, 10, 500)):
    return ranking.Posting(cid, term, tf, length)


def test_bm25f_prefers_title_and_rare_terms():
    stats = ranking.Stats(n_docs=100, avg_length=dict.fromkeys(ranking.FIELDS, 10.0), df={"老年": 10, "数字": 90})
    scores = ranking.score(
        [_posting(1, "老年", (1, 0, 0, 0)), _posting(2, "老年", (0, 0, 0, 1)), _posting(3, "数字", (1, 0, 0, 0))],
        {"老年": 1.0, "数字": 1.0}, stats,
    )
    assert scores[1] > scores[2]
    assert scores[1] > scores[3]


def test_phrase_bonus_rewards_a_whole_phrase():
    stats = ranking.Stats(n_docs=10, avg_length=dict.fromkeys(ranking.FIELDS, 10.0), df={"数字": 5, "字乡": 2, "乡村": 5})
    whole = [_posting(1, t, (0, 0, 0, 1)) for t in ("数字", "字乡", "乡村")]
    apart = [_posting(2, t, (0, 0, 0, 1)) for t in ("数字", "乡村")]
    weights = {"数字": 1.0, "字乡": 1.0, "乡村": 1.0}
    scores = ranking.score(whole + apart, weights, stats, phrases=[frozenset(weights)])
    assert scores[1] > scores[2] * 1.5
