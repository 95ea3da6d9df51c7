#!/usr/bin/env bash
# The collection as a user installs it: the tarball `ansible-galaxy collection build` makes, installed into a
# collections path of its own, and `ansible-playbook saasops.okta_m2m.site` from it against the emulator: a converge,
# then a re-run that changes nothing. ansible-test runs this on every ansible-core line of the matrix.
set -eux
source ../setup_okta_emulator/emulator.sh
start_okta_emulator --seed demo --tls

build="${EMULATOR_WORKDIR}/build"
installed="${EMULATOR_WORKDIR}/collections"
ansible-galaxy collection build --output-path "${build}" "${COLLECTION_ROOT}"
tarball="$(ls "${build}"/saasops-okta_m2m-*.tar.gz)"
ANSIBLE_COLLECTIONS_PATH="${installed}" ansible-galaxy collection install --force --collections-path "${installed}" "${tarball}"
test -f "${installed}/ansible_collections/saasops/okta_m2m/MANIFEST.json"

cat > "${EMULATOR_WORKDIR}/inventory.yml" <<YAML
okta_orgs:
  hosts:
    acme-emulator:
      zluri_okta_ca_path: ${EMULATOR_WORKDIR}/ca.pem
      zluri_okta_output_dir: ${EMULATOR_WORKDIR}/out
YAML

site() {
    ANSIBLE_COLLECTIONS_PATH="${installed}" OKTA_ORG_URL="${OKTA_EMULATOR_URL}" OKTA_API_TOKEN=emulator-admin-token \
        ansible-playbook saasops.okta_m2m.site -i "${EMULATOR_WORKDIR}/inventory.yml"
}
set +x
first="$(site)"
echo "${first}"
grep -E 'acme-emulator +: ok=[0-9]+ +changed=[1-9]' <<<"${first}"
second="$(site)"
echo "${second}"
grep -E 'acme-emulator +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' <<<"${second}"
grep -q 'Changed nothing' <<<"${second}"
echo "installed tarball: converged, then changed nothing"
