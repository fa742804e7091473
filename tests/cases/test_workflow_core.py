"""The single writer of state: creation, guards, audit records and effects after commit."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseTransition
from cases.models.history import ImmutableRecordError
from cases.states import CampaignStatus
from tests import factories
from tests.workflow_paths import bring_to, complete_draft

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_create_draft_in_scope_only(campaign):
    gz = factories.submitter("440100", username="s-gz")
    case = workflow.create_draft(by=gz, campaign=campaign, title="测试案例", region=factories.region("440100"))
    assert case.status == "draft" and case.province_id == "440000" and case.prefecture_id == "440100"
    assert [h.transition for h in case.history.all()] == ["create"]
    with pytest.raises(workflow.Forbidden):
        workflow.create_draft(by=gz, campaign=campaign, title="越界", region=factories.region("330100"))
    with pytest.raises(workflow.Forbidden):
        workflow.create_draft(by=factories.recommender(), campaign=campaign, title="x", region=factories.region("440100"))


def test_create_draft_refused_when_campaign_not_open(campaign):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    with pytest.raises(workflow.GuardFailed, match="不接受申报"):
        workflow.create_draft(
            by=factories.submitter(), campaign=campaign, title="测试", region=factories.region("440100")
        )


def test_state_field_is_protected(campaign):
    case = complete_draft(campaign=campaign, region_code="440100")
    with pytest.raises(AttributeError):
        case.status = "published"
    case.refresh_from_db()
    assert case.status == "draft"


def test_submit_refused_after_deadline_even_if_form_opened_before(campaign):
    case = complete_draft(campaign=campaign, region_code="440100")
    by = factories.submitter("440100", username="sub-440100")
    loaded_before = Case.objects.get(pk=case.pk)  # the form was opened while the window was open
    campaign.submission_closes = timezone.now() - timedelta(minutes=1)
    campaign.save()
    with pytest.raises(workflow.GuardFailed, match="申报已于 .* 截止"):
        workflow.transition(case=loaded_before, name="submit", by=by)
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_extension_lets_one_case_submit_late(campaign):
    case = complete_draft(campaign=campaign, region_code="440100")
    campaign.submission_closes = timezone.now() - timedelta(hours=1)
    campaign.save()
    sec = factories.secretariat()
    workflow.grant_extension(case=case, by=sec, deadline=timezone.now() + timedelta(days=2), reason="系统故障补交")
    case = workflow.transition(case=case, name="submit", by=factories.submitter("440100", username="sub-440100"))
    assert case.status == "submitted"
    assert list(case.history.values_list("transition", flat=True)) == ["create", "extend_deadline", "submit"]


def test_incomplete_case_cannot_be_submitted(campaign):
    by = factories.submitter("440100")
    case = workflow.create_draft(by=by, campaign=campaign, title="只有标题", region=factories.region("440100"))
    with pytest.raises(workflow.GuardFailed) as err:
        workflow.transition(case=case, name="submit", by=by)
    assert "请填写“案例摘要”" in err.value.message and "成效指标" in err.value.message


def test_errors_map_to_api_statuses(campaign):
    submitted = bring_to("submitted", campaign=campaign)
    sub = factories.submitter("440100", username="sub-440100")
    other = factories.submitter("330100", username="s-hz")
    with pytest.raises(workflow.NotFound) as e404:
        workflow.transition(case=submitted, name="withdraw", by=other, reason="x")
    with pytest.raises(workflow.InvalidState) as e409:
        workflow.transition(case=submitted, name="submit", by=sub)
    with pytest.raises(workflow.Forbidden) as e403:
        workflow.transition(case=submitted, name="recommend", by=sub)
    with pytest.raises(workflow.GuardFailed) as e400:
        workflow.transition(case=submitted, name="withdraw", by=sub, reason="  ")
    with pytest.raises(workflow.InvalidState, match="请刷新"):
        workflow.transition(case=submitted, name="withdraw", by=sub, reason="x", expected_status="draft")
    with pytest.raises(workflow.NotFound):
        workflow.transition(case=submitted, name="fly_to_moon", by=sub)
    assert [e.value.status for e in (e404, e409, e403, e400)] == [404, 409, 403, 400]
    assert Case.objects.get(pk=submitted.pk).status == "submitted"


def test_available_transitions_by_role(campaign):
    submitted = bring_to("submitted", campaign=campaign)
    names = lambda user: [s.name for s in workflow.available_transitions(submitted, user)]  # noqa: E731
    assert names(factories.submitter("440100", username="sub-440100")) == ["withdraw"]
    assert names(factories.recommender("440000")) == ["recommend", "decline", "return_for_revision"]
    assert names(factories.recommender("330000", username="r-zj")) == []
    assert names(factories.secretariat()) == []


def test_audit_record_is_immutable(campaign):
    case = bring_to("submitted", campaign=campaign)
    record = case.history.last()
    record.reason = "篡改"
    with pytest.raises(ImmutableRecordError):
        record.save()
    with pytest.raises(ImmutableRecordError):
        record.delete()
    with pytest.raises(ImmutableRecordError):
        CaseTransition.objects.filter(case=case).update(reason="篡改")
    with pytest.raises(ImmutableRecordError):
        CaseTransition.objects.filter(case=case).delete()


def test_rolled_back_transition_leaves_no_record_and_sends_nothing(campaign, django_capture_on_commit_callbacks):
    case = complete_draft(campaign=campaign, region_code="440100")
    by = factories.submitter("440100", username="sub-440100")
    received = []
    workflow.case_transitioned.connect(lambda **kw: received.append(kw["record"].transition), weak=False)
    before = CaseTransition.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                workflow.transition(case=case, name="submit", by=by)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert CaseTransition.objects.count() == before
    assert Case.objects.get(pk=case.pk).status == "draft"
    assert received == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="submit", by=by)
    assert received == ["submit"]


def test_import_published_records_its_source(campaign):
    campaign.status = CampaignStatus.FINISHED
    campaign.save()
    case = workflow.import_published(
        by=factories.secretariat(), campaign=campaign, source="2023年遴选结果", title="过往案例",
        region=factories.region("440100"), tier=campaign.tiers.first(),
    )
    assert case.status == "published" and case.published_at is not None
    record = case.history.get()
    assert record.transition == "import_published" and "导入" in record.reason and "2023年遴选结果" in record.reason


def test_no_code_outside_workflow_writes_the_state():
    """Only cases/workflow.py (through the FSM methods in models/lifecycle.py) may move `status`."""
    pattern = re.compile(
        r"\.update\([^)]*\bstatus\s*="  # queryset.update(status=...)
        r"|\.status\s*=(?!=)"  # obj.status = ...
        r"|setattr\([^,]+,\s*[\"']status[\"']"  # setattr(obj, "status", ...)
        r"|bulk_update\([^)]*[\"']status[\"']"  # bulk_update(objs, ["status"])
    )
    offenders = []
    for path in ROOT.glob("**/*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/")) or "/migrations/" in rel:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Campaigns, review assignments and background task results have status fields of their own.
            if pattern.search(line) and not any(other in line.lower() for other in ("campaign", "assignment", "task")):
                offenders.append(f"{rel}:{lineno}: {line.strip()}")
    assert offenders == []
