#!/usr/bin/env bash
# okta_api_token_info against the emulator: owners with and without Super Administrator, names, network restrictions,
# reads refused for want of a scope; then more tokens than one page of Okta's list holds.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed empty
run_playbook playbook.yml "$@"
# 205 more tokens of the read-only admin: with the 5 of the first playbook, 210, two pages of at most 200.
PYTHONPATH="${COLLECTION_ROOT}/tests/emulator" python - "${OKTA_EMULATOR_URL}" <<'PY'
import sys

from okta_fixtures import OrgAdmin, seed_api_token

admin = OrgAdmin(sys.argv[1])
for number in range(1, 206):
    seed_api_token(admin, "readonly@example.com", name="Bulk %03d" % number, created_days_ago=2)
PY
run_playbook paging.yml "$@"
