#!/usr/bin/env bash
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo --tls
run_playbook playbook.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"
