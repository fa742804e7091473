"""The site's mark as favicon on the public site and in the admin (issue 16: "no favicon")."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests import factories

pytestmark = pytest.mark.django_db


def icon_href(html: str) -> str:
    found = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert found, "no <link rel=icon>"
    return found.group(1)


def test_public_pages_and_the_admin_link_the_same_icon(client):
    public = icon_href(client.get("/").content.decode())
    login = icon_href(client.get(reverse("wagtailadmin_login")).content.decode())
    client.force_login(factories.secretariat(username="secretariat-icon"))
    admin = icon_href(client.get(reverse("wagtailadmin_home")).content.decode())
    assert public == login == admin and public.endswith("website/favicon.ico")


def test_the_icon_is_a_real_icon_with_small_sizes():
    path = finders.find("website/favicon.ico")
    assert path is not None
    with Image.open(path) as image:
        assert image.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(image.info["sizes"])
