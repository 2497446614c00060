#!/usr/bin/env bash
# Install headless Chromium from the system packages (used by the HTML report test).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" != 0 ] && SUDO="sudo -n"
  echo "[setup] installing chromium from the system packages" >&2
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "[setup] cannot install chromium here (no apt-get)" >&2
exit 1
