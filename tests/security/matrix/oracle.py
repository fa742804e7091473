"""The expected visibility, written from docs/domain.md §3 alone (never by asking cases.permissions).

Scope is read from the GB/T 2260 code itself: a province 44xxxx covers every code starting
"44", a prefecture 4401xx every code starting "4401", a county only itself.

Where docs/domain.md §3 is silent, the matrix pins the stricter reading, noted at each rule:
- reviewers never get a recommendation letter (it names the organisation, which a campaign may
  hide from reviewers) and never a case's history (who acted is the submitting side's identity);
- a case's history belongs to the people working on it: the secretariat, and submitters and
  recommenders within their scope (a stricter reading: docs/api.md §Signed in: cases is silent on who reads it).
"""

from __future__ import annotations

from .objects import Actor

STAFF = {"secretariat", "admin"}
# docs/domain.md §3: the states in which an assigned reviewer sees a case.
REVIEWER_STATES = {"in_review", "reviewed", "shortlisted", "not_selected", "in_notice"}
EDITABLE = {"draft", "returned"}


def in_scope(actor: Actor, region_code: str) -> bool:
    own = actor.region
    if not own or actor.role not in {"submitter", "recommender"}:
        return False
    if own.endswith("0000"):
        return region_code[:2] == own[:2]
    if own.endswith("00"):
        return region_code[:4] == own[:4]
    return region_code == own


def sees_case(actor: Actor, case) -> bool:
    """The §3 visibility table, row by row (signed-in pages and the API)."""
    if case.status == "published":
        return True
    role = actor.role
    if role in STAFF:
        return True
    if role == "submitter":
        return in_scope(actor, case.region_id)
    if role == "recommender":
        return case.status != "draft" and in_scope(actor, case.region_id)
    if role == "reviewer":
        return case.pk in actor.assigned and case.status in REVIEWER_STATES
    return False


def works_on(actor: Actor, case) -> bool:
    """Sees the case in a working capacity (not merely as a reader of a published case)."""
    if not sees_case(actor, case):
        return False
    if actor.role in STAFF:
        return True
    if actor.role == "reviewer":
        return case.pk in actor.assigned
    return in_scope(actor, case.region_id)


def sees_contacts(actor: Actor, case) -> bool:
    """Personal contact details: the secretariat and, for their own cases, submitters and recommenders."""
    if actor.role in STAFF:
        return True
    return actor.role in {"submitter", "recommender"} and sees_case(actor, case) and in_scope(actor, case.region_id)


def sees_history(actor: Actor, case) -> bool:
    if actor.role in STAFF:
        return True
    return actor.role in {"submitter", "recommender"} and works_on(actor, case)


def sees_organisation(actor: Actor, case) -> bool:
    """The campaign of the matrix hides the organisation from reviewers until publication."""
    if not sees_case(actor, case):
        return False
    return actor.role != "reviewer" or case.status == "published"


def sees_attachment(actor: Actor, case, *, public: bool, letter: bool) -> bool:
    """Only public attachments of published cases are public; a recommendation letter never is."""
    if letter and actor.role == "reviewer":
        return False
    if works_on(actor, case):
        return True
    return case.status == "published" and public and not letter


def sees_image(actor: Actor, case) -> bool:
    return case.status == "published" or works_on(actor, case)


def adoption_status(actor: Actor, case) -> int:
    """§4 借鉴推广: a signed-in submitter or recommender of another region, published cases only."""
    if actor.role is None:
        return 401
    if case.status != "published":
        return 404
    if actor.role not in {"submitter", "recommender"}:
        return 403
    return 400 if in_scope(actor, case.region_id) else 201


def may_edit(actor: Actor, case) -> bool:
    return actor.role == "submitter" and in_scope(actor, case.region_id) and case.status in EDITABLE


def may_print(actor: Actor, case) -> bool:
    """The printable 申报书 carries the contacts and exists once the case is submitted."""
    return case.status != "draft" and sees_contacts(actor, case)


def sees_comment(actor: Actor, case, author: str) -> bool:
    """Scores and comments: the secretariat, and the reviewer who wrote them (the campaign shares none)."""
    if actor.role in STAFF:
        return True
    return actor.role == "reviewer" and actor.user is not None and actor.user.username == author


def public_page(case) -> bool:
    """/cases/<id>/, the library, search, feeds, CSV, sitemap: published only."""
    return case.status == "published"


def notice_page(case) -> bool:
    """/notices/<id>/: cases in 公示 only."""
    return case.status == "in_notice"


def public_api_case(case) -> bool:
    """GET /api/v1/cases/<id>: published cases and cases in notice (docs/api.md §Public endpoints)."""
    return case.status in {"published", "in_notice"}


# docs/domain.md §4: transition → (from states, who). "who" is the role that may act; the scope of a
# submitter or recommender applies on top.
TRANSITIONS = {
    "submit": ({"draft", "returned"}, {"submitter"}),
    "withdraw": ({"draft", "submitted", "returned", "recommended"}, {"submitter"}),
    "recommend": ({"submitted"}, {"recommender"}),
    "decline": ({"submitted"}, {"recommender"}),
    "return_for_revision": ({"submitted", "recommended"}, {"recommender", "secretariat"}),
    "pass_check": ({"recommended"}, {"secretariat"}),
    "fail_check": ({"recommended"}, {"secretariat"}),
    "start_review": ({"eligible"}, {"secretariat"}),
    "complete_review": ({"in_review"}, {"secretariat"}),
    "shortlist": ({"reviewed"}, {"secretariat"}),
    "not_select": ({"reviewed"}, {"secretariat"}),
    "open_notice": ({"shortlisted"}, {"secretariat"}),
    "publish": ({"in_notice"}, {"secretariat"}),
    "disqualify": ({"in_notice"}, {"secretariat"}),
    "revoke": ({"published"}, {"secretariat"}),
    "reopen": ({"rejected"}, {"secretariat"}),
    "reconsider": ({"not_selected"}, {"secretariat"}),
    # §5: "submit needs the campaign open and the deadline not passed (or the case's own extension)";
    # the secretariat grants that extension while the case can still be submitted.
    "extend_deadline": ({"draft", "returned"}, {"secretariat"}),
}


def may_transition(actor: Actor, case, name: str) -> bool:
    """Whether §4 lets this role try `name` on this case now (guards may still refuse it)."""
    if name not in TRANSITIONS:
        return False
    sources, who = TRANSITIONS[name]
    if case.status not in sources:
        return False
    role = "secretariat" if actor.role in STAFF else actor.role
    if role not in who:
        return False
    if name == "return_for_revision":
        # The recommender returns submitted cases, the secretariat recommended ones.
        if role == "recommender" and case.status != "submitted":
            return False
        if role == "secretariat" and case.status != "recommended":
            return False
    return role == "secretariat" or in_scope(actor, case.region_id)


def sees_similarity(actor: Actor, case) -> bool:
    """查重 reports (issue 17): the secretariat; the recommender of the case's province, from
    `submitted` on (before it nominates). Reviewers never (blind review); submitters self-check."""
    if actor.role in STAFF:
        return True
    return actor.role == "recommender" and case.status != "draft" and in_scope(actor, case.region_id)


def may_self_check(actor: Actor, case) -> bool:
    """自查: the submitting side, on a case it may still edit."""
    return actor.role == "submitter" and in_scope(actor, case.region_id) and case.status in EDITABLE
