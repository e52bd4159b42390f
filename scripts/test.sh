#!/usr/bin/env bash
# The one command that runs every test: installs dependencies, starts the local stack, checks schemas and
# types, then runs the unit, integration and end-to-end suites against the real services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/stack/env.sh

step() { printf '[test] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
step "installing"
bash scripts/install.sh
step "starting the stack"
bash scripts/stack/stack.sh up
# In CI the stack goes down at the end, bounded in time: a stop that hangs must not hold the run.
if [[ "${CI:-}" == "true" ]]; then trap 'step "stopping the stack"; timeout -k 10 180 bash scripts/stack/stack.sh down || true; step "done"' EXIT; fi

step "static checks"
npm run --silent lint
npm run --silent format:check
npm run --silent typecheck
npm run --silent schemas:check
# The end-to-end suites run the built apps as separate processes.
npm run --silent build
step "tests"
# --forceExit: a handle some test left open must not keep the run waiting after the last suite.
npx jest --runInBand --forceExit "$@"
