#!/usr/bin/env bash
# Usage: .ci/gates.sh GATE
# Run one test gate in the foreground (output to stdout/stderr; .ci/run-gates captures it into
# tests/output/gates/GATE.log and times it). Exit status 0 = pass.
# A gate may write a one-line note (e.g. "no targets yet") to $GATE_NOTE_FILE for the summary.
#
# Every pip the gate runs (the venvs, nox and its sessions) installs under the pins of .ci/constraints.txt
# (build+importer: .ci/constraints-importer.txt) and of one ansible-core line's .ci/requirements-<line>.txt
# (PIP_CONSTRAINT): the gate's line, else the newest (docs-examples: the oldest). ansible-test installs its own
# requirements with a cleaned environment; its pins are tests/unit/constraints.txt and
# tests/integration/constraints.txt. How to update pins: .ci/README.md.
#
# Gates (nox: a session of noxfile.py / antsibull-nox.toml, run with nox from .venv-nox); <core> is a line of
# .ci/core-lines (2.19, 2.20, 2.21):
#   sanity-<core>                  nox ansible-test-sanity-<core> (ansible-test sanity --venv, zero ignore entries)
#   units-<core>                   nox ansible-test-units-<core>
#   integration-<core>             nox ansible-test-integration-<core> (targets start the emulator);
#                                  INTEGRATION_TARGETS="a b" runs only those targets
#   emulator                       pytest tests/emulator/tests
#   spec-check                     tests/emulator/spec_check.py over the Okta traffic the integration gates recorded:
#                                  every emulator answer, and every request of this collection's client
#   ansible-lint                   nox ansible-lint (--profile production from .ansible-lint, --strict)
#   changelog                      antsibull-changelog lint + lint-changelog-yaml
#   build+importer                 nox build-import-check (ansible-galaxy collection build + galaxy-importer),
#                                  failing on any importer warning (.ci/check_importer_output.py)
#   ee-create                      ansible-builder create from meta/execution-environment.yml
#   docs-examples                  the README's real-org quick start and every module's EXAMPLES, run from the built
#                                  tarball against the Okta emulator (tests/docs/examples.py)
#   docs                           antsibull-docs + Sphinx site in tests/output/docs (warnings are errors), smoke check
set -euo pipefail

gate="${1:?usage: gates.sh GATE}"
CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CI_DIR/.." && pwd)"
OUT="$ROOT/tests/output"
TREES="$OUT/trees"
COLLECTION_SUBPATH="ansible_collections/saasops/okta_m2m"
NOTE_FILE="${GATE_NOTE_FILE:-/dev/null}"

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1
# Let nothing from the caller's environment redirect Ansible or Python.
unset PYTHONPATH ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS ANSIBLE_CONFIG VIRTUAL_ENV

note() { echo "$*" >"$NOTE_FILE"; echo "NOTE: $*"; }
step() { echo; echo "### $*"; }

core_lines() { awk '!/^#/ && NF { print $1 }' "$CI_DIR/core-lines"; }
OLDEST_LINE="$(core_lines | head -n1)"
NEWEST_LINE="$(core_lines | tail -n1)"

core_python() {  # ansible-core line -> Python version used with it (.ci/core-lines)
    local py
    py="$(awk -v line="$1" '!/^#/ && $1 == line { print $2 }' "$CI_DIR/core-lines")"
    [[ -n "$py" ]] || { echo "unknown ansible-core line $1 (not in .ci/core-lines)" >&2; return 1; }
    echo "$py"
}

# $1 = ansible-core line whose release every later pip install is held to, $2 = the other pins (default: the tool
# chain's .ci/constraints.txt)
pin_line() {
    core_python "$1" >/dev/null
    [[ "$ROOT" != *[[:space:]]* ]] || { echo "PIP_CONSTRAINT cannot name files under a path with blanks: $ROOT" >&2; exit 2; }
    export PIP_CONSTRAINT="${2:-$CI_DIR/constraints.txt} $CI_DIR/requirements-$1.txt"
}
pin_line "$NEWEST_LINE"

