#!/usr/bin/env bash
# okta_api_token against the emulator: check mode and diff, revoke, re-run unchanged, a second token, the module's own
# admin's tokens, an admin OAuth app; the state checked through Okta's API and the emulator's, and the revoked tokens
# answered 401.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed empty
run_playbook playbook.yml "$@"
