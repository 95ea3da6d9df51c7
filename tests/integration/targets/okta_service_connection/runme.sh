#!/usr/bin/env bash
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed empty
run_playbook playbook.yml "$@"
run_playbook cli_check_mode.yml --check "$@"
