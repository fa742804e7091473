"""The admin's rich text widget: Wagtail's Draftail, without a 500 on a crafted post."""

from __future__ import annotations

from wagtail.admin.rich_text import DraftailRichTextArea

from .richtext import clean_stored


class SafeDraftailRichTextArea(DraftailRichTextArea):
    """Draftail posts its content as JSON content state. A post that is not (a hand-made form,
    an old client) made Wagtail's converter raise, a 500: it is read as HTML and cleaned with the
    allow-list instead (the model's pre_save cleans it once more)."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):  # JSONDecodeError is a ValueError
            raw = data.get(name)
            return None if raw is None else clean_stored(str(raw))
