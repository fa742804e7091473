"""Refuse passwords found in breach lists (data/breached-passwords.txt.gz, see data/README.md).

A password is refused when, lower-cased, it is on the list, or becomes a listed one after undoing
common character substitutions (P@ssw0rd → password) or dropping a trailing run of digits and
symbols (Monkey2026! → monkey). Length and character classes are other validators' business.
"""

from __future__ import annotations

import gzip
import re
import sys
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"
LIST_PATH = DATA / "breached-passwords.txt.gz"
EXTRA_PATH = DATA / "extra-passwords.txt"
SUBSTITUTIONS = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
TRAILING = re.compile(r"[\d\W_]+$")
MIN_STEM = 4


@lru_cache(maxsize=2)
def breached(path: str = str(LIST_PATH)) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


def candidates(password: str) -> set[str]:
    lowered = password.strip().lower()
    forms = {lowered, lowered.translate(SUBSTITUTIONS)}
    for form in list(forms):
        stem = TRAILING.sub("", form)
        if len(stem) >= MIN_STEM:
            forms.add(stem)
    # "p@ssw0rd1" → substitutions turn the trailing 1 into an i; also try stemming first.
    stem = TRAILING.sub("", lowered)
    if len(stem) >= MIN_STEM:
        forms.add(stem.translate(SUBSTITUTIONS))
    return forms


class BreachedPasswordValidator:
    def __init__(self, password_list_path: str | None = None) -> None:
        self.path = str(password_list_path or LIST_PATH)

    def validate(self, password: str, user=None) -> None:
        if candidates(password) & breached(self.path):
            raise ValidationError(
                _("该密码过于常见，已出现在泄露密码库中，请换一个。"), code="password_breached"
            )

    def get_help_text(self) -> str:
        return _("不能使用常见密码或已泄露的密码（如 P@ssw0rd、Admin@123）。")


def rebuild() -> int:
    """Merge Django's common-passwords list with extra-passwords.txt into LIST_PATH."""
    import django.contrib.auth

    django_list = Path(django.contrib.auth.__file__).resolve().parent / "common-passwords.txt.gz"
    with gzip.open(django_list, "rt", encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    extras = EXTRA_PATH.read_text(encoding="utf-8").splitlines()
    words |= {line.strip().lower() for line in extras if line.strip() and not line.startswith("#")}
    with gzip.GzipFile(LIST_PATH, "wb", mtime=0) as out:  # mtime=0: the same input gives the same bytes
        out.write("".join(f"{w}\n" for w in sorted(words)).encode())
    breached.cache_clear()
    return len(words)


if __name__ == "__main__" and "--rebuild" in sys.argv:
    print(f"{rebuild()} passwords written to {LIST_PATH}")
