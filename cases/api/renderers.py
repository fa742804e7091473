from rest_framework.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese unescaped (docs/api.md §Conventions)."""

    ensure_ascii = False
    charset = "utf-8"
