#!/usr/bin/env bash
# The role's pre-flight on orgs that cannot take the job: without API Access Management, with "Public client app
# admins" on, and with admin credentials that are no Super Administrator (an Org Administrator's API token, an admin
# app holding ORG_ADMIN). Each fails in check mode and in a real run before any write, naming the cause and the role
# variable to change; a read the credential's scopes do not allow is "not checked" and the run goes on.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo --tls --no-api-access-management --public-client-app-admins --org-admin-token emulator-org-admin-token
run_playbook playbook.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"
