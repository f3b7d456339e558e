#!/usr/bin/env bash
# Back up the LMS: the PostgreSQL database (pg_dump custom format), the public
# media (lesson images, documents) and the private files (certificate PDFs,
# bulk ZIPs) into one new folder, with a SHA256SUMS file.
#
#   deploy/backup.sh /var/backups/lms      prints the folder it wrote
#
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment
# (source /etc/lms/environment first). Safe while the site runs: pg_dump
# takes a consistent snapshot, and the files are copied AFTER it, so every
# PDF a dumped certificate names is in the copy (a certificate's PDF is
# written before its row is committed; files newer than the dump are extra,
# never missing). Restore with deploy/restore.sh.
set -euo pipefail
umask 077
dest="${1:?usage: deploy/backup.sh DESTINATION_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}" "${MEDIA_ROOT:?set MEDIA_ROOT}" "${PRIVATE_MEDIA_ROOT:?set PRIVATE_MEDIA_ROOT}"
target="$dest/lms-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" --dbname="$DATABASE_URL"
for pair in "media:$MEDIA_ROOT" "private-media:$PRIVATE_MEDIA_ROOT"; do
  name="${pair%%:*}" folder="${pair#*:}"
  mkdir -p "$folder"
  tar --create --file="$target/$name.tar" --directory="$folder" .
done
(cd "$target" && sha256sum database.dump media.tar private-media.tar > SHA256SUMS)
echo "$target"
