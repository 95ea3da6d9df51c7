#!/usr/bin/env bash
# The zluri_okta role run the way AWX runs a job template: through ansible-runner, each job in a fresh HOME (a new
# container), with docs/awx.md's inventory and the credentials only in the environment, exactly as the credential
# types in extensions/awx/credential_types inject them (run_jobs.py): converge, re-runs, check mode, a key rotation.
set -eux
source ../setup_okta_emulator/emulator.sh

# Secrets of this run (kept out of the trace): the Okta admin token and the Zluri API key the emulator accepts.
set +x
admin_token="awx-okta-token-$(python -c 'import secrets; print(secrets.token_hex(16))')"
zluri_key="awx-zluri-key-$(python -c 'import secrets; print(secrets.token_hex(16))')"
start_okta_emulator --seed demo --tls --admin-token "${admin_token}" --zluri-api-key "${zluri_key}"
set -x

ca="${EMULATOR_WORKDIR}/ca.pem"
workdir="${EMULATOR_WORKDIR}/awx"
mkdir -p "${workdir}/admin"
chmod 0700 "${workdir}" "${workdir}/admin"

# Set-up: an admin API Services app for the OAuth credential type (made with the admin token).
set +x
run_playbook bootstrap.yml -e "okta_emulator_ca=${ca}" -e "admin_app_dir=${workdir}/admin" -e "okta_admin_token=${admin_token}" "$@"

# What an AWX user types into the four credentials.
OKTA_URL="${OKTA_EMULATOR_URL}" TEST_ADMIN_TOKEN="${admin_token}" TEST_ZLURI_KEY="${zluri_key}" python - "${workdir}" <<'PYTHON'
import json, os, sys
workdir = sys.argv[1]
with open(os.path.join(workdir, "admin", "admin-app.json")) as handle:
    app = json.load(handle)
with open(os.path.join(workdir, "admin", "admin-app-key.pem")) as handle:
    pem = handle.read()
# The Zluri app's key and, for the rotation, its next key: made outside AWX (as docs/awx.md says) and kept only in
# the credential.
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
def new_pem():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")
zluri_app_pem = new_pem()
with open(os.open(os.path.join(workdir, "next-key.pem"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
    handle.write(new_pem())
inputs = {
    "okta_admin_token": {"org_url": os.environ["OKTA_URL"], "api_token": os.environ["TEST_ADMIN_TOKEN"]},
    "okta_admin_oauth": {"org_url": os.environ["OKTA_URL"], "client_id": app["client_id"], "private_key": pem,
                         "key_id": app["key_id"], "scopes": ""},
    "zluri_api_key": {"api_key": os.environ["TEST_ZLURI_KEY"]},
    "zluri_okta_app_key": {"private_key": zluri_app_pem, "next_private_key": ""},
}
path = os.path.join(workdir, "credential-inputs.json")
with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
    json.dump(inputs, handle)
PYTHON
set -x

python run_jobs.py --collection "${COLLECTION_ROOT}" --url "${OKTA_EMULATOR_URL}" --ca "${ca}" --workdir "${workdir}" \
    --inputs "${workdir}/credential-inputs.json" --next-key "${workdir}/next-key.pem"
