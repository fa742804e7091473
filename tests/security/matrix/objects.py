"""The matrix's world: one case per state × region relation, built through the workflow only.

Every case carries unique markers (title, organisation, contacts, reviewers' comments) so that a
response can be searched for things its reader must not see. Reviewer assignment is a fact read
back from the database (the load-balancer decides it); the oracle takes it as input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.documents import get_document_model

from accounts.models import User
from cases import editing, notice, workflow
from cases.models import Campaign, Case, ReviewAssignment, ReviewerPoolMember
from cases.review.assignment import auto_assign
from cases.review.scoring import save_review
from tests import factories
from tests.files import pdf_upload
from tests.workflow_paths import PATHS, REVIEWER_PROVINCES, actor, complete_draft, reviewer_pool

STATES = [
    "draft", "submitted", "returned", "withdrawn", "recommended", "eligible", "rejected", "in_review",
    "reviewed", "shortlisted", "not_selected", "in_notice", "published", "disqualified",
]
# Relative to submitter A (广州市 440100) and B (杭州市 330100): A's own region, A's province
# but another city (深圳市), and B's region (another province for A and the Guangdong recommender).
REGIONS = ["440100", "440300", "330100"]

# The roles of the matrix: (key, role, region code or None, username).
ROLES = [
    ("anon", None, None, None),
    ("sub_gz", "submitter", "440100", "sub-440100"),
    ("sub_hz", "submitter", "330100", "sub-330100"),
    ("rec_gd", "recommender", "440000", "rec-440000"),
    ("rec_zj", "recommender", "330000", "rec-330000"),
    ("rev_1", "reviewer", REVIEWER_PROVINCES[0], f"rev-{REVIEWER_PROVINCES[0]}"),
    ("rev_2", "reviewer", REVIEWER_PROVINCES[1], f"rev-{REVIEWER_PROVINCES[1]}"),
    ("sec", "secretariat", None, "secretariat-test"),
]
# A third pool member, so that with two reviewers per case R1 and R2 are each assigned to some
# cases and not to others.
THIRD_REVIEWER = REVIEWER_PROVINCES[2]


def marks(n: int) -> dict[str, str]:
    """Fixed-width markers: no marker is a substring of another."""
    return {
        "title": f"MXT{n:03d}矩阵案例",
        "organisation": f"MXO{n:03d}申报单位",
        "contact_name": f"联系人MXN{n:03d}",
        "contact_phone": f"139{n:08d}",
        "contact_email": f"mxe{n:03d}@example.cn",
        "private_attachment": f"MXP{n:03d}内部材料",
        "letter": f"MXL{n:03d}推荐函",
        "public_attachment": f"MXA{n:03d}公开材料",
        "image": f"MXI{n:03d}图片说明",
    }


def comment_mark(n: int, username: str) -> str:
    return f"MXC{n:03d}-{username}-意见"


@dataclass
class Actor:
    key: str
    role: str | None
    region: str | None
    user: User | None
    assigned: set[int] = field(default_factory=set)


@dataclass
class World:
    campaign: Campaign
    cases: dict[tuple[str, str], Case]
    index: dict[int, int]  # case pk → marker number
    actors: dict[str, Actor]
    comments: dict[int, dict[str, str]]  # case pk → {reviewer username: comment marker}
    objection: object
    objector: dict[str, str]
    home_page_id: int
    accounts: list[User]

    def case_list(self) -> list[Case]:
        return list(self.cases.values())

    def cases_for(self, key: str) -> list[Case]:
        """One case per state and per relation the role can have to a case (its equivalence classes)."""
        actor, seen, out = self.actors[key], set(), []
        for (state, _region), case in self.cases.items():
            cls = (state, relation(actor, case))
            if cls not in seen:
                seen.add(cls)
                out.append(case)
        return out

    def mark(self, case: Case, name: str) -> str:
        return marks(self.index[case.pk])[name]


def relation(actor: Actor, case: Case) -> str:
    """The role's relation to a case, from the codes and assignments alone (not from the oracle)."""
    if actor.role == "reviewer":
        return "assigned" if case.pk in actor.assigned else "not assigned"
    if actor.role in {"submitter", "recommender"}:
        if case.region_id == actor.region:
            return "same region"
        return "same province" if case.region_id[:2] == actor.region[:2] else "other province"
    return "any"


