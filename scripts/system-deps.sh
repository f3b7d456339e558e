#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
#   scripts/system-deps.sh        what running the site needs: gettext (msgfmt),
#                                 the DejaVu fonts and the Pango libraries
#                                 WeasyPrint renders certificates with
#   scripts/system-deps.sh test   adds what the test suite needs: Chromium for
#                                 the browser tests, poppler (pdftoppm) and qpdf,
#                                 nginx and openssl (the proxy test runs the
#                                 deploy/ recipe) and the PostgreSQL client
#                                 tools (the backup test: pg_dump, pg_restore)
# Needs root only when something is missing; does nothing otherwise.
set -euo pipefail
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
if [ "${1:-}" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  # qpdf: the certificate tests read the PDF's structure tree (alt text, language).
  command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
  # The proxy test (tests/deploy) starts nginx as the current user on
  # loopback ports; the backup test dumps and restores with the client tools.
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "Installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
