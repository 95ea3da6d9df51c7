#!/usr/bin/env bash
# make demo: run the main job (site.yml, the zluri_okta role) against the bundled Okta emulator over HTTPS.
# The demo org's state, key and hand-off bundle live in .demo/ (git-ignored), so a second run shows every
# task unchanged; `make demo-clean` resets it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${DEMO_VENV:-$root/.venv-demo}"
port="${DEMO_PORT:-18443}"
export DEMO_PORT="$port"

.ci/ensure-venv "$venv" 3.11 demo/requirements.txt >&2
mkdir -p .demo collections/ansible_collections/saasops
chmod 700 .demo
ln -sfn "$root" collections/ansible_collections/saasops/okta_m2m

emulator() {
    PYTHONPATH="$root/tests/emulator" "$venv/bin/python" -m okta_emulator.harness "$@"
}
stop() {
    emulator stop --pidfile .demo/emulator.pid >/dev/null 2>&1 || true
}
trap stop EXIT
stop
emulator start --pidfile .demo/emulator.pid --urlfile .demo/url --cafile .demo/ca.pem --logfile .demo/emulator.log \
    --port "$port" --seed demo --state-file .demo/org-state.json
echo "Okta emulator (demo org): $(cat .demo/url)"

PATH="$venv/bin:$PATH" ansible-playbook -i inventory/demo site.yml -e "demo_root=$root" "$@"

bundle=".demo/out/demo-org/zluri-handoff.json"
echo
echo "Hand-off bundle for Zluri's \"Okta (Machine to Machine)\" form: $root/$bundle"
echo "Run 'make demo' again: every task reports ok (unchanged). 'make demo-clean' resets the demo org."
