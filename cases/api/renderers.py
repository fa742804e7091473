from rest_framework.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese unescaped (API.md conventions)."""

    ensure_ascii = False
    charset = "utf-8"
