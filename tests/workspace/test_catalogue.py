"""Our zh_Hans catalogues: the committed .mo files say what the .po files say."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[2] / "workspace" / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path: Path) -> dict[str, str]:
    def text(chunk: str) -> str:
        return "".join(bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                       for s in re.findall(r'"((?:[^"\\]|\\.)*)"', chunk))

    out = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ("(?:.|\n")*?")\n(?:msgid_plural|msgstr)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ("(?:.|\n")*?")$', block, re.M)
        if msgid and msgstr and text(msgid.group(1)):
            out[text(msgid.group(1))] = text(msgstr.group(1))
    return out


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_matches_its_source(domain):
    source = po_entries(FOLDER / f"{domain}.po")
    with open(FOLDER / f"{domain}.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert len(source) > 10
    for msgid, msgstr in source.items():
        assert compiled.gettext(msgid) == msgstr, msgid
