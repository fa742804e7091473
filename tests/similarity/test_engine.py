"""The pure parts of 查重: normalisation, winnowed fingerprints, passage alignment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from similarity.align import Checked, SourceIndex
from similarity.fingerprints import SHINGLE, WINDOW, winnow
from similarity.highlight import pieces
from similarity.normalise import normalise, normalise_plain


def test_width_punctuation_space_case_and_traditional_characters_fold_away():
    assert normalise_plain("提升全民數字素養，與技能！ ＡＢｃ１２") == "提升全民数字素养与技能abc12"
    folded = normalise("Ａ， 數字")
    assert folded.text == "a数字" and folded.positions == (0, 3, 4)
    assert folded.original_span(1, 3) == (3, 5)


@given(st.text(alphabet=st.sampled_from("数字素养與技能，。 ＡＢ12ab\n"), max_size=80))
def test_every_folded_character_points_at_its_original(text):
    folded = normalise(text)
    assert folded.text == normalise_plain(text)
    assert len(folded.positions) == len(folded.text)
    for char, position in zip(folded.text, folded.positions, strict=True):
        assert normalise_plain(text[position]) == char


def test_a_shared_run_of_shingle_plus_window_characters_shares_a_fingerprint():
    run = "社区学校开设银龄数字课堂帮助老年人学会线上挂号和移动支付并防范电信网络诈骗"[: SHINGLE + WINDOW - 1]
    a = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥" + run + "天地玄黄宇宙洪荒"
    b = "春夏秋冬东南西北" + run + "金木水火土日月星辰山川河海风云雷电"
    assert winnow(a) & winnow(b)
    assert not winnow("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥") & winnow("春夏秋冬东南西北金木水火土日月星辰")


def test_alignment_finds_maximal_runs_in_any_order_and_ignores_short_ones():
    source = "第一段讲述背景和问题所在之处。第二段介绍主要做法与具体措施。"
    checked = normalise_plain("第二段介绍主要做法与具体措施第一段讲述背景和问题所在之处十二个字相同不算")
    runs = SourceIndex(normalise_plain(source), 13).align(checked)
    assert [(r.length) for r in runs] == [14, 14]
    assert runs[0].source_start == 14 and runs[1].source_start == 0
    assert SourceIndex("一二三四五六七八九十百千", 13).align("一二三四五六七八九十百千") == []


def test_highlight_pieces_cover_the_text_once():
    text = "abcdefghij"
    got = pieces(text, [(2, 4), (3, 6), (8, 10)])
    assert "".join(p.text for p in got) == text
    assert [(p.text, p.number) for p in got if p.marked] == [("cd", 1), ("ef", 2), ("ij", 3)]


@given(
    st.text(alphabet=st.sampled_from("甲乙丙丁戊己"), max_size=120),
    st.text(alphabet=st.sampled_from("甲乙丙丁戊己"), max_size=120),
    st.integers(min_value=2, max_value=6),
)
def test_one_text_against_many_sources_aligns_as_the_source_index_does(checked, source, min_run):
    """`Checked.align` (a report: one text, many candidates) is the same greedy tiling as
    `SourceIndex.align`, repeats and overlapping occurrences included (a six-letter alphabet)."""
    assert Checked(checked, min_run).align(source) == SourceIndex(source, min_run).align(checked)
