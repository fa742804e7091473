"""Routes without a case: public pages and lists, signed-in pages by audience, Wagtail's own admin
by prefix, and the review, campaign-desk, nomination and account routes with their objects."""

from __future__ import annotations

from cases.models import ReviewAssignment

from . import oracle
from . import urls as u
from .urls import classify, fill, walk

# Wagtail's own content admin answers per Wagtail permission, and every role but the secretariat
# holds the same one (access_admin, accounts/services.py): anonymous and one such role.
ONE_PER_ROLE = ("anon", "sub_gz")


def static_expectation(audience: str, actor):
    role = actor.role
    staff = role in oracle.STAFF
    if audience in (u.PUBLIC, u.NOTICE_LIST):
        return 200
    if audience == u.API_SIGNED_IN:
        return 401 if role is None else 200
    if audience == u.API_REVIEWER:
        return 401 if role is None else 200 if role == "reviewer" else 403
    if role is None:
        return "login"
    if audience == u.SIGNED_IN_ADMIN:
        return 200
    if audience == u.STAFF_ONLY:
        return 200 if staff else {302, 403, 404}
    if audience == u.REVIEWER_ONLY:
        return 200 if role == "reviewer" else 404
    if audience == u.RECOMMENDER_ONLY:
        return 200 if role == "recommender" else 404
    if audience == u.ACCOUNTS:
        return 200 if staff or role == "recommender" else 404
    raise AssertionError(audience)


