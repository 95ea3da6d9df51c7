#!/usr/bin/env bash
# playbooks/audit.yml across two orgs (two emulators): org-a seeded with a mix of API Services apps, org-b with one.
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
ansible-playbook -i "${EMULATOR_WORKDIR}/inventory.yml" saasops.okta_m2m.audit \
    -e "audit_report_dir=${EMULATOR_WORKDIR}/report" -e audit_idle_days=30 "$@" | tee "${EMULATOR_WORKDIR}/audit.log"
ansible-playbook -i "${INVENTORY_PATH}" check.yml "${orgs[@]}" "$@"
# The Markdown report the test produced, for whoever reads the log.
cat "${EMULATOR_WORKDIR}/report/report.md"
