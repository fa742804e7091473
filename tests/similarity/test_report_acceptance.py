"""Issue 17's acceptance texts: the report of a submitted case, computed by the hook on submit."""

from __future__ import annotations

import zhconv

from similarity.models import Report
from similarity.selectors import latest_report

from . import texts


def report_of(case) -> Report:
    report = latest_report(case)
    assert report is not None and report.status == "ready"
    return report


def test_disguised_copy_of_a_published_case_is_the_top_source(make_case):
    source = make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    copy = make_case("submitted", texts.disguised_copy_fields())

    report = report_of(copy)
    top = report.sources.first()
    assert top.kind == "case" and top.case_id == source.pk
    assert report.total_ratio >= 0.5
    assert top.ratio >= 0.5
    assert report.max_single_ratio == top.ratio
    assert not top.same_organisation
    assert report.flagged  # 30% by default, other units' cases only
    # Passages point at the same text in both cases.
    start, end, source_start, source_end = top.passages[0]
    assert report.text[start:end] and source_end > source_start


def test_an_original_text_scores_under_five_percent(make_case):
    make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.ORIGINAL_FIELDS)

    report = report_of(case)
    assert report.total_ratio < 0.05
    assert not report.flagged


def test_policy_quotes_count_in_total_but_not_in_the_policy_free_ratio(make_case):
    case = make_case("submitted", texts.policy_quoting_fields())

    report = report_of(case)
    assert report.ratio_excluding_policy < 0.05
    assert report.total_ratio >= 0.3
    policy = [s for s in report.sources.all() if s.kind == "policy"]
    assert policy and policy[0].case_id is None and "纲要" in report.sources.first().title
    assert not report.flagged


def test_the_same_organisations_case_from_last_year_is_a_resubmission_not_copying(make_case):
    last = make_case("published", texts.source_fields(), organisation="越秀区委网信办")
    case = make_case("submitted", texts.source_fields(), organisation="越秀区委网信办")

    report = report_of(case)
    top = report.sources.first()
    assert top.case_id == last.pk and top.same_organisation
    assert report.total_ratio > 0.9
    assert report.ratio_excluding_own < 0.05
    assert report.same_organisation_flagged and not report.flagged


def test_a_traditional_character_copy_still_matches(make_case):
    source = make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    traditional = {name: zhconv.convert(value, "zh-hant") for name, value in texts.source_fields().items()}
    assert traditional["background"] != texts.source_fields()["background"]
    case = make_case("submitted", traditional)

    report = report_of(case)
    assert report.sources.first().case_id == source.pk
    assert report.total_ratio > 0.9


def test_other_units_drafts_are_no_source_but_the_same_units_are(make_case):
    make_case("draft", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.source_fields())
    assert report_of(case).total_ratio < 0.05

    own = make_case("draft", texts.ORIGINAL_FIELDS, organisation="越秀区委网信办")
    again = make_case("submitted", texts.ORIGINAL_FIELDS, organisation="越秀区委网信办")
    top = report_of(again).sources.first()
    assert top.case_id == own.pk and top.same_organisation and top.ratio > 0.9


def test_a_resubmission_gets_a_report_of_its_own_version(make_case, django_capture_on_commit_callbacks):
    from cases import workflow
    from tests import factories

    case = make_case("submitted", texts.ORIGINAL_FIELDS)
    recommender = factories.recommender("440000", username="rec-440000")
    submitter = factories.submitter("440100", username="sub-440100")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="return_for_revision", by=recommender, reason="请补充成效数据")
        workflow.transition(case=case, name="submit", by=submitter)
    assert list(Report.objects.filter(case=case).order_by("pk").values_list("version", "status")) == [
        (1, "ready"), (2, "ready")
    ]


def test_editing_a_case_updates_its_fingerprints_after_commit(make_case, django_capture_on_commit_callbacks):
    from cases import editing
    from similarity.models import Fingerprint, IndexedCase
    from tests import factories

    draft = make_case("draft", texts.ORIGINAL_FIELDS)
    before = set(Fingerprint.objects.filter(case=draft).values_list("hash", flat=True))
    digest = IndexedCase.objects.get(case=draft).digest
    with django_capture_on_commit_callbacks(execute=True):
        editing.update_case(case=draft, by=factories.submitter("440100", username="sub-440100"),
                            data={"approach": texts.paragraphs_text(texts.PARAGRAPHS)})
    after = set(Fingerprint.objects.filter(case=draft).values_list("hash", flat=True))
    assert IndexedCase.objects.get(case=draft).digest != digest and after != before and after - before
