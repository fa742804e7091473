"""Building the case form's POST data the way the browser sends it (incl. the indicator formset)."""

from __future__ import annotations

from tests.workflow_paths import COMPLETE_FIELDS


def indicator_fields(rows: list[dict], initial: int = 0) -> dict[str, str]:
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data[f"indicators-{i}-id"] = str(row.get("id", ""))
        data[f"indicators-{i}-ORDER"] = str(i + 1)
        data[f"indicators-{i}-DELETE"] = "1" if row.get("DELETE") else ""
        for key in ("name", "value", "unit", "baseline"):
            data[f"indicators-{i}-{key}"] = str(row.get(key, ""))
    return data


def case_form_data(*, campaign, region_code: str, category=None, indicators=None, **overrides) -> dict:
    """A complete case as posted by the admin form; override any field."""
    data: dict = {
        "campaign": str(campaign.pk),
        "category": str(category.pk) if category else "",
        "title": "“银龄数字课堂”社区助老智能手机培训",
        "region": region_code,
        "period_end": "",
        "special_project": "",
    }
    for key, value in COMPLETE_FIELDS.items():
        if isinstance(value, list):
            data[key] = value
        else:
            data[key] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(indicator_fields(indicators if indicators is not None else [
        {"name": "培训人次", "value": "12000", "unit": "人次", "baseline": "3000"},
    ]))
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_errors(response) -> dict:
    """The bound form's (and its formsets') errors, for assertion messages."""
    form = response.context.get("form") if response.context else None
    if form is None:
        return {}
    errors = dict(form.errors)
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.non_form_errors() or any(formset.errors):
            errors[name] = (formset.non_form_errors(), formset.errors)
    return errors
