"""Editing the synonym dictionary (the admin's 同义词词典 calls these, never the model directly).

Each change is checked (`synonyms.parse_rule`), audited with the group before and after, and put
in force at once: the database backend reads the new rules on its next search, Elasticsearch's
synonym set is replaced after commit (docs/search.md, "Synonyms").
"""

from __future__ import annotations

from django.db import transaction

from audit.actions import SEARCH_SYNONYMS
from audit.services import record

from . import es_synonyms
from .models import SynonymGroup
from .synonyms import changed, parse_rule


def describe(group: SynonymGroup) -> dict:
    return {"terms": group.terms, "targets": group.targets, "enabled": group.enabled, "note": group.note}


def save_group(group: SynonymGroup, *, by, before: dict | None = None) -> SynonymGroup:
    """Check and save one group with its terms tidied (normalised, joined by 、); raises
    `SynonymError` with a Chinese message, and then nothing is saved."""
    rule = parse_rule(group.terms, group.targets)
    group.terms, group.targets = "、".join(rule.terms), "、".join(rule.targets)
    created = group.pk is None
    with transaction.atomic():
        group.save()
        record(SEARCH_SYNONYMS, user=by, obj=group,
               details={"change": "created" if created else "changed", "before": before, "after": describe(group)})
    changed()
    es_synonyms.publish_on_commit()
    return group


def delete_group(group: SynonymGroup, *, by) -> None:
    """Delete one group, audited, and put the remaining rules in force."""
    before, pk = describe(group), group.pk
    with transaction.atomic():
        group.delete()
        record(SEARCH_SYNONYMS, user=by, object_type=SynonymGroup._meta.label_lower, object_id=pk,
               details={"change": "deleted", "before": before, "after": None})
    changed()
    es_synonyms.publish_on_commit()
