"""Security headers on the public site, the admin, the API and files; `check --deploy` (issue 8 §5)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";") if part.strip()}


def common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_get_a_strict_policy():
    response = Client().get("/cases/")
    assert response.status_code == 200
    common_headers(response)
    csp = directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'"


def test_not_found_pages_too():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == "'self'"


def test_the_admin_gets_its_own_policy():
    client = Client()
    client.force_login(factories.secretariat(username="hdr"))
    response = client.get("/admin/")
    assert response.status_code == 200
    common_headers(response)
    csp = directives(response)
    assert "'unsafe-inline'" in csp["script-src"]  # Wagtail's admin needs it
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["connect-src"] == "'self'" and csp["form-action"] == "'self'"
    # Nothing from other hosts: no Gravatar, no update check.
    assert "gravatar" not in response.content.decode()
    login = Client().get("/admin/login/")
    assert "'unsafe-inline'" in directives(login)["script-src"]


def test_the_api_gets_none_at_all():
    response = Client().get("/api/v1/campaigns")
    assert response.status_code == 200
    common_headers(response)
    csp = directives(response)
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert directives(docs)["style-src"] == "'unsafe-inline'" and directives(docs)["default-src"] == "'none'"


def test_case_files_keep_their_own_sandbox_policy(campaign):
    from cases import editing
    from tests.factories import case_in

    case = case_in("draft", campaign=campaign)
    user = factories.submitter(username="files-hdr")
    att = editing.add_attachment(case=case, by=user, file=pdf_upload("申报书<script>.pdf"), title="申报书")
    client = Client()
    client.force_login(user)
    response = client.get(f"/files/attachments/{att.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_hsts_on_https_with_production_values(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get("/cases/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "casebook.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra,
    })
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_an_unsafe_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT,
        env=production_env(tmp_path, SECRET_KEY="short"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
