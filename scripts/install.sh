#!/usr/bin/env bash
# Installs the locked npm dependencies when they are missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v node >/dev/null || { echo "Node.js 20.19+ is required (apt-get install nodejs, or your usual installer)" >&2; exit 1; }
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
# The console's browser tests drive Debian's Chromium (no browser download): installed when missing, on apt systems only.
if [[ ! -x /usr/bin/chromium && -z "${CHROMIUM_PATH:-}" ]] && command -v apt-get >/dev/null && [[ -f /etc/debian_version ]]; then
  echo "[install] Chromium for the console's browser tests (apt-get install chromium)"
  sudo_if_needed=(); [[ $(id -u) -eq 0 ]] || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq && "${sudo_if_needed[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
    || echo "[install] could not install chromium; the console's browser tests will fail until it is there" >&2
fi
