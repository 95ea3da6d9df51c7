#!/usr/bin/env bash
# Where the modules run: in the controller process under the controller's own connection (host org, which has no
# ansible_python_interpreter and could start no module process), and as a module process on a host reached through
# another connection (host jumphost, connection_plugins/jump_local.py). Both must give the same results.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo --tls

python_path="$(python -c 'import sys; print(sys.executable)')"
inventory="${EMULATOR_WORKDIR}/inventory"
cat >"${inventory}" <<INVENTORY
org ansible_connection=local ansible_pipelining=false ansible_remote_tmp=${EMULATOR_WORKDIR}/tmp-org
jumphost ansible_connection=jump_local ansible_pipelining=false ansible_remote_tmp=${EMULATOR_WORKDIR}/tmp-jumphost ansible_python_interpreter=${python_path}
INVENTORY
# A module process on org would fail on this interpreter; the jump host names its own.
export ANSIBLE_PYTHON_INTERPRETER=/nonexistent/python
# Module payloads stay in each host's remote_tmp: they show which path each host took.
export ANSIBLE_KEEP_REMOTE_FILES=1
export INVENTORY_PATH="${inventory}"
# What callbacks see of every task result (callback_plugins/result_log.py), for compare_results.py.
export ANSIBLE_CALLBACKS_ENABLED=result_log RESULT_LOG="${EMULATOR_WORKDIR}/results.jsonl"

run_playbook playbook.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"
run_playbook modules.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"
python compare_results.py "${RESULT_LOG}" emulator-admin-token

# Without PyJWT where the modules run, both paths fail with missing_required_lib's message.
mkdir -p "${EMULATOR_WORKDIR}/no_jwt/jwt"
echo 'raise ImportError("PyJWT is hidden by the controller_process test")' >"${EMULATOR_WORKDIR}/no_jwt/jwt/__init__.py"
PYTHONPATH="${EMULATOR_WORKDIR}/no_jwt${PYTHONPATH:+:${PYTHONPATH}}" run_playbook missing_lib.yml -e "okta_emulator_ca=${EMULATOR_WORKDIR}/ca.pem" "$@"

payloads() {  # $1 = host: the module payloads the run left in its remote_tmp
    find "${EMULATOR_WORKDIR}/tmp-$1" -name 'AnsiballZ_*.py' -printf '%f\n' 2>/dev/null | sort -u
}
[[ -z "$(payloads org | grep -E 'AnsiballZ_(okta_|zluri_)' || true)" ]]
for module in okta_admin_role okta_admin_role_info okta_app_jwk okta_service_app okta_resource_set okta_scope_grant okta_role_assignment zluri_connection okta_m2m_check; do
    payloads jumphost | grep -qx "AnsiballZ_${module}.py"
done
