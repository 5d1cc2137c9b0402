#!/usr/bin/env bash
# Browser tests drive Debian's Chromium, and the board-pack tests read PDFs with poppler
# (pdftotext, pdftoppm). Install what is missing when we can (root + apt-get); otherwise
# say how, and let those tests skip (or fail when CI=true).
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
  || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the browser and board-pack tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    >/dev/null && exit 0
  echo "Could not install ${missing[*]} with apt-get." >&2
else
  echo "Browser and board-pack tests need: sudo apt-get install ${missing[*]}" \
    "(they will be skipped)." >&2
fi
[ "${CI:-}" = "true" ] && exit 1
exit 0
