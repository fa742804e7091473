"""查重 reports with real sources (issue 17): every world case but the drafts is checked, so each
report names the other cases (they all share the test case text), and every role reads them.

The leak scan of `expect` does the essential part: a recommender's report (API, page, PDF text is
not scanned) must never carry the title marker of a case it may not see, such as another
province's unpublished case; it is counted and shown as "其他省份未公开案例".
"""

from __future__ import annotations

from similarity import index, services

from . import oracle


class SimilarityChecks:
    """Mixed into the matrix TestCase (tests/security/matrix/test_matrix.py)."""

    def _check_all(self) -> dict[int, object]:
        cases = self.world.case_list()
        index.update_cases(c.pk for c in cases)
        return {
            c.pk: services.run_report(services.request_check(case=c).pk) for c in cases if c.status != "draft"
        }

    def test_similarity_reports(self):
        reports = self._check_all()
        any_hidden = False
        for key in self.roles():
            actor = self.world.actors[key]
            for case in self.world.cases_for(key):
                if case.pk not in reports:
                    continue
                sees = oracle.sees_case(actor, case)
                allowed = 401 if actor.role is None else (
                    200 if sees and oracle.sees_similarity(actor, case) else 403 if sees else 404
                )
                path = f"/api/v1/submissions/{case.pk}/similarity"
                response = self.expect(key, path, allowed, why=case.status)
                if response.status_code != 200:
                    continue
                body = response.json()
                if body["status"] != "ready" or not body["sources"]:
                    self.problems.append(f"{key:7} GET {path}: no sources in a ready report")
                named = {s["case"] for s in body["sources"] if s["case"] is not None}
                by_pk = {c.pk: c for c in self.world.case_list()}
                for pk in named:
                    if not oracle.sees_case(actor, by_pk[pk]):
                        self.problems.append(f"{key:7} GET {path}: names case {pk}, which it may not see")
                hidden = [s for s in body["sources"] if s["kind"] == "case" and s["case"] is None]
                any_hidden = any_hidden or bool(hidden)
                for source in hidden:
                    if source["title"] != "其他省份未公开案例" or source["passages"][0]["source_start"] is not None:
                        self.problems.append(f"{key:7} GET {path}: a hidden source shows {source['title']}")
                self.expect(key, f"/admin/similarity/{case.pk}/", 200, why=case.status)
        assert any_hidden, "the recommenders' reports should have had hidden sources to check"
        self.assert_no_problems()

    def test_similarity_source_pages(self):
        """Side by side, one report's every source, every role: the same 404s as the report, and
        the leak scan on the page (the source's own text is shown only when it may be seen)."""
        reports = self._check_all()
        case = next(c for c in self.world.case_list() if c.status == "submitted" and c.region_id == "440100")
        sources = list(reports[case.pk].sources.all())
        assert len(sources) > 10
        for key in self.roles():
            actor = self.world.actors[key]
            for source in sources:
                allowed = "login" if actor.role is None else (
                    200 if oracle.sees_similarity(actor, case) else 404
                )
                self.expect(key, f"/admin/similarity/{case.pk}/source/{source.pk}/", allowed,
                            why=f"source {source.case_id}")
        self.assert_no_problems()
