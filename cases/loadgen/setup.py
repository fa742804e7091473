"""Load accounts, campaigns (categories, rubric, tiers, quotas) and reviewer pools.

Everything made here is named `load-…` (usernames and campaign slugs), which is how the command
recognises existing load data. Accounts share one password (the demo password), hashed once.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from accounts.roles import Role
from accounts.services import ensure_role_groups

from .. import editing, uploads
from ..demo import campaigns as demo_campaigns
from ..demo.accounts import demo_password
from ..demo.content import THEME_NAMES, THEMES
from ..demo.images import cover_jpeg
from ..models import Campaign, Case, QuotaOverride, Region, ReviewerPoolMember
from ..states import CampaignStatus
from .distribution import CampaignShape

PREFIX = "load-"
SECRETARIAT = "load-secretariat"
EMAIL_DOMAIN = "example.cn"
REVIEWER_ORGS = ["数字经济研究院", "信息化发展研究中心", "终身教育研究所", "数字社会研究中心", "网络安全技术研究院"]


@dataclass
class Actors:
    secretariat: object
    recommenders: dict[str, object]  # province code → recommender
    submitters: dict[str, object]  # region code (prefecture, or province) → submitter
    reviewers: list


def submitter_name(code: str) -> str:
    return f"{PREFIX}submitter-{code}"


def recommender_name(code: str) -> str:
    return f"{PREFIX}recommender-{code}"


def ensure_accounts(*, regions: dict[str, Region], submitter_regions: set[str], provinces: set[str],
                    n_reviewers: int) -> Actors:
    """The load accounts (created once; later runs find them by username)."""
    User = get_user_model()
    province_codes = sorted(provinces)
    specs = [(SECRETARIAT, Role.SECRETARIAT, None, "全民数字素养与技能提升工作秘书处")]
    specs += [(recommender_name(p), Role.RECOMMENDER, p, f"{regions[p].name}委网信办") for p in province_codes]
    specs += [(submitter_name(c), Role.SUBMITTER, c, f"{regions[c].name}数字素养与技能提升工作专班")
              for c in sorted(submitter_regions)]
    all_provinces = sorted(c for c, r in regions.items() if r.level == "province" and c in provinces) or province_codes
    for n in range(n_reviewers):
        code = all_provinces[n % len(all_provinces)]
        org = f"{regions[code].name}{REVIEWER_ORGS[n % len(REVIEWER_ORGS)]}（第{n // len(all_provinces) + 1}组）"
        specs.append((f"{PREFIX}reviewer-{n + 1:03d}", Role.REVIEWER, code, org))
    existing = set(User.objects.filter(username__in=[s[0] for s in specs]).values_list("username", flat=True))
    hashed = make_password(demo_password())
    new = [
        User(username=name, email=f"{name}@{EMAIL_DOMAIN}", role=role, region_id=region, organisation=org,
             password=hashed)
        for name, role, region, org in specs if name not in existing
    ]
    User.objects.bulk_create(new, batch_size=500)
    if new:
        _join_role_groups(list(User.objects.filter(username__in=[u.username for u in new])))
    users = {u.username: u for u in User.objects.filter(username__startswith=PREFIX).select_related("region")}
    return Actors(
        secretariat=users[SECRETARIAT],
        recommenders={p: users[recommender_name(p)] for p in province_codes},
        submitters={c: users[submitter_name(c)] for c in submitter_regions},
        reviewers=[users[f"{PREFIX}reviewer-{n + 1:03d}"] for n in range(n_reviewers)],
    )


def _join_role_groups(users: list) -> None:
    """What `accounts.services.sync_role_group` does for a new account, for hundreds at once."""
    groups = ensure_role_groups()
    through = get_user_model().groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=groups[u.role].pk) for u in users if u.role in groups], batch_size=1000
    )


def reviewers_needed(assignments: int) -> int:
    """A pool large enough that nobody carries more than about 40 reviews per campaign."""
    return min(600, max(12, math.ceil(assignments / 40)))


def create_campaign(shape: CampaignShape, *, tier_counts: Counter, nominations: Counter) -> Campaign:
    """The campaign with the demo's rubric and tiers; quotas cover what its cases will nominate.

    `nominations` counts, per (province, category code), the cases that will be recommended. The
    default quota is the typical need; provinces that need more get an override (all categories).
    """
    per_province: dict[str, int] = {}
    for (province, _code), n in nominations.items():
        per_province[province] = max(per_province.get(province, 0), n)
    needs = sorted(per_province.values()) or [3]
    default = max(3, needs[len(needs) // 2])
    title = f"{shape.year}年提升全民数字素养与技能典型案例征集（第{shape.batch}批）"
    campaign = Campaign(
        slug=shape.slug, title=title, year=shape.year, batch=shape.batch,
        call_text=demo_campaigns.CALL_TEXT.format(year=shape.year), status=shape.kind,
        submission_opens=shape.opens, submission_closes=shape.closes, review_deadline=shape.review_deadline,
        default_quota=default, reviewers_per_case=shape.reviewers_per_case,
        aggregation="trimmed_mean" if shape.reviewers_per_case >= 5 else "mean",
        share_comments_with_submitters=shape.kind != CampaignStatus.FINISHED,
    )
    campaign.full_clean()
    campaign.save()
    categories = [(code, THEME_NAMES[code]) for code in THEMES]
    quotas = {code: max(1, tier_counts.get(code, 0)) for code, _title in demo_campaigns.TIERS}
    demo_campaigns._children(campaign, categories, quotas)
    QuotaOverride.objects.bulk_create([
        QuotaOverride(campaign=campaign, province_id=p, category_code="", quota=n)
        for p, n in sorted(per_province.items()) if n > default
    ])
    return campaign


def create_pool(campaign: Campaign, reviewers: list, assignments: int) -> None:
    """Every load reviewer in the pool, with a cap the planned assignments stay under."""
    cap = math.ceil(assignments / max(1, len(reviewers)) * 1.2) + campaign.reviewers_per_case + 5
    ReviewerPoolMember.objects.bulk_create([
        ReviewerPoolMember(campaign=campaign, reviewer=r, load_cap=min(cap, 32767),
                           expertise_scenarios=["life", "learning"][: 1 + n % 2], expertise_tasks=["life"])
        for n, r in enumerate(reviewers)
    ])


def cover_images(by) -> dict[str, object]:
    """One generated cover per theme (Wagtail images), shared by the load cases of that theme."""
    from django.core.files.base import ContentFile
    from wagtail.images import get_image_model

    Image = get_image_model()
    collection = editing._default_collection()
    out = {}
    for n, code in enumerate(THEMES):
        title = f"{PREFIX}cover-{code}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(title=title, description=THEME_NAMES[code], collection=collection, uploaded_by_user=by,
                          file=ContentFile(cover_jpeg(code, n), name=uploads.generated_name("jpg")))
            image.save()
        out[code] = image
    return out


def existing_load_data() -> tuple[int, int]:
    """(campaigns, cases) of earlier load data."""
    campaigns = Campaign.objects.filter(slug__startswith=PREFIX)
    return campaigns.count(), Case.objects.filter(campaign__in=campaigns).count()
