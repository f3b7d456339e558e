#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing:
# gettext (msgfmt), Chromium for the browser tests, poppler (pdftoppm), qpdf and
# the DejaVu fonts used by the certificates. Needs root; does nothing when
# everything is there.
set -euo pipefail
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# qpdf: the certificate tests read the PDF's structure tree (alt text, language).
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "Installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