# nox from .venv-nox, in the checkout; session venvs are kept in .nox/ and reused, and nox never
# downloads an interpreter. PYTHON=X.Y gives the sessions the real CPython X.Y that ensure-venv would use,
# first on PATH (pyenv's shims serve only the global version); without it a session runs on .venv-nox's 3.13.
run_nox() {  # nox arguments
    local force=() path="$PATH"
    if [[ -n "${PYTHON:-}" ]]; then
        force=(--force-python "$PYTHON")
        path="$(dirname "$("$CI_DIR/find-python" "$PYTHON")"):$PATH"
    fi
    "$CI_DIR/ensure-venv" "$ROOT/.venv-nox" 3.13 "$CI_DIR/requirements-nox.txt"
    (cd "$ROOT" && PATH="$path" "$ROOT/.venv-nox/bin/nox" --no-color --reuse-existing-virtualenvs --download-python never \
        "${force[@]}" "$@")
}

# ansible-test for one ansible-core line through its nox session; the session puts ansible-test's results in
# tests/output/ansible-test/<gate>/ (noxfile.py), so that gates running side by side keep theirs apart.
# get-pip-standin-<core> writes a file that every ansible-test run of the line reads: one writer at a time.
run_ansible_test() {  # $1 = core, $2 = sanity | units | integration, $3... = targets
    local core="$1" kind="$2" py posargs=()
    shift 2
    (($#)) && posargs=(-- "$@")
    py="$(core_python "$core")"
    rm -rf "${OUT:?}/ansible-test/$gate"
    step "nox -s get-pip-standin-$core"
    mkdir -p "$ROOT/.nox"
    (
        flock 8
        PYTHON="$py" run_nox -s "get-pip-standin-$core"
    ) 8>"$ROOT/.nox/get-pip-standin-$core.lock"
    step "nox -s ansible-test-$kind-$core${*:+ -- $*}"
    PYTHON="$py" run_nox -s "ansible-test-$kind-$core" "${posargs[@]}"
}

ensure_tools_venv() {
    "$CI_DIR/ensure-venv" "$ROOT/.venv-tools" 3.13 "$CI_DIR/requirements-$NEWEST_LINE.txt" "$CI_DIR/requirements-tools.txt"
}

# Fresh copy of the collection under a path ending in ansible_collections/saasops/okta_m2m.
make_tree() {  # $1 = tree name; prints the collection dir
    local dir="$TREES/$1/$COLLECTION_SUBPATH"
    "$CI_DIR/sync-tree" "$dir"
    echo "$dir"
}

check_no_sanity_ignores() {
    local f bad=0
    shopt -s nullglob
    for f in "$ROOT"/tests/sanity/ignore-*.txt "$ROOT"/tests/sanity/skip-*.txt; do
        if grep -Ev '^[[:space:]]*(#|$)' "$f" >/dev/null; then
            echo "ERROR: ${f#"$ROOT"/} has entries; this collection keeps zero sanity ignores:"
            grep -Ev '^[[:space:]]*(#|$)' "$f" | sed 's/^/    /'
            bad=1
        fi
    done
    shopt -u nullglob
    return "$bad"
}

has_files() {  # $1 = dir, $2 = find -name pattern
    [[ -d "$1" ]] && [[ -n "$(find "$1" -name "$2" -type f -print -quit)" ]]
}

case "$gate" in
    sanity-*)
        core="${gate#sanity-}"
        pin_line "$core"
        check_no_sanity_ignores
        command -v shellcheck >/dev/null 2>&1 \
            || note "shellcheck not installed: ansible-test skipped its shellcheck test"
        run_ansible_test "$core" sanity
        ;;

    units-*)
        core="${gate#units-}"
        pin_line "$core"
        if ! has_files "$ROOT/tests/unit" 'test_*.py'; then
            note "no unit tests (tests/unit/**/test_*.py) yet"
            exit 0
        fi
        run_ansible_test "$core" units
        ;;

    integration-*)
        core="${gate#integration-}"
        pin_line "$core"
        targets="$ROOT/tests/integration/targets"
        if [[ ! -d "$targets" ]] || [[ -z "$(find "$targets" -mindepth 1 -maxdepth 1 -type d -print -quit)" ]]; then
            note "no targets yet (tests/integration/targets is empty)"
            exit 0
        fi
        rc=0
        # shellcheck disable=SC2086  # INTEGRATION_TARGETS is a list of target names
        run_ansible_test "$core" integration ${INTEGRATION_TARGETS:-} || rc=$?
        # Per-target wall times from ansible-test's data file (slowest first).
        "$("$CI_DIR/find-python" 3.13)" - "$OUT/ansible-test/$gate/data" <<'PY' || true
