"""Factories: tests build the data they need (regions come from the shipped data migration)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from cases.models import Campaign, CampaignCategory, Case, Region, RubricCriterion, Tier
from cases.states import CampaignStatus

DEFAULT_PASSWORD = "Casebook-2026!"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    role = Role.SUBMITTER
    organisation = "测试单位"
    region = factory.LazyFunction(lambda: region("440100"))

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        # An existing user (get_or_create) keeps its hash: a new one would revoke its API tokens.
        wanted = extracted or DEFAULT_PASSWORD
        if not obj.check_password(wanted):
            obj.set_password(wanted)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def submitter(region_code: str = "440100", **kw) -> User:
    return UserFactory(role=Role.SUBMITTER, region=region(region_code), **kw)


def recommender(province_code: str = "440000", **kw) -> User:
    return UserFactory(role=Role.RECOMMENDER, region=region(province_code), **kw)


def secretariat(**kw) -> User:
    return UserFactory(role=Role.SECRETARIAT, region=None, **kw)


def reviewer(province_code: str = "110000", **kw) -> User:
    return UserFactory(role=Role.REVIEWER, region=region(province_code), **kw)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"2026年提升全民数字素养与技能典型案例征集（第{n}批）")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    year = 2026
    default_quota = 50
    reviewers_per_case = 2
    status = CampaignStatus.OPEN
    submission_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    submission_closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):
        if not create or obj.categories.exists():
            return
        CampaignCategory.objects.create(campaign=obj, code="inclusion", title="数字包容与适老化", sort_order=0)
        CampaignCategory.objects.create(campaign=obj, code="skills", title="数字技能培训", sort_order=1)
        for i, (code, name, mx) in enumerate(
            [("innovation", "创新性", 25), ("effectiveness", "实效性", 30),
             ("replicability", "可复制可推广性", 25), ("leadership", "示范带动性", 20)]
        ):
            RubricCriterion.objects.create(campaign=obj, code=code, name=name, max_score=mx, sort_order=i)
        Tier.objects.create(campaign=obj, code="exemplary", title="示范案例", quota=50, sort_order=0)
        Tier.objects.create(campaign=obj, code="excellent", title="优秀案例", quota=100, sort_order=1)


def case_in(state: str = "draft", *, region_code: str = "440100", campaign: Campaign | None = None, **fields) -> Case:
    """A case brought to `state` through the workflow only (never by writing the state)."""
    from tests.workflow_paths import bring_to

    campaign = campaign or CampaignFactory()
    return bring_to(state, campaign=campaign, region_code=region_code, **fields)
