#!/usr/bin/env bash
# The browser tests drive Debian's chromium (no Playwright browser download): install it when
# this machine does not have it yet (~35 s, +460 MB).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "chromium not found at /usr/bin/chromium: installing it with apt-get" >&2
SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  SUDO='sudo'
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
