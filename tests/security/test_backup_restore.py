"""Backup and restore (scripts/backup.sh, scripts/restore.sh; `make backup`, `make restore`).

The restore drill (PostgreSQL): make data, back up, restore into a second database and media
directory, then compare row counts, file hashes and the last audit event (issue 8 §9).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

import audit
from audit.models import AuditEvent
from cases import editing
from tests import factories
from tests.factories import DEFAULT_PASSWORD, case_in
from tests.files import pdf_upload, png_upload

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"


def run(script: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RESTORE_OVERWRITE"}}
    full_env.update(env)
    bash = shutil.which("bash") or "/bin/bash"
    return subprocess.run([bash, str(script), *args], env=full_env, capture_output=True, text=True, timeout=300)  # noqa: S603


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- the scripts on SQLite (no server needed) -------------------------------------------------


@pytest.fixture
def sqlite_site(tmp_path):
    db = tmp_path / "site.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE audit_auditevent (id INTEGER PRIMARY KEY, action TEXT)")
        conn.executemany("INSERT INTO audit_auditevent (action) VALUES (?)", [("login.success",), ("export",)])
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "a1.png").write_bytes(b"\x89PNG fake image")
    (media / "documents").mkdir()
    (media / "documents" / "申报 材料.pdf").write_bytes(b"%PDF-1.4 fake")
    return db, media


def backup(db_url: str, media: Path, into: Path) -> Path:
    result = run(BACKUP, DATABASE_URL=db_url, MEDIA_ROOT=str(media), BACKUP_DIR=str(into))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == into and path.name.startswith("casebook-")
    return path


def test_backup_writes_a_dump_an_archive_and_checksums(sqlite_site, tmp_path):
    db, media = sqlite_site
    path = backup(f"sqlite:///{db}", media, tmp_path / "backups")
    names = {p.name for p in path.iterdir()}
    assert names == {"database.sqlite3", "media.tar.gz", "media.sha256", "manifest.txt", "SHA256SUMS"}
    sums = (path / "SHA256SUMS").read_text()
    for name in names - {"SHA256SUMS"}:
        assert hashlib.sha256((path / name).read_bytes()).hexdigest() + "  " + name in sums
    assert "media_files: 2" in (path / "manifest.txt").read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o700"  # backups hold personal data


def test_restore_checks_then_restores_database_and_files(sqlite_site, tmp_path):
    db, media = sqlite_site
    path = backup(f"sqlite:///{db}", media, tmp_path / "backups")
    target_db, target_media = tmp_path / "restored" / "site.sqlite3", tmp_path / "restored-media"
    result = run(RESTORE, str(path), RESTORE_DATABASE_URL=f"sqlite:///{target_db}",
                 RESTORE_MEDIA_ROOT=str(target_media))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target_db) as conn:
        assert conn.execute("SELECT action FROM audit_auditevent ORDER BY id DESC LIMIT 1").fetchone() == ("export",)
    assert file_hashes(target_media) == file_hashes(media)
    # A second restore into the same places is refused unless asked for.
    again = run(RESTORE, str(path), RESTORE_DATABASE_URL=f"sqlite:///{target_db}", RESTORE_MEDIA_ROOT=str(target_media))
    assert again.returncode != 0 and "RESTORE_OVERWRITE" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_touched(sqlite_site, tmp_path):
    db, media = sqlite_site
    path = backup(f"sqlite:///{db}", media, tmp_path / "backups")
    archive = path / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    target_db, target_media = tmp_path / "never.sqlite3", tmp_path / "never-media"
    result = run(RESTORE, str(path), RESTORE_DATABASE_URL=f"sqlite:///{target_db}", RESTORE_MEDIA_ROOT=str(target_media))
    assert result.returncode != 0 and "checksum" in result.stderr
    assert not target_db.exists() and not target_media.exists()


def test_make_has_the_targets():
    makefile = (ROOT / "Makefile").read_text()
    assert "\nbackup:" in makefile and "scripts/backup.sh" in makefile
    assert "\nrestore:" in makefile and "scripts/restore.sh" in makefile


# --- the restore drill on PostgreSQL ----------------------------------------------------------


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{name}"


TABLES = ["accounts_user", "cases_case", "cases_casetransition", "cases_caseimage", "cases_caseattachment",
          "wagtailimages_image", "wagtaildocs_document", "audit_auditevent", "security_loginthrottle"]


AUDIT_ROWS = "SELECT id, at, username, action, outcome, object_type, object_id, details::text FROM audit_auditevent ORDER BY id"


def counts(cursor) -> dict[str, int]:
    result = {}
    for table in TABLES:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed table names
        result[table] = cursor.fetchone()[0]
    return result


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_drill_on_postgresql(tmp_path):
    import psycopg

    # Data: cases through the workflow, uploaded files, sign-ins (audited), a failed sign-in.
    campaign = factories.CampaignFactory()
    case_in("submitted", campaign=campaign)
    owner = factories.submitter(username="drill-owner")
    draft = case_in("draft", campaign=campaign)
    editing.add_image(case=draft, by=owner, file=png_upload("现场.png"), alt="现场照片")
    editing.add_attachment(case=draft, by=owner, file=pdf_upload("佐证.pdf"), title="佐证材料")
    Client().post("/admin/login/", {"username": "drill-owner", "password": DEFAULT_PASSWORD})
    Client().post("/admin/login/", {"username": "drill-owner", "password": "wrong"})
    last = audit.record("export", details={"export": "backup drill marker"})
    assert AuditEvent.objects.order_by("-pk").first().pk == last.pk
    media = Path(django_settings.MEDIA_ROOT)
    assert len(file_hashes(media)) >= 4  # images, their renditions or originals, documents

    with connection.cursor() as cursor:
        live = counts(cursor)
        cursor.execute(AUDIT_ROWS)
        live_events = cursor.fetchall()
    assert live["cases_case"] >= 2 and live["audit_auditevent"] >= 4 and live["wagtaildocs_document"] >= 1

    path = backup(database_url(connection.settings_dict["NAME"]), media, tmp_path / "backups")
    assert (path / "database.dump").stat().st_size > 0

    drill_name = f"{connection.settings_dict['NAME']}_drill"[:60]
    drill_url = database_url(drill_name)
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{drill_name}" WITH (FORCE)')
    restored_media = tmp_path / "restored-media"
    try:
        result = run(RESTORE, str(path), RESTORE_DATABASE_URL=drill_url, RESTORE_MEDIA_ROOT=str(restored_media))
        assert result.returncode == 0, result.stdout + result.stderr

        with psycopg.connect(drill_url) as restored:
            cursor = restored.cursor()
            assert counts(cursor) == live
            # Audit continuity: the last event before the backup is the last one after the restore.
            cursor.execute("SELECT id, action, details->>'export' FROM audit_auditevent ORDER BY id DESC LIMIT 1")
            assert cursor.fetchone() == (last.pk, "export", "backup drill marker")
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE action IN ('login.success', 'login.failure')")
            assert cursor.fetchone()[0] >= 2
            # Every event, in order, and the log carries on after the last one (its sequence came along).
            cursor.execute(AUDIT_ROWS)
            assert cursor.fetchall() == live_events
            cursor.execute(
                "INSERT INTO audit_auditevent (at, username, role, action, outcome, object_type, object_id, details)"
                " VALUES (now(), '', '', 'restore.check', 'success', '', '', '{}'::jsonb) RETURNING id"
            )
            assert cursor.fetchone()[0] > last.pk
            # Every file a restored row points to is there, with the same content.
            cursor.execute("SELECT file FROM wagtailimages_image UNION ALL SELECT file FROM wagtaildocs_document")
            referenced = [row[0] for row in cursor.fetchall()]
            # The restored database keeps refusing edits to the audit log.
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_event_guard'")
            assert cursor.fetchone()[0] == 1
        assert file_hashes(restored_media) == file_hashes(media)
        assert referenced and all((restored_media / name).is_file() for name in referenced)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{drill_name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_non_empty_database(tmp_path):
    media = Path(django_settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    path = backup(database_url(connection.settings_dict["NAME"]), media, tmp_path / "backups")
    # The live (test) database is not empty: restoring over it needs RESTORE_OVERWRITE=yes.
    result = run(RESTORE, str(path), RESTORE_DATABASE_URL=database_url(connection.settings_dict["NAME"]),
                 RESTORE_MEDIA_ROOT=str(tmp_path / "m"))
    assert result.returncode != 0 and "not empty" in result.stderr
