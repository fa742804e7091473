"""公示, objections and publication."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import notice, workflow
from cases.models import Case, Objection
from tests import factories
from tests.factories import CampaignFactory
from tests.files import pdf_upload, png_upload
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def test_notice_window_ends_at_235959_shanghai_on_the_last_day():
    campaign = CampaignFactory(notice_days=7)
    starts, ends = notice.notice_window(campaign, date(2026, 11, 23))
    assert ends == datetime(2026, 11, 29, 23, 59, 59, tzinfo=campaign.tzinfo)
    assert starts.date() == date(2026, 11, 23)


def test_open_notice_for_all_shortlisted_then_publish_after_it_ends():
    campaign = CampaignFactory(notice_days=7)
    a = bring_to("shortlisted", campaign=campaign, title="甲")
    b = bring_to("shortlisted", campaign=campaign, title="乙")
    sec = factories.secretariat()
    report = notice.open_notice(campaign=campaign, by=sec)
    assert {c.pk for c in report.done} == {a.pk, b.pk} and not report.refused
    a = Case.objects.get(pk=a.pk)
    assert a.status == "in_notice" and a.notice_ends.astimezone(campaign.tzinfo).time().isoformat() == "23:59:59"
    early = notice.publish_batch(campaign=campaign, by=sec)
    assert not early.done and "结束后才能发布" in early.refused[0][1]
    with pytest.raises(workflow.Forbidden):
        notice.open_notice(campaign=campaign, by=factories.submitter())


def test_open_objection_blocks_publication_and_dismissal_unblocks(django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    case = bring_to("in_notice", campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        objection = notice.submit_objection(
            case_id=case.pk, name="李明", phone="13900139000", email="liming@example.cn",
            reason="该案例的培训人次数据与公开报道不符。", evidence=pdf_upload(),
        )
    assert objection.reference.startswith("YY") and objection.evidence is not None
    assert mail.outbox[-1].to == ["liming@example.cn"] and objection.reference in mail.outbox[-1].body
    Case.objects.filter(pk=case.pk).update(notice_ends=timezone.now() - timezone.timedelta(seconds=1))
    sec = factories.secretariat()
    with pytest.raises(workflow.GuardFailed, match="1 条异议尚未处理"):
        workflow.transition(case=case, name="publish", by=sec)
    with django_capture_on_commit_callbacks(execute=True):
        notice.rule_objection(objection_id=objection.pk, by=sec, outcome="dismissed", conclusion="经核实数据属实。")
    assert "异议不成立" in mail.outbox[-1].body
    assert notice.publish_batch(campaign=campaign, by=sec).done[0].status == "published"


def test_upheld_objection_disqualifies():
    campaign = CampaignFactory()
    case = bring_to("in_notice", campaign=campaign)
    objection = notice.submit_objection(
        case_id=case.pk, name="李明", phone="13900139000", email="liming@example.cn", reason="申报材料存在抄袭情况，附对比截图。"
    )
    sec = factories.secretariat()
    with pytest.raises(workflow.GuardFailed):
        notice.rule_objection(objection_id=objection.pk, by=sec, outcome="upheld", conclusion=" ")
    notice.rule_objection(objection_id=objection.pk, by=sec, outcome="upheld", conclusion="抄袭属实。")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "disqualified" and objection.reference in case.history.last().reason
    with pytest.raises(workflow.InvalidState):
        notice.rule_objection(objection_id=objection.pk, by=sec, outcome="dismissed", conclusion="改判")


def test_objection_validation_and_windows():
    campaign = CampaignFactory()
    running = bring_to("in_notice", campaign=campaign, title="公示中")
    with pytest.raises(ValidationError) as err:
        notice.submit_objection(case_id=running.pk, name="", phone="123", email="x", reason="短", evidence=png_upload())
    assert set(err.value.message_dict) == {"name", "phone", "email", "reason", "evidence"}
    assert not Objection.objects.exists()
    published = bring_to("published", campaign=campaign, title="已发布")
    with pytest.raises(workflow.GuardFailed, match="公示期已结束"):
        notice.submit_objection(case_id=published.pk, name="李明", phone="13900139000", email="a@b.cn", reason="十个字以上的异议理由说明")
    draft = bring_to("draft", campaign=campaign, title="草稿")
    with pytest.raises(workflow.NotFound):
        notice.submit_objection(case_id=draft.pk, name="李明", phone="13900139000", email="a@b.cn", reason="十个字以上的异议理由说明")


def test_personal_data_erased_after_retention(settings):
    campaign = CampaignFactory()
    case = bring_to("in_notice", campaign=campaign)
    objection = notice.submit_objection(
        case_id=case.pk, name="李明", phone="13900139000", email="liming@example.cn", reason="该案例的数据与公开报道不符。"
    )
    notice.rule_objection(objection_id=objection.pk, by=factories.secretariat(), outcome="dismissed", conclusion="属实")
    assert notice.erase_expired_personal_data() == 0
    later = timezone.now() + timezone.timedelta(days=settings.CASEBOOK["OBJECTION_RETENTION_DAYS"] + 1)
    assert notice.erase_expired_personal_data(now=later) == 1
    objection.refresh_from_db()
    assert (objection.phone, objection.email) == ("", "") and objection.conclusion == "属实"
