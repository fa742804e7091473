"""The case's fields declared once (cases/case_fields.py, issue 15 §2): the declaration covers the
model, takes its labels and limits from it, and every list and output derived from it agrees.

Adding a body section to the model without declaring it fails the first tests; re-typing a list
somewhere (a serializer, the import, the PDF) so that it leaves a section out fails the others.
"""

from __future__ import annotations

import pytest
from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail.admin.panels import FieldPanel

from cases import case_fields, editing, validation
from cases.admin import display
from cases.admin.case_views import CaseIndexView
from cases.admin.forms import HELP_TEXTS
from cases.admin.panels import case_edit_handler
from cases.api.inputs import CaseCreateSerializer, CaseUpdateSerializer
from cases.api.review_serializers import ReviewCaseSerializer
from cases.api.serializers import CaseDetailSerializer
from cases.importing import checks
from cases.importing.readers import HEADER_ALIASES
from cases.models import Case
from cases.models.cases import LIMITS
from cases.printing import case_data
from cases.review import ranking
from search.api import PublicCaseDetailSerializer
from search.extract import BODY_SECTIONS, case_text
from similarity.texts import CHECKED_FIELDS
from tests.workflow_paths import bring_to
from website.compilation.builder import case_chapter

# Fields of the case that are not content: the campaign is chosen once; the state moves only
# through cases/workflow.py. Everything else a person writes must be declared.
NOT_CONTENT = {"campaign", "status"}
BODY = case_fields.BODY


def test_every_content_field_of_the_model_is_declared():
    written = {
        f.name for f in Case._meta.get_fields()
        if f.concrete and f.editable and not f.auto_created and f.name not in NOT_CONTENT
    }
    children = {relation.name for relation in get_all_child_relations(Case)}
    assert written | children == set(case_fields.BY_NAME), "declare the field in cases/case_fields.py"


def test_every_long_text_of_the_model_is_the_summary_or_a_body_section():
    long_texts = {f.name for f in Case._meta.get_fields() if isinstance(f, models.TextField)}
    assert long_texts - {"summary"} == set(BODY), "a new TextField is a body section: declare it"


def test_labels_and_limits_are_the_models():
    for field in case_fields.FIELDS:
        if field.is_relation_set:
            assert field.label == field.model_field.related_model._meta.verbose_name_plural
            continue
        assert field.label == Case._meta.get_field(field.name).verbose_name
    for name, limit in LIMITS.items():
        assert case_fields.get(name).limit == limit
        assert case_fields.get(name).counted
    assert {f.name for f in case_fields.FIELDS if f.counted} == set(LIMITS)
    assert case_fields.get("contact_name").limit == 30  # max_length, no counter
    assert case_fields.label("tier") == "入选等级"  # a workflow field's label, from the model too


def test_every_group_is_used_and_body_sections_are_multi_line_text():
    assert {f.group for f in case_fields.FIELDS} == set(case_fields.Group)
    assert all(case_fields.get(name).lines == "many" for name in BODY)
    # Today's five are needed to submit and to import a published case (docs/domain.md §6).
    for name in ("background", "approach", "outcomes", "lessons", "replicability"):
        field = case_fields.get(name)
        assert field.submit and field.publish and field.hint


def _in_order(fields: list[str], of: tuple[str, ...] = BODY) -> list[str]:
    return [name for name in fields if name in of]


TO_SUBMIT = tuple(name for name in BODY if case_fields.get(name).submit)
TO_PUBLISH = tuple(name for name in BODY if case_fields.get(name).publish)
HINTED = tuple(name for name in BODY if case_fields.get(name).hint)


def test_derived_lists_hold_every_body_section_in_order():
    lists = {
        "validation.MULTI_LINE": validation.MULTI_LINE,
        "editing.EDITABLE_FIELDS": editing.EDITABLE_FIELDS,
        "import TEXT_FIELDS": checks.TEXT_FIELDS,
        "import CASE_FIELDS": checks.CASE_FIELDS,
        "admin display": display.BODY_FIELDS,
        "admin list, unread": CaseIndexView.LONG_TEXTS,
        "ranking, unread": ranking.UNUSED_TEXT,
        "search": BODY_SECTIONS,
        "similarity": CHECKED_FIELDS,
    }
    for where, names in lists.items():
        assert _in_order(list(names)) == list(BODY), where
    assert _in_order(list(validation.REQUIRED_TEXT), TO_SUBMIT) == list(TO_SUBMIT)
    assert _in_order(list(checks.REQUIRED), BODY) == list(TO_PUBLISH)
    assert _in_order(list(HELP_TEXTS), BODY) == list(HINTED)
    for serializer in (CaseDetailSerializer, ReviewCaseSerializer, PublicCaseDetailSerializer,
                       CaseUpdateSerializer, CaseCreateSerializer):
        names = list(serializer().fields)
        start = names.index(BODY[0])
        assert names[start:start + len(BODY)] == list(BODY), serializer.__name__
    body_tab = next(tab for tab in case_edit_handler().children if tab.heading == "案例正文")
    assert [panel.field_name for panel in body_tab.children if isinstance(panel, FieldPanel)] == list(BODY)
    assert validation.REQUIRED_TEXT["lessons"] == Case._meta.get_field("lessons").verbose_name
    for name in BODY:  # a workbook may name the column by its label
        assert HEADER_ALIASES[case_fields.label(name)] == name


@pytest.mark.django_db
def test_every_output_shows_every_body_section_in_order(campaign, client, settings):
    texts = {name: f"第{i}节正文{name}" for i, name in enumerate(BODY)}
    case = bring_to("published", campaign=campaign, **texts)
    labels = [case_fields.label(name) for name in BODY]

    printed = case_data(case)["sections"]
    assert [s["title"] for s in printed] == [case_fields.label("summary"), *labels]
    assert [s["paragraphs"] for s in printed[1:]] == [[texts[name]] for name in BODY]

    chapter = case_chapter(case, 1, "https://example.cn")
    assert [(s["title"], s["paragraphs"]) for s in chapter["sections"]] == [
        (label, [texts[name]]) for label, name in zip(labels, BODY, strict=True)
    ]

    body = case_text(case).body
    assert [body.index(texts[name]) for name in BODY] == sorted(body.index(texts[name]) for name in BODY)

    from accounts.roles import Role
    from tests import factories

    secretariat = factories.secretariat(username="sec-fields")
    assert secretariat.effective_role == Role.SECRETARIAT
    shown = display.case_detail_context(case, secretariat)["body"]
    assert [(str(label), text) for label, text in shown] == list(zip(labels, texts.values(), strict=True))

    api = client.get(f"/api/v1/cases/{case.pk}").json()
    assert [api[name] for name in BODY] == list(texts.values())

    html = client.get(f"/cases/{case.pk}/").content.decode()
    headings = [html.index(f'<h2 id="s-{name}">{label}</h2>') for name, label in zip(BODY, labels, strict=True)]
    assert headings == sorted(headings)
    assert html.index('<h2 id="s-outcomes">') < html.index('<h2 id="s-indicators">') < html.index('<h2 id="s-lessons">')
    for name in BODY:
        assert f'<a href="#s-{name}">' in html and texts[name] in html


@pytest.mark.django_db
def test_submission_names_every_missing_body_section_it_needs(campaign):
    case = bring_to("draft", campaign=campaign, **dict.fromkeys(BODY, ""))
    problems = validation.submission_problems(case)
    for name in BODY:
        asked = f"请填写“{case_fields.label(name)}”。" in problems
        assert asked == (name in TO_SUBMIT), name
    assert TO_SUBMIT
