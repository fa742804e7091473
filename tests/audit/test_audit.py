"""The audit log: what is recorded, that it can't be edited, retention, the secretariat's view (issue 8 §6)."""

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

import audit
from audit.models import AuditEvent, ImmutableAuditError
from cases import editing, exports, workflow
from cases.review.exports import score_sheet
from tests import factories
from tests.factories import DEFAULT_PASSWORD, case_in
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db


def events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters))


# --- what is recorded -------------------------------------------------------------------------


def test_sign_in_success_and_failure_with_address():
    factories.submitter(username="audited")
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post("/admin/login/", {"username": "audited", "password": "wrong-1A!"})
    client.post("/admin/login/", {"username": "ghost", "password": "wrong-1A!"})
    client.post("/admin/login/", {"username": "audited", "password": DEFAULT_PASSWORD})
    failures = events("login.failure")
    assert {(e.username, e.outcome, e.ip, e.user_id) for e in failures} == {
        ("audited", "failure", "198.51.100.7", None), ("ghost", "failure", "198.51.100.7", None)}
    assert all("wrong" not in str(e.details) for e in failures)  # never the password
    [success] = events("login.success")
    assert (success.username, success.role, success.outcome, success.ip) == ("audited", "submitter", "success", "198.51.100.7")
    assert success.details["channel"] == "session"


def test_api_sign_in_is_recorded():
    factories.submitter(username="api-user")
    Client(REMOTE_ADDR="198.51.100.8").post(
        "/api/v1/auth/token", {"username": "api-user", "password": DEFAULT_PASSWORD}, content_type="application/json")
    [event] = events("login.success")
    assert event.details == {"channel": "api"} and event.ip == "198.51.100.8" and event.username == "api-user"


def test_logout_is_recorded():
    user = factories.secretariat(username="leaving")
    client = Client()
    client.force_login(user)
    client.post("/admin/logout/")
    assert events("logout", username="leaving")


def test_every_transition_is_recorded(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in("submitted", campaign=campaign)
    [event] = [e for e in events("case.transition") if e.details["transition"] == "submit"]
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.details["transition"] == "submit" and event.details["to"] == "submitted"
    assert event.username and event.role == "submitter"
    recommender = factories.recommender("440000", username="rec-audit")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="decline", by=recommender, reason="不符合征集方向")
    latest = AuditEvent.objects.filter(action="case.transition").first()
    assert latest.username == "rec-audit" and latest.details["reason"] == "不符合征集方向"


def test_scores_are_recorded(campaign):
    case = case_in("reviewed", campaign=campaign)
    finals = events("review.score", outcome="success", details__status="final")
    assert len(finals) == campaign.reviewers_per_case
    assert all(e.object_type == "cases.reviewassignment" and e.details["case"] == case.pk for e in finals)
    assert all(e.details["total"] is not None for e in finals)


def test_exports_are_recorded(campaign):
    recommender = factories.recommender("440000", username="rec-export")
    exports.nomination_sheet(by=recommender, campaign=campaign)
    [event] = events("export")
    assert event.username == "rec-export" and event.details["export"] == "nomination_sheet"
    assert (event.object_type, event.object_id) == ("cases.campaign", str(campaign.pk))
    score_sheet(campaign=campaign, by=factories.secretariat(username="sec-export"))
    assert events("export", username="sec-export")[0].details["export"] == "score_sheet"


def test_file_downloads_and_refusals_are_recorded(campaign):
    case = case_in("draft", campaign=campaign)
    owner = factories.submitter(username="owner-dl")
    att = editing.add_attachment(case=case, by=owner, file=pdf_upload(), title="证明材料")
    client = Client(REMOTE_ADDR="203.0.113.5")
    client.force_login(owner)
    assert client.get(f"/files/attachments/{att.pk}/").status_code == 200
    stranger = Client(REMOTE_ADDR="203.0.113.6")
    stranger.force_login(factories.submitter("330100", username="stranger-dl"))
    assert stranger.get(f"/files/attachments/{att.pk}/").status_code == 404
    ok, refused = (events("file.download", username=u)[0] for u in ("owner-dl", "stranger-dl"))
    assert (ok.outcome, ok.object_type, ok.object_id, ok.ip) == ("success", "cases.caseattachment", str(att.pk), "203.0.113.5")
    assert (refused.outcome, refused.ip) == ("denied", "203.0.113.6")
    assert Client().get(f"/files/cases/{case.pk}/application.pdf").status_code == 404
    assert events("file.download", object_type="cases.case.application", outcome="denied")


def test_refused_accesses_are_recorded(campaign):
    case = case_in("submitted", campaign=campaign)
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(factories.submitter(username="sub-403"))
    response = client.post(f"/api/v1/submissions/{case.pk}/transitions/decline", {"reason": "不予推荐"},
                           content_type="application/json")
    assert response.status_code == 403
    [event] = events("access.denied")
    assert (event.username, event.outcome, event.ip) == ("sub-403", "denied", "203.0.113.9")
    assert event.details["path"].endswith("/transitions/decline")


