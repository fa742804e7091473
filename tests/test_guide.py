"""The user guide (docs/guide/) shows the pictures the browser walk takes, and only those."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"
WALK = ROOT / "tests" / "browser" / "test_campaign_walk.py"


def _walk_pictures() -> set[str]:
    text = WALK.read_text(encoding="utf-8")
    return set(re.findall(r'shot\(page, "([\w-]+)"\)', text)) | set(re.findall(r'confirm\(page, "[^"]+", "([\w-]+)"', text)) | set(
        re.findall(r'"(reviewer-\d\d-[\w-]+)" if', text)
    )


def _guide_pictures() -> dict[str, str]:
    found = {}
    for page in GUIDE.glob("*.md"):
        for name in re.findall(r"!\[[^\]]+\]\(img/([\w-]+)\.png\)", page.read_text(encoding="utf-8")):
            found[name] = page.name
    return found


def test_every_picture_in_the_guide_is_taken_by_the_walk_and_every_one_taken_is_shown():
    walk, guide = _walk_pictures(), _guide_pictures()
    assert len(walk) >= 20
    assert set(guide) - walk == set(), "pictures the walk never takes (stale guide)"
    assert walk - set(guide) == set(), "pictures taken but shown on no guide page"


def test_one_page_per_role_and_the_pictures_are_committed():
    assert {p.name for p in GUIDE.glob("*.md")} >= {"README.md", "submitter.md", "recommender.md", "reviewer.md", "secretariat.md"}
    missing = [name for name in _guide_pictures() if not (GUIDE / "img" / f"{name}.png").is_file()]
    assert not missing, f"run `make guide`: {missing}"
