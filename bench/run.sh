#!/usr/bin/env bash
# make bench: the performance benchmark of issue 7 (not part of make test). From a fresh clone:
# creates .venv-bench, links this checkout as the collection, starts Okta emulators on 127.0.0.1 itself (and stops
# them by PID), runs the scenarios, prints one table and writes the figures to bench/results/bench-<time>.json.
# Options go to bench/bench.py, e.g. `bash bench/run.sh --only 1,2,4`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${BENCH_VENV:-$root/.venv-bench}"

.ci/ensure-venv "$venv" 3.11 bench/requirements.txt >&2
mkdir -p bench/results collections/ansible_collections/saasops
ln -sfn "$root" collections/ansible_collections/saasops/okta_m2m
exec "$venv/bin/python" bench/bench.py "$@"
