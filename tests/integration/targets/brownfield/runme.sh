#!/usr/bin/env bash
# Brownfield orgs (issue 10 section 1): the role run where someone already clicked part of Zluri's guide in Okta's
# console. One emulator for every state; playbook.yml resets its org between states through the control API.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo --tls
run_playbook playbook.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"
