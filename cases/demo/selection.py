"""The demo's review-and-selection campaign: every later state, reviews, objections, adoptions.

Everything goes through the services (workflow, review, notice, adoptions). The stage runs once:
when its campaign exists, it is skipped, so a second `load_demo_data` changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from .. import adoptions, editing, notice, workflow
from ..models import Campaign, Case, ReviewAssignment, ReviewerPoolMember, ReviewStatus
from ..review.assignment import auto_assign
from ..review.ranking import ranking
from ..review.scoring import save_review
from ..states import CampaignStatus, CaseStatus
from . import campaigns, content, images
from .cases import _fields
from .pdf import minimal_pdf

SLUG = "2026-pilot-selection"
N_CASES = 24
REVIEWERS = ["reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5", "reviewer6"]
COMMENTS = [
    "做法扎实，成效数据完整，建议进一步提炼可复制的操作步骤。",
    "面向重点群体的针对性强，推广成本说明清楚。",
    "创新性较好，但可持续机制还需补充说明。",
    "案例示范带动作用明显，建议补充第三方评估结果。",
]


def load_selection_stage(*, actors, regions, province_table, log) -> bool:
    """Create the selection campaign with cases in review, reviewed, shortlisted, not selected and in notice."""
    if Campaign.objects.filter(slug=SLUG).exists():
        return False
    categories = [(code, content.THEME_NAMES[code]) for code in content.THEMES]
    now = timezone.now()
    campaign = campaigns._ensure(
        SLUG,
        {
            "title": "2026年数字素养与技能提升试点典型案例遴选（演示：评审与公示）",
            "year": 2026, "batch": 2, "call_text": campaigns.CALL_TEXT.format(year=2026),
            "status": CampaignStatus.OPEN,
            "submission_opens": now - timedelta(days=60), "submission_closes": now + timedelta(hours=1),
            "review_deadline": now + timedelta(days=2), "default_quota": 10, "reviewers_per_case": 3,
            "aggregation": "mean", "notice_days": 7, "share_comments_with_submitters": True,
        },
        categories,
        {"exemplary": 4, "excellent": 8},
    )
    # Only provinces whose demo accounts exist (a small demo load creates fewer).
    table = [row for row in province_table if row[0] in actors.submitters and row[0] in actors.recommenders]
    if not table:
        return False
    items = content.generate_cases(N_CASES, seed=4242, provinces=table)
    by_code = {c.code: c for c in campaign.categories.all()}
    secretariat = actors.secretariat
    cases = []
    with transaction.atomic():
        for index, item in enumerate(items):
            region = regions[item["region"]]
            province = region.province_code
            submitter, recommender = actors.submitters.get(province), actors.recommenders.get(province)
            if submitter is None or recommender is None:
                continue
            case = workflow.create_draft(
                by=submitter, campaign=campaign, title=item["title"], region=region,
                category=by_code.get(item.get("category_hint")), **_fields(item),
            )
            editing.replace_indicators(case, item["indicators"])
            images.add_cover(case=case, by=submitter, jpeg=images.cover_jpeg(item.get("category_hint", ""), 500 + index),
                             alt=images.alt_text(case.title))
            editing.add_attachment(
                case=case, by=submitter, title="工作台账与成效数据（演示）", public=True,
                file=SimpleUploadedFile("evidence.pdf", minimal_pdf(["Casebook demo evidence", str(case.pk)]),
                                        content_type="application/pdf"),
            )
            case = workflow.transition(case=case, name="submit", by=submitter)
            cases.append(workflow.transition(case=case, name="recommend", by=recommender))
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.REVIEWING)

    # Formal check: one fails, one goes back for revision, the rest pass.
    workflow.transition(case=cases[-1], name="fail_check", by=secretariat,
                        reason="申报材料缺少盖章推荐函，不符合形式审查要求。")
    workflow.transition(case=cases[-2], name="return_for_revision", by=secretariat,
                        reason="请补充实施周期和投入成本的说明后重新提交。")
    eligible = workflow.transition_many(case_ids=[c.pk for c in cases[:-2]], name="pass_check", by=secretariat).done

    User = get_user_model()
    rng = random.Random(2026)
    for username in REVIEWERS:
        reviewer = User.objects.get(username=username)
        ReviewerPoolMember.objects.get_or_create(
            campaign=campaign, reviewer=reviewer,
            defaults={"expertise_scenarios": rng.sample(["life", "work", "learning", "innovation"], 2),
                      "expertise_tasks": rng.sample(["resources", "life", "work", "learning", "security"], 2),
                      "load_cap": 20},
        )
    report = auto_assign(campaign=campaign, by=secretariat)
    for problem in report.problems:
        log(problem)
    # One case stays `eligible` (assigned, review not started yet).
    workflow.transition_many(case_ids=[c.pk for c in eligible[:-1]], name="start_review", by=secretariat)
    eligible = eligible[:-1]

    # Scores: all but the last two cases get every final score (and so complete automatically).
    rubric = list(campaign.rubric.all())
    for position, case in enumerate(eligible):
        base = 0.55 + 0.4 * rng.random()
        for n, assignment in enumerate(ReviewAssignment.objects.filter(case=case).select_related("reviewer")):
            share = min(1.0, max(0.3, base + rng.uniform(-0.12, 0.12)))
            scores = {c.code: round(c.max_score * share) for c in rubric}
            final = position < len(eligible) - 2 or n == 0
            save_review(assignment_id=assignment.pk, by=assignment.reviewer, scores=scores,
                        comment=COMMENTS[(position + n) % len(COMMENTS)], final=final)

    rows = [r for r in ranking(campaign=campaign, by=secretariat) if r.case.status == CaseStatus.REVIEWED]
    for i, row in enumerate(rows):
        if i < 4:
            workflow.transition(case=row.case.pk, name="shortlist", by=secretariat, tier="exemplary")
        elif i < 10:
            workflow.transition(case=row.case.pk, name="shortlist", by=secretariat, tier="excellent")
        elif i < len(rows) - 2:
            workflow.transition(case=row.case.pk, name="not_select", by=secretariat,
                                reason="综合得分未进入本批次入选范围。")
    if Case.objects.filter(campaign=campaign, status=CaseStatus.SHORTLISTED).exists():
        notice.open_notice(campaign=campaign, by=secretariat)
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.NOTICE)
    # A late decision after the notice opened: one case waits, shortlisted, for the next notice.
    late = Case.objects.filter(campaign=campaign, status=CaseStatus.REVIEWED).order_by("pk").first()
    if late is not None:
        workflow.transition(case=late.pk, name="shortlist", by=secretariat, tier="excellent")

    noticed = list(Case.objects.filter(campaign=campaign, status=CaseStatus.IN_NOTICE).order_by("pk")[:2])
    if len(noticed) == 2:
        open_one = notice.submit_objection(
            case_id=noticed[0].pk, name="张建国", phone="13812345678", email="zhang.jianguo@example.cn",
            reason="案例中“培训人次”数据与当地公开报道的数字不一致，请核实。",
        )
        dismissed = notice.submit_objection(
            case_id=noticed[1].pk, name="李秀英", phone="13987654321", email="li.xiuying@example.cn",
            reason="该做法与邻县的项目相似，是否存在重复申报的情况？",
        )
        notice.rule_objection(objection_id=dismissed.pk, by=secretariat, outcome="dismissed",
                              conclusion="经核实，两个项目由不同单位独立实施，不存在重复申报。")
        log(f"公示：{len(noticed)} 条异议（{open_one.reference} 核查中）。")
    pending = ReviewAssignment.objects.filter(case__campaign=campaign).exclude(status=ReviewStatus.FINAL).count()
    log(f"评审与公示活动：{len(cases)} 个案例，{pending} 份评分待提交。")
    return True


def load_adoptions_and_revocation(*, finished: Campaign, actors, log) -> int:
    """Adoptions of 2025 results by other provinces, and one revoked result (once only)."""
    published = list(Case.objects.filter(campaign=finished, status=CaseStatus.PUBLISHED).order_by("pk"))
    if not published or finished.cases.filter(adoptions__isnull=False).exists():
        return 0
    provinces = sorted(actors.submitters)
    made = 0
    for i, case in enumerate(published[:18]):
        others = [p for p in provinces if p != case.province_id]
        by = actors.submitters[others[(i * 7) % len(others)]] if i % 3 else actors.recommenders[others[(i * 5) % len(others)]]
        adoptions.report_adoption(
            case_id=case.pk, by=by, since=(timezone.localdate() - timedelta(days=30 * (i % 9 + 1))).isoformat(),
            summary=f"借鉴“{case.title[:20]}”的做法，结合本地实际调整了组织方式和培训内容。",
            results="已组织培训和推广活动，参与群众反响良好，正在总结经验扩大覆盖面。" if i % 2 else "",
        )
        made += 1
    workflow.transition(case=published[-1].pk, name="revoke", by=actors.secretariat,
                        reason="经核查，案例部分成效数据与实际情况不符，撤销发布（演示）。")
    log(f"借鉴推广：{made} 条；撤销发布 1 个案例。")
    return made
