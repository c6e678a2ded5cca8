#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
set -euo pipefail
# A CJK font too, so the screenshots kept as test artefacts show Chinese text, not boxes.
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium chromium-driver)
fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-wqy-microhei)
# Pango for WeasyPrint (the 告知书 PDFs); Chromium brings it too, but the PDF tests need it on their own.
ldconfig -p | grep -q libpangoft2-1.0.so.0 || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[browser] installing Debian's ${packages[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
  echo "[browser] /usr/bin/chromium is missing: install Debian's chromium package (apt-get install chromium)" >&2
  exit 1
fi
