#!/usr/bin/env bash
# playbooks/audit.yml across two orgs (two emulators): org-a seeded with a mix of API Services apps and API tokens,
# org-b with one app.
set -eux -o pipefail
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed empty
ORG_A_URL="${OKTA_EMULATOR_URL}"
emulator_harness start --pidfile "${EMULATOR_WORKDIR}/org-b.pid" --urlfile "${EMULATOR_WORKDIR}/org-b.url" --seed empty
trap 'emulator_harness stop --pidfile "${EMULATOR_WORKDIR}/org-b.pid" || true; stop_okta_emulator' EXIT
ORG_B_URL="$(cat "${EMULATOR_WORKDIR}/org-b.url")"

cat > "${EMULATOR_WORKDIR}/inventory.yml" <<YAML
okta_orgs:
  hosts:
    org-a:
      zluri_okta_org_url: ${ORG_A_URL}
    org-b:
      zluri_okta_org_url: ${ORG_B_URL}
  vars:
    zluri_okta_api_token: emulator-admin-token
YAML
orgs=(-e "org_a_url=${ORG_A_URL}" -e "org_b_url=${ORG_B_URL}" -e "workdir=${EMULATOR_WORKDIR}")

ansible-playbook -i "${INVENTORY_PATH}" seed.yml "${orgs[@]}" "$@"
# As a user runs it: from a directory of their own, with a report directory relative to it. Modules run in the
# playbook's directory (the installed collection's playbooks/); the report must land here all the same.
mkdir -p "${EMULATOR_WORKDIR}/cwd"
(cd "${EMULATOR_WORKDIR}/cwd" && ansible-playbook -i "${EMULATOR_WORKDIR}/inventory.yml" saasops.okta_m2m.audit \
    -e audit_report_dir=./okta-audit -e audit_idle_days=20 "$@") | tee "${EMULATOR_WORKDIR}/audit.log"
test -f "${EMULATOR_WORKDIR}/cwd/okta-audit/report.json"
test -f "${EMULATOR_WORKDIR}/cwd/okta-audit/report.md"
test ! -e "${COLLECTION_ROOT}/playbooks/okta-audit"
ansible-playbook -i "${INVENTORY_PATH}" check.yml "${orgs[@]}" -e "report_dir=${EMULATOR_WORKDIR}/cwd/okta-audit" "$@"
# The Markdown report the test produced, for whoever reads the log.
cat "${EMULATOR_WORKDIR}/cwd/okta-audit/report.md"
