#!/usr/bin/env bash
# The one command that runs every test: installs dependencies, starts the local stack, checks schemas and
# types, then runs the unit, integration and end-to-end suites against the real services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/stack/env.sh

bash scripts/install.sh
bash scripts/stack/stack.sh up
# In CI the stack goes down at the end, bounded in time: a stop that hangs must not hold the run.
if [[ "${CI:-}" == "true" ]]; then trap 'timeout -k 10 180 bash scripts/stack/stack.sh down || true' EXIT; fi

npm run --silent lint
npm run --silent format:check
npm run --silent typecheck
npm run --silent schemas:check
# The end-to-end suites run the built apps as separate processes.
npm run --silent build
npx jest --runInBand "$@"
