#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and EMPTY
# media folders (it refuses otherwise: a restore never mixes two sites).
#
#   createdb lms_restored
#   DATABASE_URL=postgres://.../lms_restored MEDIA_ROOT=/srv/lms/media \
#   PRIVATE_MEDIA_ROOT=/srv/lms/private-media deploy/restore.sh /var/backups/lms/lms-20261201T060000Z
#
# Then, with the site's settings: `python manage.py migrate` (a no-op for a
# backup of the same code) and `python manage.py verify_certificate_pdfs`
# (every certificate's PDF present and matching its recorded SHA-256).
set -euo pipefail
source_dir="${1:?usage: deploy/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}" "${MEDIA_ROOT:?set MEDIA_ROOT}" "${PRIVATE_MEDIA_ROOT:?set PRIVATE_MEDIA_ROOT}"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql --dbname="$DATABASE_URL" --tuples-only --no-align \
  --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "The database of DATABASE_URL is not empty ($tables tables): restore into a new database." >&2
  exit 1
fi
for folder in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "$folder is not empty: restore into new folders." >&2
    exit 1
  fi
done
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$source_dir/database.dump"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar --extract --file="$source_dir/media.tar" --directory="$MEDIA_ROOT"
(umask 077 && tar --extract --no-same-permissions --file="$source_dir/private-media.tar" --directory="$PRIVATE_MEDIA_ROOT")
echo "Restored $source_dir"
