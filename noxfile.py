# nox sessions for saasops.okta_m2m: antsibull-nox.toml declares ansible-lint and the build/import check,
# this file the ansible-test sessions. `make test` runs them through .ci/gates.sh, which installs every package
# under the pins of .ci/constraints.txt and of the gate's .ci/requirements-<line>.txt (PIP_CONSTRAINT); run
# directly, nox installs under .ci/constraints.txt alone (the newest release of each ansible-core line).
#
# antsibull-nox's own ansible-test sessions (sessions.ansible_test_* in antsibull-nox.toml) pass --docker
# and install ansible-core from GitHub; our machines have neither a container engine nor GitHub. Its
# public add_ansible_test_session() takes the ansible-test arguments and the ansible-core source, so the
# sessions below run ansible-test --venv with ansible-core from PyPI, one Python per ansible-core line.

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox.")
    sys.exit(1)


ROOT = Path(__file__).parent.resolve()
os.environ.setdefault("PIP_CONSTRAINT", str(ROOT / ".ci" / "constraints.txt"))
antsibull_nox.load_antsibull_nox_toml()


def _core_lines() -> dict[str, str]:
    """ansible-core line -> the Python ansible-test runs the tests with (.ci/core-lines)."""
    rows = ROOT.joinpath(".ci", "core-lines").read_text(encoding="utf-8").splitlines()
    return dict(row.split() for row in rows if row.strip() and not row.startswith("#"))


CORE_PYTHON = _core_lines()

# ansible-test arguments of each kind of session; --continue-on-error: report every failing integration
# target, not just the first. Targets may follow `--`.
ANSIBLE_TEST_KINDS = {
    "sanity": ["sanity", "-v"],
    "units": ["units", "-v"],
    "integration": ["integration", "-v", "--continue-on-error"],
}


def _get_pip_standin(core: str) -> None:
    # ansible-test --venv bootstraps pip with a get-pip.py it downloads from a host we cannot reach; it
    # looks in its cache first. The pip version it wants comes from the ansible-core of the line, so this
    # session installs that line and writes .ci/get_pip_standin.py to the cache path for it.
    @nox.session(name=f"get-pip-standin-{core}", default=False)
    def get_pip_standin(session: nox.Session) -> None:
        session.install(f"ansible-core~={core}.0")
        session.run("bash", ".ci/install-get-pip-standin", session.virtualenv.location, external=True)

    get_pip_standin.__doc__ = f"Put ansible-test's get-pip.py stand-in in place for ansible-core {core}."


# What ansible-test leaves in tests/output besides its scratch directory .tmp, plus the traffic the emulator records
# there during integration.
ANSIBLE_TEST_RESULTS = ("bot", "coverage", "data", "junit", "logs", "reports", "emulator-traffic")


def _keep_results(gate: str) -> Callable[[], None]:
    """A callback run in the session's copy of the collection after ansible-test: its results go straight to our
    tests/output/ansible-test/<gate>/, so that gates running side by side never share a directory (antsibull-nox's
    own copy back would merge every session's results into tests/output)."""

    def keep_results() -> None:
        output = Path("tests", "output")
        results = ROOT / "tests" / "output" / "ansible-test" / gate
        # ansible-test installs its own requirements into the virtual environments under tests/output/.tmp (through
        # pip with a cleaned environment, so PIP_CONSTRAINT does not reach it: tests/unit/constraints.txt and
        # tests/integration/constraints.txt pin them); what each held is kept for .ci/freeze_constraints.py.
        for python in sorted(output.glob(".tmp/delegation/*/bin/python")):
            frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=False)
            if frozen.returncode == 0:
                output.joinpath("data").mkdir(parents=True, exist_ok=True)
                output.joinpath("data", f"pip-freeze-delegation-{python.parent.parent.name}.txt").write_text(frozen.stdout, encoding="utf-8")
        shutil.rmtree(results, ignore_errors=True)
        results.mkdir(parents=True)
        for name in ANSIBLE_TEST_RESULTS:
            if output.joinpath(name).exists():
                shutil.move(str(output / name), str(results / name))
        # Only ansible-test's scratch files (the delegation venv, the targets' work trees) are left.
        shutil.rmtree(output, ignore_errors=True)

    return keep_results


for _core, _python in CORE_PYTHON.items():
    _get_pip_standin(_core)
    for _kind, _params in ANSIBLE_TEST_KINDS.items():
        antsibull_nox.add_ansible_test_session(
            name=f"ansible-test-{_kind}-{_core}",
            description=f"ansible-test {_kind} --venv with ansible-core {_core} and Python {_python}",
            ansible_test_params=[*_params, "--venv", "--python", _python, "--color", "no"],
            default=False,
            ansible_core_version=_core,
            ansible_core_source="pypi",
            callback_after=_keep_results(f"{_kind}-{_core}"),
        )


if __name__ == "__main__":
    nox.main()