class PageRouteChecks:
    def test_static_routes(self):
        for pattern in walk():
            kind = classify(pattern)
            if kind is None or kind[0] != "static" or kind[1] == u.NOT_A_PAGE:
                continue
            audience = kind[1]
            path = fill(pattern.route)
            content = {u.PUBLIC: "site", u.NOTICE_LIST: "notice"}.get(audience, "role")
            # The API's schema and its reader are the same for everybody (and costly to build).
            roles = ("anon", "sec") if pattern.route in ("api/v1/openapi.json", "api/v1/docs") else self.roles()
            for key in roles:
                actor = self.world.actors[key]
                allowed = static_expectation(audience, actor)
                if pattern.route == "admin/cases/new/" and actor.role not in (None, "submitter"):
                    allowed = {302, 403, 404}
                response = self.expect(key, path, allowed, audience=content)
                if response.status_code == 302 and allowed != "login" and response["Location"].startswith(path):
                    self.problems.append(f"{key:7} GET {path}: redirected to itself")
        self.assert_no_problems()

    def test_lists_show_exactly_the_visible_cases(self):
        """/api/v1/submissions is the §3 table itself; the admin list shows the working cases."""
        slug = self.world.campaign.slug
        for key in self.roles():
            actor = self.world.actors[key]
            if actor.role is None:
                continue
            body = self.get(key, f"/api/v1/submissions?campaign={slug}&page_size=100").json()
            got = {item["id"] for item in body["results"]}
            # The working list: one's own scope (or assignments); other regions' published cases are
            # read through /api/v1/cases, not listed as "submissions".
            want = {c.pk for c in self.world.case_list() if oracle.works_on(actor, c)}
            if got != want:
                self.problems.append(f"{key:7} /api/v1/submissions: extra {sorted(got - want)}, missing {sorted(want - got)}")
            html = self.get(key, f"/admin/cases/?campaign={self.world.campaign.pk}").content.decode()
            for case in self.world.case_list():
                listed = self.world.mark(case, "title") in html
                if listed and not oracle.works_on(actor, case):
                    self.problems.append(f"{key:7} /admin/cases/: lists {case.status}/{case.region_id}")
        self.assert_no_problems()

    def test_wagtail_admin_by_prefix(self):
        """Wagtail's content admin (pages, revisions, history, workflows, reports, users, settings…).

        Anonymous visitors get the sign-in page. Other roles hold no Wagtail content permission;
        Wagtail itself refuses them its editing pages, and a few read-only ones (choosers with
        nothing to choose, move/cancel confirmations whose POST is refused, the pages API over the
        public site pages, the site history of what they may see) answer 200: the scan checks that
        none of them shows anything of a case."""
        page = self.world.home_page_id
        for pattern in walk():
            kind = classify(pattern)
            if kind not in (("wagtail", u.WAGTAIL_STAFF), ("wagtail", u.WAGTAIL_ANY)):
                continue
            if "logout" in pattern.route or "failwhale" in pattern.route:
                # Signing out would end the session (tests/security covers it); failwhale is
                # Wagtail's deliberate error page for testing error reporting.
                continue
            path = fill(pattern.route, _int=page)
            for key in ONE_PER_ROLE:
                response = self.get(key, path)
                if kind[1] == u.WAGTAIL_ANY:
                    continue  # sign-in, sprite, translations, choosers of links: no data; scanned for leaks
                if self.world.actors[key].role is None and not self.status_matches(response, "login"):
                    self.problems.append(f"{key:7} GET {path}: expected the sign-in page, got {response.status_code}")
        self.assert_no_problems()

    def test_review_routes(self):
        """Reviewers reach their own assignments of cases they may see; nobody else's; no one else at all."""
        assignments = ReviewAssignment.objects.filter(case__campaign=self.world.campaign).select_related("reviewer")
        for n, assignment in enumerate(assignments.order_by("pk")):
            case = next(c for c in self.world.case_list() if c.pk == assignment.case_id)
            # Every assignment for both reviewers; roles that are no reviewer are refused whatever the
            # assignment, so a few assignments suffice for them.
            for key in ("rev_1", "rev_2") if n >= 3 else ("anon", "sub_gz", "rev_1", "rev_2", "sec"):
                actor = self.world.actors[key]
                mine = actor.user is not None and actor.user.pk == assignment.reviewer_id
                ok = mine and oracle.sees_case(actor, case)
                why = f"{assignment.reviewer.username} on {case.status}/{case.region_id}"
                self.expect(key, f"/admin/reviews/{assignment.pk}/", "login" if actor.role is None else 200 if ok else 404,
                            why=why)
                api = 401 if actor.role is None else 403 if actor.role != "reviewer" else 200 if ok else 404
                self.expect(key, f"/api/v1/reviews/{assignment.pk}", api, why=why)
                # POST only: a GET is refused before sign-in or role are asked for.
                self.expect(key, f"/api/v1/reviews/{assignment.pk}/conflict", 405, why=why)
        self.assert_no_problems()

    def test_campaign_routes(self):
        campaign = self.world.campaign
        member = campaign.reviewer_pool.first()
        category = campaign.categories.first()
        values = {"campaign_id": campaign.pk, "pk": campaign.pk, "slug": campaign.slug,
                  "member_id": member.pk, "category_id": category.pk}
        for route, kind in u.OBJECT_ROUTES.items():
            if kind != "campaign":
                continue
            path = fill(route, **values)
            for key in self.roles():
                actor = self.world.actors[key]
                self.expect(key, path, self.campaign_expectation(route, actor),
                            audience="site" if not route.startswith(("admin/", "api/")) else "role")
        self.assert_no_problems()

    @staticmethod
    def campaign_expectation(route: str, actor):
        role, staff = actor.role, actor.role in oracle.STAFF
        if route.startswith("api/v1/"):
            if route == "api/v1/campaigns/<str:slug>":
                return 200
            if not route.endswith("/ranking"):
                return 405  # assignments, notice, publish: POST only, refused before sign-in (checks_writes)
            if role is None:
                return 401
            return 200 if staff else 403
        if route.startswith("admin/"):
            if role is None:
                return "login"
            if route.startswith("admin/desk/"):
                return 200 if staff else 404
            if route.startswith("admin/nomination/"):
                return 200 if role == "recommender" else 404
            return {200, 302, 403} if staff else {302, 403, 404}  # the campaigns viewset (Wagtail)
        if route.endswith("compilation.pdf"):
            return {200, 404, 503}  # the book, nothing published, or being made; the same answer for everyone
        return 200

    def test_account_routes(self):
        users = {name: self.world.actors[key].user for name, key in
                 (("gd submitter", "sub_gz"), ("zj submitter", "sub_hz"), ("secretariat", "sec"))}
        for who, user in users.items():
            for key in self.roles():
                actor = self.world.actors[key]
                if actor.role is None:
                    allowed = "login"
                elif actor.role in oracle.STAFF:
                    allowed = 200
                elif actor.role == "recommender" and user.role == "submitter" and oracle.in_scope(actor, user.region_id):
                    allowed = {200, 404}
                else:
                    allowed = 404
                self.expect(key, f"/admin/accounts/{user.pk}/edit/", allowed, why=who)
                # GET on a POST-only operation: 405 once past the role check, else the same 404.
                op = allowed if allowed == "login" else {200, 302, 405} if allowed == 200 else {404, 405}
                self.expect(key, f"/admin/accounts/{user.pk}/resend/", op, why=who)
        self.assert_no_problems()

    def test_adoption_moderation(self):
        """借鉴报告: the secretariat's only; no one else sees a report's page or hides one by POST."""
        from cases.models import Adoption

        case = self.world.cases[("published", "440100")]
        report = Adoption.objects.create(case=case, region_id="330100", reported_by=self.world.actors["sub_hz"].user,
                                         since="2026-03-01", summary="MX借鉴：结合本地社区学校开展智能手机培训。")
        for key in self.roles():
            actor = self.world.actors[key]
            staff = actor.role in oracle.STAFF
            self.expect(key, "/admin/adoptions/", 200 if staff else "login" if actor.role is None else 404)
            self.expect(key, f"/admin/adoptions/{report.pk}/", 200 if staff else "login" if actor.role is None else 404)
            if staff:
                continue
            r = self.client_for(key).post(f"/admin/adoptions/{report.pk}/",
                                          {"operation": "hide", "reason": "MX", "confirmed": "1"})
            if not self.status_matches(r, "login" if actor.role is None else 404):
                self.problems.append(f"{key:7} POST /admin/adoptions/{report.pk}/: {r.status_code}")
        report.refresh_from_db()
        self.assertFalse(report.hidden)
        self.assert_no_problems()
