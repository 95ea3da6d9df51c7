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
  .ci/constraints-importer.txt        the build-import-check session: galaxy-importer caps packages (attrs) below
                                      what the other tools need, so it has a set of its own
  .ci/constraints.txt                 everything else; it includes the two test files with -c
A pin of a package that no run installed this time is kept, so a partial run updates only what it saw.
Never pinned here: ansible-core (.ci/requirements-<line>.txt pins each line), pip (which no requirement pulls in,
and which ansible-test pins for its own venvs) and coverage (ansible-test pins it).
When venvs of one set installed different releases of a package, the oldest is pinned and the conflict is
reported: run the gates again to confirm that release serves every venv. setuptools and wheel are the exception:
a venv holds the copy its Python bundles whether or not anything needs it, so the newest seen (which a
requirement pulled in) is pinned, and they are never pinned for ansible-test, which sets up its venvs' tooling.

--clear writes the files without pins, for a run that installs today's releases.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEVER_PINNED = {"ansible-core", "pip", "coverage"}
BUNDLED = {"setuptools", "wheel"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)\s*$")

Pins = dict[str, tuple[str, str]]  # canonical name -> (name, version)

TOOL_CHAIN = os.path.join(ROOT, ".ci", "constraints.txt")
IMPORTER = os.path.join(ROOT, ".ci", "constraints-importer.txt")
UNITS = os.path.join(ROOT, "tests", "unit", "constraints.txt")
INTEGRATION = os.path.join(ROOT, "tests", "integration", "constraints.txt")
IMPORTER_SESSION = os.path.join(".nox", "build-import-check")

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
    IMPORTER: """\
# Pins of the build-import-check nox session (gate build+importer; .ci/gates.sh puts this file in PIP_CONSTRAINT
# instead of .ci/constraints.txt: galaxy-importer caps packages below what the other tools need).
# Written by .ci/freeze_constraints.py; update on purpose (.ci/README.md).
""",
    TOOL_CHAIN: """\
# Pins of the test tool chain: every package the venvs of .ci/ensure-venv and the nox sessions install
# (.ci/gates.sh puts this file in PIP_CONSTRAINT), but the importer's (.ci/constraints-importer.txt).
# ansible-core's release per line: .ci/requirements-<line>.txt. What users install (meta/ee-requirements.txt,
# the README) stays unpinned. Written by .ci/freeze_constraints.py; update on purpose (.ci/README.md).
-c ../tests/unit/constraints.txt
-c ../tests/integration/constraints.txt
""",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(pin: tuple[str, str]) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.+-]", pin[1]))


def parse_pins(text: str) -> Pins:
    pins = {}
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[canonical(match.group(1))] = (match.group(1), match.group(2))
    return pins


def read_pins(path: str) -> Pins:
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return parse_pins(handle.read())


def installed() -> dict[str, list[tuple[str, Pins]]]:
    """Constraints file -> [(where, what is installed there)] of every installation found."""
    found: dict[str, list[tuple[str, Pins]]] = {path: [] for path in HEADERS}
    for freeze in sorted(glob.glob(os.path.join(ROOT, ".venv-*", ".ci-freeze.txt"))):
        found[TOOL_CHAIN].append((os.path.relpath(os.path.dirname(freeze), ROOT), read_pins(freeze)))
    for venv in sorted(glob.glob(os.path.join(ROOT, ".nox", "*", "bin", "python"))):
        where = os.path.relpath(os.path.dirname(os.path.dirname(venv)), ROOT)
        frozen = subprocess.run([venv, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=False)
        if frozen.returncode == 0:
            found[IMPORTER if where == IMPORTER_SESSION else TOOL_CHAIN].append((where, parse_pins(frozen.stdout)))
    for kind, path in (("units", UNITS), ("integration", INTEGRATION)):
        for freeze in sorted(glob.glob(os.path.join(ROOT, "tests", "output", "ansible-test", kind + "-*", "data", "pip-freeze-*.txt"))):
            found[path].append((os.path.relpath(freeze, ROOT), read_pins(freeze)))
    return found


def choose(key: str, pins: list[tuple[str, str]], conflicts: list[str], what: str) -> tuple[str, str]:
    """One release of a package installed as pins: the oldest (the newest of a bundled one), a conflict noted."""
    chosen = (max if key in BUNDLED else min)(pins, key=version_key)
    if len({version for _name, version in pins}) > 1 and key not in BUNDLED:
        conflicts.append("%s: %s; pinned %s" % (chosen[0], what, chosen[1]))
    return chosen


def merge(path: str, seen: list[tuple[str, Pins]], conflicts: list[str]) -> Pins:
    never = NEVER_PINNED | BUNDLED if path in (UNITS, INTEGRATION) else NEVER_PINNED
    by_key: dict[str, dict[tuple[str, str], list[str]]] = {}
    for where, pins in seen:
        for key, pin in pins.items():
            if key not in never:
                by_key.setdefault(key, {}).setdefault(pin, []).append(where)
    merged = {key: pin for key, pin in read_pins(path).items() if key not in never}
    for key, wheres in by_key.items():
        what = "; ".join("%s in %s" % (pin[1], ", ".join(where)) for pin, where in sorted(wheres.items(), key=lambda item: version_key(item[0])))
        merged[key] = choose(key, list(wheres), conflicts, what)
    return merged


def write(path: str, pins: Pins) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADERS[path] + "".join("%s==%s\n" % pins[key] for key in sorted(pins)))
    print("%s: %d pins" % (os.path.relpath(path, ROOT), len(pins)))


def main() -> int:
    if sys.argv[1:] == ["--clear"]:
        for path in HEADERS:
            write(path, {})
        return 0
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    found = installed()
    for path, seen in found.items():
        for where, _pins in seen:
            print("read %s (for %s)" % (where, os.path.relpath(path, ROOT)))
    conflicts: list[str] = []
    pins = {path: merge(path, seen, conflicts) for path, seen in found.items()}
    units, integration, tool_chain = pins[UNITS], pins[INTEGRATION], pins[TOOL_CHAIN]
    # .ci/constraints.txt includes both test files, so a package pinned in more than one of the three must have one
    # release in all; it is then pinned in the test files only.
    for key in set(units) | set(integration):
        holders = [file_pins for file_pins in (units, integration, tool_chain) if key in file_pins]
        release = choose(key, [file_pins[key] for file_pins in holders], conflicts, "differs between ansible-test's venvs and the tools")
        for file_pins in (units, integration):
            if key in file_pins:
                file_pins[key] = release
        tool_chain.pop(key, None)
    for path, file_pins in pins.items():
        write(path, file_pins)
    for conflict in conflicts:
        print("conflict: " + conflict, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
