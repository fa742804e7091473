"""What of a case is checked: its text fields, in the order of the 申报书 (indicators and contacts
are not text that can be copied in the sense of 查重)."""

from __future__ import annotations

from hashlib import blake2b

from cases import case_fields

from .normalise import normalise_plain

# The title, the summary and the body sections (cases/case_fields.py).
CHECKED_FIELDS = ("title", *case_fields.MULTI_LINE)


def fields_text(values: dict) -> str:
    """The checked text: the non-empty fields, one per line (positions in reports refer to it)."""
    return "\n".join(str(values.get(name) or "").strip() for name in CHECKED_FIELDS if values.get(name))


def case_text(case) -> str:
    return fields_text({name: getattr(case, name) for name in CHECKED_FIELDS})


def digest(text: str) -> str:
    return blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def unit_key(organisation: str) -> str:
    """An organisation's name folded (spaces, brackets and width don't make another unit)."""
    return normalise_plain(organisation or "")
