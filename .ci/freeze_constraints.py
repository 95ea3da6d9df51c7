"""Write the test tool chain's pins from what the last runs installed (see .ci/README.md).

Usage: python3 .ci/freeze_constraints.py [--clear]

Reads what is installed in
  .venv-*/                                    (.ci/ensure-venv's .ci-freeze.txt)
  .nox/*/                                     (the nox sessions' venvs; pip freeze)
  tests/output/ansible-test/units-*/data/     (ansible-test's own venv, recorded by noxfile.py)
  tests/output/ansible-test/integration-*/data/
and writes
  tests/unit/constraints.txt          what ansible-test units installs (ansible-test reads this file itself)
  tests/integration/constraints.txt   what ansible-test integration installs (likewise)
  .ci/constraints.txt                 everything else; it includes the two files above with -c
A pin of a package that no run installed this time is kept, so a partial run updates only what it saw.
Never pinned here: ansible-core (.ci/requirements-<line>.txt pins each line), pip, setuptools and wheel (the
venv tooling, which ansible-test pins itself), and coverage (ansible-test pins it).
When venvs installed different releases of one package, the oldest is pinned and the conflict is reported:
run the gates again to confirm that release serves every venv.

--clear writes the three files without pins, for a run that installs today's releases.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEVER_PINNED = {"ansible-core", "pip", "setuptools", "wheel", "coverage"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)\s*$")

CI = os.path.join(ROOT, ".ci", "constraints.txt")
UNITS = os.path.join(ROOT, "tests", "unit", "constraints.txt")
INTEGRATION = os.path.join(ROOT, "tests", "integration", "constraints.txt")

HEADERS = {
    UNITS: """\
# Pins of what `ansible-test units --venv` installs (its own units requirements and ansible-core's, which
# tests/unit/requirements.txt names again so that these pins reach them, and that file's packages).
# ansible-test reads this file itself. Written by .ci/freeze_constraints.py; update on purpose (.ci/README.md).
""",
    INTEGRATION: """\
# Pins of what `ansible-test integration --venv` installs (tests/integration/requirements.txt, which stays
# unpinned, and ansible-core's requirements, which tests/integration/requirements.txt names again).
# ansible-test reads this file itself. Written by .ci/freeze_constraints.py; update on purpose (.ci/README.md).
""",
    CI: """\
# Pins of the test tool chain: every package the venvs of .ci/ensure-venv and the nox sessions install
# (.ci/gates.sh puts this file in PIP_CONSTRAINT). ansible-core's release per line: .ci/requirements-<line>.txt.
# What users install (meta/ee-requirements.txt, the README) stays unpinned.
# Written by .ci/freeze_constraints.py; update on purpose (.ci/README.md).
-c ../tests/unit/constraints.txt
-c ../tests/integration/constraints.txt
""",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.+-]", version))


def read_pins(path: str) -> dict[str, tuple[str, str]]:
    """canonical name -> (name, version) of a freeze or constraints file; other lines are skipped."""
    pins = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                match = PIN.match(line.strip())
                if match:
                    pins[canonical(match.group(1))] = (match.group(1), match.group(2))
    return pins


def venv_freeze(venv: str) -> str | None:
    python = os.path.join(venv, "bin", "python")
    if not os.access(python, os.X_OK):
        return None
    frozen = subprocess.run([python, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=False)
    return frozen.stdout if frozen.returncode == 0 else None


def sources() -> dict[str, list[tuple[str, dict[str, tuple[str, str]]]]]:
    """Target file -> [(where, pins)] of every installation found."""
    found: dict[str, list[tuple[str, dict[str, tuple[str, str]]]]] = {CI: [], UNITS: [], INTEGRATION: []}
    for freeze in sorted(glob.glob(os.path.join(ROOT, ".venv-*", ".ci-freeze.txt"))):
        found[CI].append((os.path.relpath(os.path.dirname(freeze), ROOT), read_pins(freeze)))
    for venv in sorted(glob.glob(os.path.join(ROOT, ".nox", "*"))):
        text = venv_freeze(venv)
        if text is not None:
            pins = {}
            for line in text.splitlines():
                match = PIN.match(line.strip())
                if match:
                    pins[canonical(match.group(1))] = (match.group(1), match.group(2))
            found[CI].append((os.path.relpath(venv, ROOT), pins))
    for kind, target in (("units", UNITS), ("integration", INTEGRATION)):
        for freeze in sorted(glob.glob(os.path.join(ROOT, "tests", "output", "ansible-test", kind + "-*", "data", "pip-freeze-*.txt"))):
            found[target].append((os.path.relpath(freeze, ROOT), read_pins(freeze)))
    return found


def merge(kept: dict[str, tuple[str, str]], seen: list[tuple[str, dict[str, tuple[str, str]]]],
          conflicts: list[str]) -> dict[str, tuple[str, str]]:
    versions: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    for where, pins in seen:
        for key, (name, version) in pins.items():
            if key in NEVER_PINNED:
                continue
            names.setdefault(key, name)
            versions.setdefault(key, {}).setdefault(version, []).append(where)
    merged = dict(kept)
    for key, by_version in versions.items():
        oldest = min(by_version, key=version_key)
        if len(by_version) > 1:
            conflicts.append("%s: %s; pinned %s" % (names[key], "; ".join(
                "%s in %s" % (version, ", ".join(where)) for version, where in sorted(by_version.items(), key=lambda item: version_key(item[0]))), oldest))
        merged[key] = (names[key], oldest)
    return merged


def write(path: str, pins: dict[str, tuple[str, str]]) -> None:
    body = "".join("%s==%s\n" % pins[key] for key in sorted(pins))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADERS[path] + body)
    print("%s: %d pins" % (os.path.relpath(path, ROOT), len(pins)))


def main() -> int:
    if sys.argv[1:] == ["--clear"]:
        for path in HEADERS:
            write(path, {})
        return 0
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    found = sources()
    conflicts: list[str] = []
    units = merge(read_pins(UNITS), found[UNITS], conflicts)
    integration = merge(read_pins(INTEGRATION), found[INTEGRATION], conflicts)
    tool_chain = merge(read_pins(CI), found[CI], conflicts)
    # A package ansible-test's venvs share with the tool chain is pinned once, in the file ansible-test reads; both
    # test files must then agree with the tool chain, since .ci/constraints.txt includes them.
    for key in list(tool_chain):
        for shared in (units, integration):
            if key in shared and shared[key] != tool_chain[key]:
                conflicts.append("%s: %s for ansible-test, %s for the tool chain; pinned the oldest"
                                 % (tool_chain[key][0], shared[key][1], tool_chain[key][1]))
                oldest = min(shared[key], tool_chain[key], key=lambda pin: version_key(pin[1]))
                shared[key] = oldest
    for key in set(units) & set(integration):
        if units[key] != integration[key]:
            conflicts.append("%s: %s for units, %s for integration; pinned the oldest" % (units[key][0], units[key][1], integration[key][1]))
            units[key] = integration[key] = min(units[key], integration[key], key=lambda pin: version_key(pin[1]))
    for key in list(tool_chain):
        if key in units or key in integration:
            del tool_chain[key]
    for where in (found[CI], found[UNITS], found[INTEGRATION]):
        for source, _pins in where:
            print("read %s" % source)
    write(UNITS, units)
    write(INTEGRATION, integration)
    write(CI, tool_chain)
    for conflict in conflicts:
        print("conflict: " + conflict, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
