#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
#   scripts/system-deps.sh        what running the site needs: gettext (msgfmt),
#                                 the DejaVu fonts and the Pango libraries
#                                 WeasyPrint renders certificates with
#   scripts/system-deps.sh test   adds what the test suite needs: Chromium for
#                                 the browser tests, poppler (pdftoppm) and qpdf
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
