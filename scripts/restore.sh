#!/usr/bin/env bash
# Restore a Casebook backup (scripts/backup.sh) into a named database and media directory.
#
#   RESTORE_DATABASE_URL=postgres://user@host:5432/casebook_restored \
#   RESTORE_MEDIA_ROOT=/srv/casebook/media-restored scripts/restore.sh BACKUP_PATH
#   (or: make restore BACKUP=... RESTORE_DATABASE_URL=... RESTORE_MEDIA_ROOT=...)
#
# 1. Checks every checksum in SHA256SUMS; any mismatch stops here, before anything is touched.
# 2. Restores the database in one transaction: PostgreSQL via pg_restore (the database is created
#    when missing; an existing one must be empty), SQLite by copying the file.
# 3. Unpacks the media and checks every file against media.sha256.
# It refuses to overwrite a non-empty database or media directory, or the database named by
# DATABASE_URL, unless RESTORE_OVERWRITE=yes.
set -euo pipefail
umask 077

backup="${1:-${BACKUP:-}}"
: "${RESTORE_DATABASE_URL:?set RESTORE_DATABASE_URL to the database to restore into}"
: "${RESTORE_MEDIA_ROOT:?set RESTORE_MEDIA_ROOT to the directory to restore the media into}"
overwrite="${RESTORE_OVERWRITE:-no}"

fail() { echo "restore: $*" >&2; exit 1; }

[ -n "$backup" ] && [ -d "$backup" ] || fail "usage: restore.sh BACKUP_PATH (a directory made by backup.sh)"
backup="$(cd "$backup" && pwd)"
[ -f "$backup/SHA256SUMS" ] || fail "$backup has no SHA256SUMS"

echo "restore: checking checksums in $backup"
(cd "$backup" && sha256sum --check --strict --quiet SHA256SUMS) || fail "checksum mismatch: the backup is damaged, nothing was restored"

if [ "$overwrite" != "yes" ] && [ -n "${DATABASE_URL:-}" ] && [ "$RESTORE_DATABASE_URL" = "$DATABASE_URL" ]; then
  fail "RESTORE_DATABASE_URL is the live DATABASE_URL; set RESTORE_OVERWRITE=yes to replace it"
fi
if [ "$overwrite" != "yes" ] && [ -d "$RESTORE_MEDIA_ROOT" ] && [ -n "$(ls -A "$RESTORE_MEDIA_ROOT")" ]; then
  fail "$RESTORE_MEDIA_ROOT is not empty; set RESTORE_OVERWRITE=yes to restore over it"
fi

case "$RESTORE_DATABASE_URL" in
  postgres://*|postgresql://*)
    [ -f "$backup/database.dump" ] || fail "this backup holds no PostgreSQL dump"
    base="${RESTORE_DATABASE_URL%%\?*}"
    query=""; [ "$base" != "$RESTORE_DATABASE_URL" ] && query="?${RESTORE_DATABASE_URL#*\?}"
    name="${base##*/}"
    [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || fail "unsupported database name '$name'"
    admin="${base%/*}/postgres$query"
    if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
      echo "restore: creating database $name"
      psql "$admin" -q -c "CREATE DATABASE \"$name\""
    fi
    tables="$(psql "$RESTORE_DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
    clean=()
    if [ "$tables" != "0" ]; then
      [ "$overwrite" = "yes" ] || fail "database $name is not empty; set RESTORE_OVERWRITE=yes to replace its contents"
      clean=(--clean --if-exists)
    fi
    echo "restore: restoring the database into $name"
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
      --dbname "$RESTORE_DATABASE_URL" "$backup/database.dump"
    ;;
  sqlite:///*)
    [ -f "$backup/database.sqlite3" ] || fail "this backup holds no SQLite database"
    target="${RESTORE_DATABASE_URL#sqlite://}"
    if [ -e "$target" ] && [ "$overwrite" != "yes" ]; then fail "$target exists; set RESTORE_OVERWRITE=yes to replace it"; fi
    mkdir -p "$(dirname "$target")"
    cp "$backup/database.sqlite3" "$target.restoring" && mv "$target.restoring" "$target"
    ;;
  *)
    fail "unsupported RESTORE_DATABASE_URL (postgres:// or sqlite:/// expected)"
    ;;
esac

echo "restore: unpacking media into $RESTORE_MEDIA_ROOT"
mkdir -p "$RESTORE_MEDIA_ROOT"
tar -C "$RESTORE_MEDIA_ROOT" -xzf "$backup/media.tar.gz" --no-same-owner
if [ -s "$backup/media.sha256" ]; then
  (cd "$RESTORE_MEDIA_ROOT" && sha256sum --check --strict --quiet "$backup/media.sha256") \
    || fail "restored media files do not match media.sha256"
fi
echo "restore: done ($(wc -l < "$backup/media.sha256" | tr -d ' ') media files verified)"
