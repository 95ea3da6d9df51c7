#!/usr/bin/env bash
# The zluri_okta role's health check (zluri_okta_state: verified, playbooks/verify.yml) and its key age warning.
set -eux -o pipefail
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo
run_playbook playbook.yml "$@" | tee "${EMULATOR_WORKDIR}/run.log"
# The warning is shown, not only computed: it names the key's age and the rotation command.
grep -q 'WARNING: The key [^ ]* of the app .Zluri. was registered 400 days ago, more than zluri_okta_key_max_age_days (365)' "${EMULATOR_WORKDIR}/run.log"
grep -q -- '-e zluri_okta_rotation=start' "${EMULATOR_WORKDIR}/run.log"
