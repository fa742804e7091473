"""The `<id:…>` path converter of the API's URLs (registered once, on import).

Database ids: digits that fit a 64-bit integer, so a huge number is a 404, not an overflow.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
