"""Every case route × every role × every case (14 states × 3 regions): the expected status from
the oracle, and the leak scan on whatever is shown."""

from __future__ import annotations

from . import oracle

NOT_ALLOWED = 405


def _api(actor, ok: bool, *, forbidden_if_visible: bool = False, case=None):
    """docs/api.md §Conventions: 401 not signed in; 404 not visible; 403 visible but not this role's."""
    if actor.role is None:
        return 401
    if ok:
        return 200
    if forbidden_if_visible and oracle.sees_case(actor, case):
        return 403
    return 404


def _admin(actor, ok: bool):
    if actor.role is None:
        return "login"
    return 200 if ok else 404


def case_expectations(actor, case) -> dict[str, tuple[object, str]]:
    """Signed-in routes: route template (with {pk}) → (allowed statuses, audience of the content)."""
    sees = oracle.sees_case(actor, case)
    staff = actor.role in oracle.STAFF
    edit = (
        "login" if actor.role is None else 404 if not sees else 200 if oracle.may_edit(actor, case) else 302
    )
    extend = "login" if actor.role is None else 404 if not (sees and staff) else (
        200 if case.status in oracle.EDITABLE else {200, 302}
    )
    api = "/api/v1/submissions/{pk}"
    similarity = oracle.sees_similarity(actor, case)
    similarity_api = _api(actor, sees and similarity, forbidden_if_visible=True, case=case)
    if similarity_api == 200 and case.status == "draft":
        similarity_api = 409  # a draft has no report yet
    return {
        "/files/cases/{pk}/application.pdf": (200 if oracle.may_print(actor, case) else 404, "role"),
        api: (_api(actor, sees), "role"),
        api + "/images": (_api(actor, sees), "role"),
        api + "/attachments": (_api(actor, sees), "role"),
        api + "/transitions": (_api(actor, sees), "role"),
        api + "/history": (_api(actor, oracle.sees_history(actor, case)), "role"),
        api + "/scores": (_api(actor, staff, forbidden_if_visible=True, case=case), "role"),
        api + "/objections": (_api(actor, staff, forbidden_if_visible=True, case=case), "role"),
        api + "/similarity": (similarity_api, "role"),
        "/admin/similarity/{pk}/": (_admin(actor, sees and similarity), "role"),
        # No report is ready here (checks_similarity computes them): back to the report page.
        "/admin/similarity/{pk}/report.pdf": (_admin(actor, sees and similarity) if not similarity else 302, "role"),
        "/admin/similarity/{pk}/self-check/": (_admin(actor, oracle.may_self_check(actor, case)), "role"),
        "/admin/cases/inspect/{pk}/": (_admin(actor, sees), "role"),
        "/admin/cases/edit/{pk}/": (edit, "role"),
        "/admin/cases/files/{pk}/": (edit, "role"),
        "/admin/cases/extend/{pk}/": (extend, "role"),
    }


def public_expectations(case) -> dict[str, tuple[object, str]]:
    """Public routes: the same answer whoever asks (checked as anonymous and two signed-in roles)."""
    return {
        "/cases/{pk}/": (200 if oracle.public_page(case) else 404, "site"),
        "/notices/{pk}/": (200 if oracle.notice_page(case) else 404, "notice"),
        "/api/v1/cases/{pk}": (200 if oracle.public_api_case(case) else 404, "notice"),
    }


# Roles the public routes are asked as (the submitter on its own region's cases): the answer must
# not depend on who is signed in, not even for one's own draft.
PUBLIC_ROUTE_ROLES = ("anon", "sub_gz")
# The case page (admin and API) and the application PDF answer every state × relation of every
# role. The sub-resources repeat the same lookup; they answer one state of each kind (both
# editable states, one before review, the reviewer-visible ones, published) to keep it fast.
PRIMARY = ("/api/v1/submissions/{pk}", "/admin/cases/inspect/{pk}/", "/files/cases/{pk}/application.pdf")
SECONDARY_STATES = {"draft", "returned", "submitted", "in_review", "in_notice", "published"}