def test_record_names_the_claimed_account_when_nobody_is_signed_in():
    event = audit.record("login.failure", outcome="failure", username="x" * 300, ip="2001:db8::1")
    assert event.username == "x" * 150 and event.user_id is None and event.ip == "2001:db8::1"


# --- immutable --------------------------------------------------------------------------------


def test_events_cannot_be_edited_or_deleted_through_the_application():
    event = audit.record("export", details={"export": "x"})
    event.details = {"export": "changed"}
    with pytest.raises(ImmutableAuditError):
        event.save()
    with pytest.raises(ImmutableAuditError):
        event.delete()
    with pytest.raises(ImmutableAuditError):
        AuditEvent.objects.filter(pk=event.pk).update(action="other")
    with pytest.raises(ImmutableAuditError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ImmutableAuditError):
        AuditEvent.objects.bulk_update([event], ["details"])
    assert AuditEvent.objects.get(pk=event.pk).details == {"export": "x"}


def test_the_wagtail_admin_offers_no_way_to_edit():
    """Not registered as a snippet or a ModelAdmin; the only admin page is the read-only list."""
    from wagtail.snippets.models import get_snippet_models

    assert AuditEvent not in get_snippet_models()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_refuses_edits_and_young_deletes_itself():
    from django.db import DatabaseError, transaction

    event = audit.record("export")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    old = AuditEvent.objects.create(action="old", at=timezone.now() - timedelta(days=200))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="export").exists()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


# --- retention --------------------------------------------------------------------------------


def aged(days: float) -> AuditEvent:
    return AuditEvent.objects.create(action="export", at=timezone.now() - timedelta(days=days))


def test_purge_keeps_at_least_180_days(capsys):
    old, young, now = aged(181), aged(179), aged(0)
    call_command("purge_audit_events")
    assert "deleted 1 audit event(s) older than 180 days" in capsys.readouterr().out
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {young.pk, now.pk} <= remaining and old.pk not in remaining
    assert events("audit.purge")[0].details["deleted"] == 1


def test_a_longer_retention_keeps_more(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    kept = aged(300)
    call_command("purge_audit_events")
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_a_shorter_retention_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    assert any(m.id == "audit.E001" for m in run_checks())
    young = aged(100)
    call_command("purge_audit_events")
    assert AuditEvent.objects.filter(pk=young.pk).exists()
    with pytest.raises(ImmutableAuditError):
        AuditEvent.objects.purge_before(timezone.now() - timedelta(days=30))


def test_dry_run_deletes_nothing(capsys):
    aged(400)
    call_command("purge_audit_events", "--dry-run")
    assert "would delete 1" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="export").count() == 1


# --- the secretariat's view -------------------------------------------------------------------


def test_the_secretariat_filters_the_log():
    audit.record("login.failure", outcome="failure", username="target-user", ip="192.0.2.1")
    audit.record("export", username="someone-else", ip="192.0.2.2")
    client = Client()
    client.force_login(factories.secretariat(username="sec-audit"))
    home = client.get("/admin/").content.decode()
    assert "/admin/audit/" in home
    page = client.get("/admin/audit/", {"action": "login.failure"}).content.decode()
    assert "target-user" in page and "someone-else" not in page
    page = client.get("/admin/audit/", {"ip": "192.0.2.2"}).content.decode()
    assert "someone-else" in page and "target-user" not in page
    page = client.get("/admin/audit/", {"username": "target", "outcome": "failure"}).content.decode()
    assert "target-user" in page
    today = timezone.localdate().isoformat()
    assert "target-user" in client.get("/admin/audit/", {"date_from": today, "date_to": today}).content.decode()
    assert client.get("/admin/audit/", {"ip": "not-an-ip"}).status_code == 200


def test_the_view_escapes_what_it_shows():
    audit.record("login.failure", outcome="failure", username="<script>alert(1)</script>",
                 details={"path": "<img src=x onerror=alert(1)>"})
    client = Client()
    client.force_login(factories.secretariat(username="sec-xss"))
    html = client.get("/admin/audit/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("make", [
    lambda: factories.submitter(username="sub-noaudit"),
    lambda: factories.recommender("440000", username="rec-noaudit"),
    lambda: factories.reviewer(username="rev-noaudit"),
])
def test_other_roles_cannot_see_it(make):
    client = Client()
    client.force_login(make())
    assert client.get("/admin/audit/").status_code == 404
    assert "/admin/audit/" not in client.get("/admin/").content.decode()


def test_nul_characters_do_not_lose_an_event():
    """PostgreSQL refuses NUL in text and jsonb; a hostile path must still be recorded."""
    event = audit.record("access.denied", outcome="denied", username="a\x00b",
                         details={"path": "/files/\x00/", "nested": ["\x00", {"k\x00": "\\u0000"}]})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.username == "a\ufffdb" and stored.details["path"] == "/files/\ufffd/"
    assert stored.details["nested"] == ["\ufffd", {"k\ufffd": "\\u0000"}]