import glob, json, os, sys
files = sorted(glob.glob(os.path.join(sys.argv[1], 'integration-*.json')))
if files:
    targets = json.load(open(files[-1])).get('targets', {})
    times = sorted(((t.get('run_time_seconds') or 0, name) for name, t in targets.items()), reverse=True)
    print('\n### integration target times (s)')
    for secs, name in times:
        print('%6s  %s' % (secs, name))
    print('%6s  total' % sum(s for s, _ in times))
PY
        exit "$rc"
        ;;

    emulator)
        if ! has_files "$ROOT/tests/emulator/tests" 'test_*.py'; then
            note "no emulator tests (tests/emulator/tests/test_*.py) yet"
            exit 0
        fi
        "$CI_DIR/ensure-venv" "$ROOT/.venv-emulator" 3.11 "$CI_DIR/requirements-emulator.txt" \
            "$ROOT/tests/integration/requirements.txt" "$ROOT/tests/emulator/requirements.txt"
        step "pytest tests/emulator/tests"
        cd "$ROOT"
        PYTHONPATH="$ROOT/tests/emulator" "$ROOT/.venv-emulator/bin/python" -m pytest \
            -p no:cacheprovider -ra "$ROOT/tests/emulator/tests"
        ;;

    spec-check)
        traffic=()
        for dir in "$OUT"/ansible-test/integration-*/emulator-traffic; do
            [[ -d "$dir" ]] && traffic+=("$dir")
        done
        if ((${#traffic[@]} == 0)); then
            note "no emulator traffic recorded (run an integration gate first)"
            exit 0
        fi
        "$CI_DIR/ensure-venv" "$ROOT/.venv-emulator" 3.11 "$CI_DIR/requirements-emulator.txt" \
            "$ROOT/tests/integration/requirements.txt" "$ROOT/tests/emulator/requirements.txt"
        mkdir -p "$OUT/spec-check"
        step "spec_check.py ${traffic[*]#"$ROOT"/}"
        # Requests are enforced for this collection's client; the tests' own out-of-band calls are only reported.
        "$ROOT/.venv-emulator/bin/python" "$ROOT/tests/emulator/spec_check.py" --enforce-clients '^saasops\.okta_m2m/' \
            --report "$OUT/spec-check/report.txt" "${traffic[@]}"
        ;;

    ansible-lint)
        step "nox -s ansible-lint"
        run_nox -s ansible-lint -- --nocolor
        ;;

    changelog)
        ensure_tools_venv
        cd "$ROOT"
        step "antsibull-changelog lint"
        "$ROOT/.venv-tools/bin/antsibull-changelog" lint -v
        step "antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml"
        "$ROOT/.venv-tools/bin/antsibull-changelog" lint-changelog-yaml -v changelogs/changelog.yaml
        ;;

    build+importer)
        rm -rf "$OUT/importer"
        mkdir -p "$OUT/importer"
        # The importer unpacks the tarball under tmp_root_dir and runs ansible-lint there; that must be
        # outside this git checkout, or ansible-lint takes the checkout as its project (config, mocks).
        imp_tmp="$(mktemp -d "${TMPDIR:-/tmp}/okta_m2m-importer.XXXXXX")"
        trap 'rm -rf "$imp_tmp"' EXIT
        mkdir -p "$imp_tmp/ansible-tmp" "$imp_tmp/tmp"
        pin_line "$NEWEST_LINE" "$CI_DIR/constraints-importer.txt"
        step "nox -s build-import-check (galaxy-importer config tests/galaxy-importer.cfg)"
        rc=0
        GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$imp_tmp/ansible-tmp" GALAXY_IMPORTER_TMP_ROOT_DIR="$imp_tmp/tmp" \
            run_nox -s build-import-check 2>&1 | tee "$OUT/importer/importer.out" || rc=$?
        [[ "$rc" -eq 0 ]] || { echo "FAIL: nox -s build-import-check exited $rc"; exit 1; }
        # antsibull-nox only reports the importer's ERROR lines; this collection takes warnings as failures too.
        "$("$CI_DIR/find-python" 3.13)" "$CI_DIR/check_importer_output.py" "$OUT/importer/importer.out"
        # The tarball the session built (in its tmp directory), where later gates and people look for it.
        rm -rf "$OUT/build" && mkdir -p "$OUT/build"
        cp "$ROOT"/.nox/build-import-check/tmp/collection/saasops-okta_m2m-*.tar.gz "$OUT/build/"
        ;;

    ee-create)
        ensure_tools_venv
        tree="$(make_tree ee)"
        # meta/execution-environment.yml names its files relative to the collection root, which is
        # how ansible-builder's introspection (and galaxy-importer) read a collection's EE metadata.
        # `ansible-builder create` resolves them relative to the definition file instead, so it is
        # given a copy of the definition at the collection root.
        cp "$tree/meta/execution-environment.yml" "$tree/execution-environment.yml"
        rm -rf "$OUT/ee-context"
        step "ansible-builder create"
        "$ROOT/.venv-tools/bin/ansible-builder" create -f "$tree/execution-environment.yml" \
            -c "$OUT/ee-context" --output-filename Containerfile -v 2
        for f in Containerfile _build/requirements.txt _build/bindep.txt; do
            [[ -s "$OUT/ee-context/$f" ]] || { echo "FAIL: ee-context/$f missing or empty"; exit 1; }
        done
        step "generated Containerfile"
        cat "$OUT/ee-context/Containerfile"
        ;;

    docs-examples)
        # The oldest ansible-core line the collection supports, and the Python packages its README tells users to install.
        pin_line "$OLDEST_LINE"
        "$CI_DIR/ensure-venv" "$ROOT/.venv-docs-examples" "$(core_python "$OLDEST_LINE")" "$CI_DIR/requirements-$OLDEST_LINE.txt" \
            "$ROOT/meta/ee-requirements.txt"
        tree="$(make_tree docs-examples)"
        rm -rf "$OUT/docs-examples"
        mkdir -p "$OUT/docs-examples"
        step "ansible-galaxy collection build"
        "$ROOT/.venv-docs-examples/bin/ansible-galaxy" collection build "$tree" --output-path "$OUT/docs-examples" --force
        tarball="$(ls "$OUT"/docs-examples/saasops-okta_m2m-*.tar.gz)"
        step "tests/docs/examples.py $(basename "$tarball")"
        "$ROOT/.venv-docs-examples/bin/python" "$ROOT/tests/docs/examples.py" --tarball "$tarball" \
            --workdir "$OUT/docs-examples/work" --emulator "$ROOT/tests/emulator"
        ;;

    docs)
        "$CI_DIR/ensure-venv" "$ROOT/.venv-docs" 3.13 "$CI_DIR/requirements-$NEWEST_LINE.txt" "$CI_DIR/requirements-docs.txt"
        tree="$(make_tree docs)"
        site="$OUT/docs"
        rm -rf "$site"
        mkdir -p "$site"
        export PATH="$ROOT/.venv-docs/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$TREES/docs"
        step "antsibull-docs lint-collection-docs --plugin-docs"
        antsibull-docs lint-collection-docs --plugin-docs "$tree"
        step "antsibull-docs sphinx-init + collection ($(antsibull-docs --version 2>/dev/null))"
        antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$site" \
            --project saasops.okta_m2m --title "saasops.okta_m2m" --html-short-title "saasops.okta_m2m" saasops.okta_m2m
        antsibull-docs --config-file "$site/antsibull-docs.cfg" collection --use-current --fail-on-error \
            --dest-dir "$site/rst" saasops.okta_m2m
        "$ROOT/.venv-docs/bin/python" "$ROOT/tests/docs/site.py" guides "$site" "$tree"
        step "sphinx-build -W (warnings are errors)"
        sphinx-build -W --keep-going -q -b html -c "$site" "$site/rst" "$site/build/html"
        step "every module, filter, role and guide has its page"
        "$ROOT/.venv-docs/bin/python" "$ROOT/tests/docs/site.py" check "$site" "$tree"
        echo "site: ${site#"$ROOT"/}/build/html/index.html"
        ;;

    *)
        echo "unknown gate: $gate" >&2
        exit 2
        ;;
esac
