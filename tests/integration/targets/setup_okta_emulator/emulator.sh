# shellcheck shell=bash
# Sourced by the runme.sh of every target that talks to the Okta emulator. It starts one emulator on
# 127.0.0.1 for the target, exports its URL, and stops it by PID when the script exits.
#   start_okta_emulator [emulator options, e.g. --seed demo --tls]
#   run_playbook PLAYBOOK [ansible-playbook options]

COLLECTION_ROOT="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/saasops/okta_m2m"
EMULATOR_WORKDIR="$(mktemp -d)"
export COLLECTION_ROOT EMULATOR_WORKDIR
# Every emulator started from here records each Okta exchange (secrets redacted) as JSON lines, labelled with the
# target's name; tests/emulator/spec_check.py then validates them against the official OpenAPI specs.
OKTA_EMULATOR_TRAFFIC_DIR="${OKTA_EMULATOR_TRAFFIC_DIR:-${COLLECTION_ROOT}/tests/output/emulator-traffic}"
OKTA_EMULATOR_TRAFFIC_LABEL="${OKTA_EMULATOR_TRAFFIC_LABEL:-$(basename "${PWD}")}"
export OKTA_EMULATOR_TRAFFIC_DIR OKTA_EMULATOR_TRAFFIC_LABEL

emulator_harness() {
    PYTHONPATH="${COLLECTION_ROOT}/tests/emulator" python -m okta_emulator.harness "$@"
}

stop_okta_emulator() {
    emulator_harness stop --pidfile "${EMULATOR_WORKDIR}/emulator.pid" || true
    rm -rf "${EMULATOR_WORKDIR}"
}

start_okta_emulator() {
    local tls_args=()
    if [[ " $* " == *" --tls "* ]]; then
        tls_args=(--cafile "${EMULATOR_WORKDIR}/ca.pem")
    fi
    trap stop_okta_emulator EXIT
    emulator_harness start --pidfile "${EMULATOR_WORKDIR}/emulator.pid" --urlfile "${EMULATOR_WORKDIR}/url" \
        "${tls_args[@]}" "$@"
    OKTA_EMULATOR_URL="$(cat "${EMULATOR_WORKDIR}/url")"
    export OKTA_EMULATOR_URL
}

run_playbook() {
    local playbook="$1"
    shift
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" "${playbook}" \
        -e "okta_emulator_url=${OKTA_EMULATOR_URL}" -e "okta_emulator_workdir=${EMULATOR_WORKDIR}" \
        -e "@${COLLECTION_ROOT}/tests/integration/targets/setup_okta_emulator/vars.yml" "$@"
}