# Each case route of urls.OBJECT_ROUTES and the template above that exercises it.
COVERS = {
    "cases/<int:pk>/": "/cases/{pk}/",
    "notices/<int:pk>/": "/notices/{pk}/",
    "notices/<int:pk>/received/": "(no objection in the session: back to the notice, below)",
    "files/cases/<int:pk>/application.pdf": "/files/cases/{pk}/application.pdf",
    "api/v1/submissions/<id:pk>": "/api/v1/submissions/{pk}",
    "api/v1/submissions/<id:pk>/images": "/api/v1/submissions/{pk}/images",
    "api/v1/submissions/<id:pk>/attachments": "/api/v1/submissions/{pk}/attachments",
    "api/v1/submissions/<id:pk>/transitions": "/api/v1/submissions/{pk}/transitions",
    "api/v1/submissions/<id:pk>/transitions/<str:name>": "(POST: checks_writes)",
    "api/v1/submissions/<id:pk>/history": "/api/v1/submissions/{pk}/history",
    "api/v1/submissions/<id:pk>/scores": "/api/v1/submissions/{pk}/scores",
    "api/v1/submissions/<id:pk>/objections": "/api/v1/submissions/{pk}/objections",
    "api/v1/submissions/<id:pk>/similarity": "/api/v1/submissions/{pk}/similarity",
    "admin/similarity/<int:pk>/": "/admin/similarity/{pk}/",
    "admin/similarity/<int:pk>/report.pdf": "/admin/similarity/{pk}/report.pdf",
    "admin/similarity/<int:pk>/self-check/": "/admin/similarity/{pk}/self-check/",
    "api/v1/cases/<id:pk>": "/api/v1/cases/{pk}",
    "api/v1/cases/<id:pk>/objections": "(POST: checks_writes)",
    "api/v1/cases/<id:pk>/adoptions": "(POST: checks_writes)",
    "admin/cases/inspect/<int:pk>/": "/admin/cases/inspect/{pk}/",
    "admin/cases/edit/<int:pk>/": "/admin/cases/edit/{pk}/",
    "admin/cases/files/<int:pk>/": "/admin/cases/files/{pk}/",
    "admin/cases/extend/<int:pk>/": "/admin/cases/extend/{pk}/",
    "admin/cases/action/<int:pk>/<slug:name>/": "(transition forms, below)",
}


class CaseRouteChecks:
    """Mixed into the matrix TestCase (tests/security/matrix/test_matrix.py)."""

    def test_case_routes(self):
        for key in self.roles():
            actor = self.world.actors[key]
            for case in self.world.cases_for(key):
                why = f"{case.status}/{case.region_id}"
                for template, (allowed, audience) in case_expectations(actor, case).items():
                    if template not in PRIMARY and case.status not in SECONDARY_STATES:
                        continue
                    path = template.format(pk=case.pk)
                    response = self.expect(key, path, allowed, audience=audience, why=why)
                    if response.status_code == 200 and template.endswith("/transitions"):
                        self._check_offered_transitions(key, actor, case, path, response)
                    if response.status_code == 200 and template == "/api/v1/submissions/{pk}":
                        self._check_case_json(key, actor, case, path, response.json())
        for case in self.world.case_list():
            why = f"{case.status}/{case.region_id}"
            for key in PUBLIC_ROUTE_ROLES if case.region_id == "440100" else ("anon",):
                for template, (allowed, audience) in public_expectations(case).items():
                    self.expect(key, template.format(pk=case.pk), allowed, audience=audience, why=why)
            received = self.expect("anon", f"/notices/{case.pk}/received/", 302)
            if received.status_code == 302 and received["Location"] != f"/notices/{case.pk}/":
                self.problems.append(f"anon    GET /notices/{case.pk}/received/: sent to {received['Location']}")
        self.assert_no_problems()

    def _check_offered_transitions(self, key, actor, case, path, response):
        for item in response.json():
            if not oracle.may_transition(actor, case, item["name"]):
                self.problems.append(f"{key:7} GET {path}: offers '{item['name']}' in {case.status}, which §4 denies")

    def _check_case_json(self, key, actor, case, path, body):
        hidden = {"scores", "total", "reviews", "review_assignments", "ranking", "objections"}
        leaked = hidden & set(body)
        if leaked and actor.role not in oracle.STAFF:
            self.problems.append(f"{key:7} GET {path}: carries {sorted(leaked)}")
        if not oracle.sees_contacts(actor, case):
            for field in ("contact_name", "contact_phone", "contact_email"):
                if body.get(field) not in (None, ""):
                    self.problems.append(f"{key:7} GET {path}: {field} shown in {case.status}/{case.region_id}")

    def test_transition_forms(self):
        """GET /admin/cases/action/<pk>/<name>/: a form (200) only where §4 lets the role act."""
        for key in self.roles():
            actor = self.world.actors[key]
            for case in self.world.cases_for(key):
                # extend_deadline has its own page (/admin/cases/extend/), not a transition form.
                names = [n for n, (sources, _who) in oracle.TRANSITIONS.items()
                         if case.status in sources and n != "extend_deadline"]
                sees = oracle.sees_case(actor, case)
                if actor.role is None:
                    self.expect(key, f"/admin/cases/action/{case.pk}/{names[0] if names else 'submit'}/", "login")
                    continue
                # Where the role can't see the case one name suffices: it is missing, whatever the name.
                tried = [*names, "revoke" if case.status != "published" else "submit"] if sees else names[:1] or ["submit"]
                for name in tried:
                    path = f"/admin/cases/action/{case.pk}/{name}/"
                    allowed = ({200, 302} if oracle.may_transition(actor, case, name) else 302) if sees else 404
                    self.expect(key, path, allowed, why=f"{name} on {case.status}/{case.region_id}")
        self.assert_no_problems()