def _score(case: Case, n: int, comments: dict, *, final: bool, only_first: bool = False) -> None:
    rubric = list(case.campaign.rubric.all())
    assignments = list(case.review_assignments.exclude(status="conflict").select_related("reviewer").order_by("pk"))
    for assignment in assignments[:1] if only_first else assignments:
        text = comment_mark(n, assignment.reviewer.username)
        comments.setdefault(case.pk, {})[assignment.reviewer.username] = text
        scores = {c.code: c.max_score - 3 for c in rubric}
        save_review(assignment_id=assignment.pk, by=assignment.reviewer, scores=scores, comment=text, final=final)


def _build_case(campaign: Campaign, state: str, region: str, n: int, comments: dict) -> Case:
    m = marks(n)
    case = complete_draft(
        campaign=campaign, region_code=region, title=m["title"], organisation=m["organisation"],
        contact_name=m["contact_name"], contact_phone=m["contact_phone"], contact_email=m["contact_email"],
    )
    by = actor("submitter", case)
    case.attachments.filter(public=True).update(title=m["public_attachment"])
    for image in case.images.all():  # its alt text and the Wagtail image's title both carry the marker
        image.alt = m["image"]
        image.save(update_fields=["alt"])
        type(image.image).objects.filter(pk=image.image_id).update(title=m["image"], description=m["image"])
    Document = get_document_model()
    for att in case.attachments.all():
        Document.objects.filter(pk=att.document_id).update(title=att.title)
    editing.add_attachment(case=case, by=by, file=pdf_upload(), title=m["private_attachment"], public=False)
    editing.add_attachment(case=case, by=by, file=pdf_upload(), title=m["letter"], kind="recommendation_letter")
    for name, kind, inputs in PATHS[state]:
        if name == "@assign":
            auto_assign(campaign=campaign, by=actor("staff", case), cases=[case])
        elif name == "@score":
            _score(case, n, comments, final=True)
        else:
            inputs = inputs() if callable(inputs) else inputs
            case = workflow.transition(case=case, name=name, by=actor(kind, case), **inputs)
    if state == "in_review":
        # One reviewer has a draft score and comment, the other nothing yet.
        _score(case, n, comments, final=False, only_first=True)
    return Case.objects.get(pk=case.pk)


def build_world() -> World:
    campaign = factories.CampaignFactory(
        slug="mx-matrix", title="矩阵测试征集活动", hide_organisation_from_reviewers=True,
        share_comments_with_submitters=False, reviewers_per_case=2,
    )
    reviewer_pool(campaign)
    third = factories.reviewer(THIRD_REVIEWER, username=f"rev-{THIRD_REVIEWER}", organisation="第三评审单位")
    ReviewerPoolMember.objects.get_or_create(campaign=campaign, reviewer=third)
    # The roles' accounts (the workflow's actor factories reuse them by username).
    factories.submitter("440100", username="sub-440100")
    factories.submitter("330100", username="sub-330100")
    factories.recommender("440000", username="rec-440000")
    factories.recommender("330000", username="rec-330000")
    factories.secretariat(username="secretariat-test")
    comments: dict[int, dict[str, str]] = {}
    cases: dict[tuple[str, str], Case] = {}
    index: dict[int, int] = {}
    n = 0
    for state in STATES:
        for region in REGIONS:
            n += 1
            case = _build_case(campaign, state, region, n, comments)
            assert case.status == state, (state, case.status)
            cases[(state, region)] = case
            index[case.pk] = n
    objector = {"name": "异议人MXQ", "phone": "13712345678", "email": "mxq-objector@example.cn"}
    objection = notice.submit_objection(
        case_id=cases[("in_notice", "440100")].pk, reason="MXR异议理由：数据与实际不符，请核查。",
        evidence=pdf_upload("evidence.pdf"), **objector,
    )
    actors = {}
    for key, role, region, username in ROLES:
        # Re-read: the workflow's actor factories reset passwords (and so the session hash) as they go.
        user = User.objects.get(username=username) if username else None
        assigned = set()
        if role == "reviewer":
            assigned = set(
                ReviewAssignment.objects.filter(reviewer=user).exclude(status="conflict").values_list("case_id", flat=True)
            )
        actors[key] = Actor(key, role, region, user, assigned)
    from wagtail.models import Page

    home = Page.objects.filter(depth=2).first()
    accounts = list(User.objects.exclude(email=""))
    return World(campaign, cases, index, actors, comments, objection, objector, home.pk if home else 1, accounts)
