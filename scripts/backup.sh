#!/usr/bin/env bash
# Back up Casebook: the database and the uploaded files, with SHA-256 checksums.
#
#   DATABASE_URL=postgres://user@host:5432/casebook MEDIA_ROOT=/srv/casebook/media \
#   BACKUP_DIR=/srv/backups scripts/backup.sh          (or: make backup)
#
# Writes BACKUP_DIR/casebook-<UTC time>/ holding
#   database.dump     pg_dump custom format (PostgreSQL), or database.sqlite3 (SQLite, online backup)
#   media.tar.gz      everything under MEDIA_ROOT
#   media.sha256      the SHA-256 of every file under MEDIA_ROOT (checked again after a restore)
#   manifest.txt      when, what, from which commit
#   SHA256SUMS        the SHA-256 of the files above (scripts/restore.sh checks it first)
# The database is dumped before the media are archived, so every file a row points to is in the
# archive (files are stored before their rows commit). Backups hold personal data: mode 0700/0600.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATABASE_URL="${DATABASE_URL:-sqlite:///$ROOT/db.sqlite3}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/backups}"
PYTHON="${PYTHON:-python3}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$BACKUP_DIR/casebook-$stamp"
if [ -e "$dest" ]; then dest="$dest-$$"; fi
mkdir -p "$dest"

case "$DATABASE_URL" in
  postgres://*|postgresql://*)
    kind=postgresql
    pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"
    ;;
  sqlite:///*)
    kind=sqlite
    src="${DATABASE_URL#sqlite://}"
    [ -f "$src" ] || { echo "backup: no SQLite database at $src" >&2; exit 1; }
    "$PYTHON" - "$src" "$dest/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)  # a consistent copy even while the application writes
source.close(); target.close()
PY
    ;;
  *)
    echo "backup: unsupported DATABASE_URL (postgres:// or sqlite:/// expected)" >&2
    exit 2
    ;;
esac

mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$dest/media.tar.gz" .
(cd "$MEDIA_ROOT" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) > "$dest/media.sha256"

{
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "database: $kind"
  echo "database_name: ${DATABASE_URL##*/}" | sed 's/?.*//'
  echo "media_files: $(wc -l < "$dest/media.sha256" | tr -d ' ')"
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
} > "$dest/manifest.txt"

(cd "$dest" && sha256sum database.* media.tar.gz media.sha256 manifest.txt > SHA256SUMS)
echo "$dest"
