#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and we can (root + apt-get);
# otherwise say how, and let the tests skip (or fail when CI=true).
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && exit 0
  echo "Could not install chromium with apt-get." >&2
else
  echo "Browser tests need Chromium: sudo apt-get install chromium (they will be skipped)." >&2
fi
[ "${CI:-}" = "true" ] && exit 1
exit 0
