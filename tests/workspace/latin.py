"""Find visible Latin-script words in an admin page: what an official would read that is not
Chinese. Visible means text nodes (not script, style, template, code, pre or svg), the page
title, and the attributes people hear or see (aria-label, placeholder, title, alt, the value of
buttons), plus the labels of the sidebar menu (rendered by JavaScript from a JSON island)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

# Words that are Chinese usage as they are (file formats, abbreviations people say as such).
ALLOWED = frozenset({
    "API", "PDF", "Excel", "Word", "PowerPoint", "ID", "IP", "CSV", "JSON", "RSS", "JPG", "JPEG",
    "PNG", "GIF", "WebP", "WEBP", "XLSX", "TSV", "MB", "KB", "GB", "URL", "TOTP", "FreeOTP", "Google", "Microsoft",
    "Authenticator", "Elasticsearch",  # product names are said as they are
})
HIDDEN_TAGS = frozenset({"script", "style", "template", "code", "pre", "svg", "textarea"})
VOID_TAGS = frozenset({"input", "img", "br", "hr", "meta", "link", "source", "col", "area", "wbr"})
SPOKEN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "aria-description")
# Not words: addresses, e-mail, file names, identifiers with digits (reference numbers, codes).
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|(?<![\w/])/[\w/.\-?=&%]*|\b[\w-]+\.(?:pdf|xlsx|docx|png|jpe?g|csv|json|zip)\b"
    r"|\b(?=[\w-]*\d)[\w-]+\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.items: list[tuple[str, str]] = []
        self._sidebar = False
        self.sidebar_json = ""
        self._hidden_tag, self._hidden_depth = "", 0  # an element with the `hidden` attribute

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden_tag:
            self._hidden_depth += tag == self._hidden_tag
            return
        if "hidden" in attrs and tag not in VOID_TAGS:
            self._hidden_tag, self._hidden_depth = tag, 1
            return
        if tag == "script" and attrs.get("id") == "wagtail-sidebar-props":
            self._sidebar = True
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        for name in SPOKEN_ATTRIBUTES:
            if attrs.get(name):
                self.items.append((f"@{name}", attrs[name]))
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.items.append(("@value", attrs["value"]))

    def handle_endtag(self, tag):
        if self._hidden_tag:
            self._hidden_depth -= tag == self._hidden_tag
            if not self._hidden_depth:
                self._hidden_tag = ""
            return
        if tag in HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        if tag == "script":
            self._sidebar = False

    def handle_data(self, data):
        if self._sidebar:
            self.sidebar_json += data
        elif not self.hidden and not self._hidden_tag and data.strip():
            self.items.append(("text", data.strip()))


def _values(node, key: str) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == key and isinstance(v, str)]
        return found + [s for v in node.values() for s in _values(v, key)]
    if isinstance(node, list):
        return [s for v in node for s in _values(v, key)]
    return []


def menu_urls(html: str) -> list[str]:
    """The admin URLs of the sidebar menu (a JSON island the browser renders)."""
    parser = _Visible()
    parser.feed(html)
    if not parser.sidebar_json:
        return []
    return [u for u in _values(json.loads(parser.sidebar_json), "url") if u.startswith("/admin/")]


def latin_words(html: str, *, data: tuple[str, ...] = ()) -> list[tuple[str, str, list[str]]]:
    """(where, text, words) for every visible string with Latin words outside ALLOWED.
    `data` are strings people entered (account names): removed before looking."""
    parser = _Visible()
    parser.feed(html)
    items = list(parser.items)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    if title:
        items.append(("title", title.group(1).strip()))
    if parser.sidebar_json:
        items += [("menu", label) for label in _values(json.loads(parser.sidebar_json), "label")]
    found = []
    for where, text in items:
        cleaned = text
        for value in sorted({d for d in data if d}, key=len, reverse=True):
            cleaned = cleaned.replace(value, " ")
        words = [w for w in WORD.findall(NOT_WORDS.sub(" ", cleaned)) if w not in ALLOWED]
        if words:
            found.append((where, text[:160], words))
    return found
