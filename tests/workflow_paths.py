"""Bring a case to any state through the workflow, with the actor each step needs."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases import editing, workflow
from cases.models import Campaign, Case
from cases.states import CampaignStatus
from tests import factories
from tests.files import pdf_upload, png_upload

COMPLETE_FIELDS = {
    "summary": "依托社区学校开展智能手机培训，帮助老年人跨越数字鸿沟。",
    "organisation": "越秀区委网信办",
    "organisation_type": "government",
    "contact_name": "王芳",
    "contact_phone": "13800138000",
    "contact_email": "wangfang@example.cn",
    "period_start": date(2024, 3, 1),
    "scenarios": ["life", "learning"],
    "task_area": "life",
    "key_groups": ["elderly"],
    "background": "辖区老年人口占比高，智能手机使用困难突出。",
    "approach": "一是建立银龄数字课堂；二是组织青年志愿者结对帮扶；三是编写图文教材。",
    "outcomes": "累计培训老年人一万二千人次。",
    "lessons": "以需求为导向，线上线下结合。",
    "replicability": "前提：有社区学校和志愿者队伍；成本：每期约两万元；周期：三个月。",
}

def notice(*, running: bool) -> dict:
    now = timezone.now()
    if running:
        return {"notice_starts": now - timedelta(days=1), "notice_ends": now + timedelta(days=6)}
    return {"notice_starts": now - timedelta(days=8), "notice_ends": now - timedelta(seconds=1)}


# The path to each state: (transition, actor kind, extra inputs).
PATHS: dict[str, list[tuple[str, str, dict]]] = {
    "draft": [],
    "submitted": [("submit", "submitter", {})],
    "withdrawn": [("withdraw", "submitter", {"reason": "单位调整，暂不申报"})],
    "returned": [("submit", "submitter", {}), ("return_for_revision", "recommender", {"reason": "请补充成效数据"})],
    "recommended": [("submit", "submitter", {}), ("recommend", "recommender", {})],
    "rejected": [("submit", "submitter", {}), ("decline", "recommender", {"reason": "不符合征集方向"})],
    "eligible": [("submit", "submitter", {}), ("recommend", "recommender", {}), ("pass_check", "staff", {})],
}
PATHS["in_review"] = PATHS["eligible"] + [("@assign", "staff", {}), ("start_review", "staff", {})]
# The last final score completes the review automatically (docs/domain.md §4).
PATHS["reviewed"] = PATHS["in_review"] + [("@score", "reviewers", {})]
PATHS["shortlisted"] = PATHS["reviewed"] + [("shortlist", "staff", {"tier": "exemplary"})]
PATHS["not_selected"] = PATHS["reviewed"] + [("not_select", "staff", {})]
PATHS["in_notice"] = PATHS["shortlisted"] + [("open_notice", "staff", lambda: notice(running=True))]
# Publishing needs the notice period to be over.
PATHS["published"] = PATHS["shortlisted"] + [
    ("open_notice", "staff", lambda: notice(running=False)), ("publish", "staff", {})
]
PATHS["disqualified"] = PATHS["published"] + [("revoke", "staff", {"reason": "发现数据造假"})]


def complete_draft(*, campaign: Campaign, region_code: str, by=None, **fields) -> Case:
    by = by or factories.submitter(region_code, username=f"sub-{region_code}")
    data = {**COMPLETE_FIELDS, **fields}
    title = data.pop("title", "“银龄数字课堂”社区助老智能手机培训")
    case = workflow.create_draft(
        by=by, campaign=campaign, title=title, region=factories.region(region_code),
        category=campaign.categories.first(), **data,
    )
    editing.replace_indicators(case, [{"name": "培训人次", "value": "12000", "unit": "人次", "baseline": "3000"}])
    editing.add_image(case=case, by=by, file=png_upload(), alt="志愿者指导老人使用智能手机")
    editing.add_attachment(case=case, by=by, file=pdf_upload(), title="培训台账", public=True)
    return case


def actor(kind: str, case: Case):
    if kind == "submitter":
        return factories.submitter(case.region_id, username=f"sub-{case.region_id}")
    if kind == "recommender":
        return factories.recommender(case.province_id, username=f"rec-{case.province_id}")
    return factories.secretariat(username="secretariat-test")


REVIEWER_PROVINCES = ["110000", "310000", "420000", "510000", "610000", "210000"]


def reviewer_pool(campaign: Campaign) -> list:
    """Enough reviewers for the campaign's k, from provinces no test case uses."""
    from cases.models import ReviewerPoolMember

    members = []
    for code in REVIEWER_PROVINCES[: max(campaign.reviewers_per_case, 2)]:
        reviewer = factories.reviewer(code, username=f"rev-{code}", organisation=f"{code}评审单位")
        members.append(ReviewerPoolMember.objects.get_or_create(campaign=campaign, reviewer=reviewer)[0])
    return members


def score_all(case: Case, total_share: float = 0.8) -> None:
    from cases.review.scoring import save_review

    rubric = list(case.campaign.rubric.all())
    for assignment in case.review_assignments.exclude(status="conflict").select_related("reviewer"):
        scores = {c.code: round(c.max_score * total_share) for c in rubric}
        save_review(assignment_id=assignment.pk, by=assignment.reviewer, scores=scores, comment="做法扎实", final=True)


def bring_to(state: str, *, campaign: Campaign, region_code: str = "440100", **fields) -> Case:
    from cases.review.assignment import auto_assign

    if campaign.status != CampaignStatus.OPEN:
        raise ValueError("bring_to needs an open campaign; close it afterwards if the test needs that")
    case = complete_draft(campaign=campaign, region_code=region_code, **fields)
    for name, kind, inputs in PATHS[state]:
        if name == "@assign":
            reviewer_pool(campaign)
            auto_assign(campaign=campaign, by=actor("staff", case), cases=[case])
        elif name == "@score":
            score_all(case)
        else:
            inputs = inputs() if callable(inputs) else inputs
            case = workflow.transition(case=case, name=name, by=actor(kind, case), **inputs)
    return Case.objects.get(pk=case.pk)
