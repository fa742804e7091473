"""`{% load richtext_tags %}{{ value|safe_richtext }}`: rich text through the allow-list (security/richtext.py)."""

from security.richtext import register

__all__ = ["register"]
