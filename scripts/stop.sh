#!/usr/bin/env bash
# Stops the apps started by `npm start`; with --all, the local stack too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/stack/env.sh
source scripts/apps.sh
for app in "${APPS[@]}"; do stop_app "$app"; done
if [[ "${1:-}" == "--all" ]]; then bash scripts/stack/stack.sh down; fi
