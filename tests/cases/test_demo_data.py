"""`manage.py load_demo_data` on a small set: accounts, campaigns, cases in several states, idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from accounts.models import User
from accounts.roles import Role
from cases.demo import accounts as demo_accounts
from cases.demo import campaigns as demo_campaigns
from cases.demo import selection as demo_selection
from cases.demo.pdf import minimal_pdf
from cases.models import Adoption, Campaign, Case, CaseAttachment, CaseImage, CaseTransition, Objection
from cases.states import CampaignStatus, CaseStatus

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_demo_data", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "users": User.objects.count(),
        "history": CaseTransition.objects.count(),
        "images": CaseImage.objects.count(),
        "wagtail_images": get_image_model().objects.count(),
        "attachments": CaseAttachment.objects.count(),
        "campaigns": Campaign.objects.count(),
    }


def test_small_demo_load_and_second_run_changes_nothing(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = load("--cases", "40")
    assert "演示数据已就绪" in out

    # Accounts: fixed roles, six reviewers from six provinces, province pairs; all sign in.
    password = demo_accounts.demo_password()
    assert password == demo_accounts.DEFAULT_DEMO_PASSWORD
    for username in ["admin", "secretariat", "recommender-gd", "submitter-gd", "recommender-zj", "submitter-zj",
                     *[f"reviewer{i}" for i in range(1, 7)]]:
        assert authenticate(username=username, password=password) is not None, username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="submitter-gd").region_id == "440000"
    reviewers = User.objects.filter(role=Role.REVIEWER)
    assert reviewers.count() == 6 and reviewers.values("region").distinct().count() == 6
    assert all(u.has_perm("wagtailadmin.access_admin") for u in User.objects.filter(username__in=["secretariat", "reviewer1"]))

    # Campaigns: one finished with published results, one open now.
    finished = Campaign.objects.get(slug=demo_campaigns.FINISHED_SLUG)
    open_campaign = Campaign.objects.get(slug=demo_campaigns.OPEN_SLUG)
    assert finished.status == CampaignStatus.FINISHED and open_campaign.status == CampaignStatus.OPEN
    assert [(c.code, c.max_score) for c in finished.rubric.all()] == [
        ("innovation", 25), ("effectiveness", 30), ("replicability", 25), ("leadership", 20)
    ]
    assert {t.code for t in finished.tiers.all()} == {"exemplary", "excellent"}
    assert open_campaign.submission_opens < open_campaign.submission_closes

    # Cases: 40 from the main generator (plus the selection campaign's own), in several states, each with a history, indicators and a cover with alt text.
    assert Case.objects.exclude(campaign__slug=demo_selection.SLUG).count() == 40
    published = Case.objects.filter(campaign=finished)
    assert set(published.values_list("status", flat=True)) == {CaseStatus.PUBLISHED, CaseStatus.DISQUALIFIED}
    assert not published.filter(tier__isnull=True).exists()
    record = CaseTransition.objects.filter(case__in=published).first()
    assert record.transition == "import_published" and record.reason == "导入：2025年度遴选结果（演示数据）"
    states = set(Case.objects.filter(campaign=open_campaign).values_list("status", flat=True))
    assert {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RECOMMENDED, CaseStatus.RETURNED,
            CaseStatus.WITHDRAWN} <= states
    for case in Case.objects.prefetch_related("history", "images", "indicators"):
        assert case.history.exists()
        assert case.indicators.exists()
        cover = case.cover
        assert cover is not None and cover.alt.startswith("示意图：")
        assert (cover.image.width, cover.image.height) == (1200, 675)
    returned = Case.objects.filter(status=CaseStatus.RETURNED).first()
    assert returned.history.last().reason
    submitted = Case.objects.filter(status=CaseStatus.SUBMITTED).first()
    assert submitted.attachments.get().document.file.read().startswith(b"%PDF-")
    assert set(Case.objects.values_list("created_by__role", flat=True)) <= {Role.SUBMITTER, Role.SECRETARIAT}

    # Later stages: every state of docs/domain.md §4, reviews, objections and adoptions.
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    selection_campaign = Campaign.objects.get(slug=demo_selection.SLUG)
    reviewed = Case.objects.filter(campaign=selection_campaign).exclude(status__in=["returned", "rejected"])
    load_per_reviewer = Counter()
    for case in reviewed.prefetch_related("review_assignments__reviewer__region"):
        active = [a for a in case.review_assignments.all() if a.status != "conflict"]
        assert len(active) == selection_campaign.reviewers_per_case, case.title
        assert all(a.reviewer.region.province_id != case.province_id for a in active)
        load_per_reviewer.update(a.reviewer_id for a in active)
    assert max(load_per_reviewer.values()) - min(load_per_reviewer.values()) <= 1
    assert Objection.objects.filter(outcome="open").exists() and Objection.objects.filter(outcome="dismissed").exists()
    assert Adoption.objects.filter(case__status=CaseStatus.PUBLISHED).exists()

    before = snapshot()
    out = load("--cases", "40")
    assert "新建 0 个，已存在跳过 40 个" in out
    assert snapshot() == before


def test_if_empty_skips_when_data_present(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "Another-Demo-Pass-9")
    load("--cases", "3")
    assert authenticate(username="secretariat", password="Another-Demo-Pass-9") is not None
    before = snapshot()

    out = load("--cases", "30", "--if-empty")

    assert "跳过" in out
    assert snapshot() == before


def test_weak_demo_password_is_refused(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "password")
    with pytest.raises(CommandError, match="演示密码不符合密码规则"):
        load("--cases", "1")
    assert not User.objects.exists()


def test_minimal_pdf_is_well_formed():
    data = minimal_pdf(["Casebook (demo)"])
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data.startswith(b"%PDF-1.4") and data[start:start + 4] == b"xref"
    assert data.rstrip().endswith(b"%%EOF")


def test_renditions_are_skipped_inside_the_loaders_block(campaign, django_capture_on_commit_callbacks):
    """The loader runs in `effects.skipping("website.renditions")` (cases/demo/loader.py): no
    rendition is made while loading (they were a third of `make demo`'s load time, issue 16);
    outside it, publishing still makes them."""
    from wagtail.images.models import Rendition

    from cases import effects
    from tests.workflow_paths import bring_to

    with effects.skipping("website.renditions"), django_capture_on_commit_callbacks(execute=True):
        bring_to("published", campaign=campaign, region_code="440100")
    assert Rendition.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        bring_to("published", campaign=campaign, region_code="440300")
    assert Rendition.objects.count() > 0


def test_as_make_demo_runs_it_the_published_campaign_has_its_compilation_ready(settings):
    """With builds on change (dev and production) the load builds each book at its end, not
    after each publication (quadratic); the first visitor finds it ready."""
    from website.compilation.models import Compilation, CompilationState

    settings.CASEBOOK = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": True}
    load("--cases", "3")
    finished = Campaign.objects.get(slug=demo_campaigns.FINISHED_SLUG)
    book = Compilation.objects.get(campaign=finished)
    published = Case.objects.filter(campaign=finished, status=CaseStatus.PUBLISHED).count()
    assert book.state == CompilationState.READY and book.case_count == published >= 1 and book.has_file
