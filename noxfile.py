# nox sessions for saasops.okta_m2m: antsibull-nox.toml declares ansible-lint and the build/import check,
# this file the ansible-test sessions. `make test` runs them through .ci/gates.sh.
#
# antsibull-nox's own ansible-test sessions (sessions.ansible_test_* in antsibull-nox.toml) pass --docker
# and install ansible-core from GitHub; our machines have neither a container engine nor GitHub. Its
# public add_ansible_test_session() takes the ansible-test arguments and the ansible-core source, so the
# sessions below run ansible-test --venv with ansible-core from PyPI, one Python per ansible-core line.

import shutil
import sys
from pathlib import Path

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox.")
    sys.exit(1)


antsibull_nox.load_antsibull_nox_toml()

# ansible-core line -> the Python ansible-test runs the tests with
CORE_PYTHON = {"2.19": "3.11", "2.21": "3.13"}


def _get_pip_standin(core: str) -> None:
    # ansible-test --venv bootstraps pip with a get-pip.py it downloads from a host we cannot reach; it
    # looks in its cache first. The pip version it wants comes from the ansible-core of the line, so this
    # session installs that line and writes .ci/get_pip_standin.py to the cache path for it.
    @nox.session(name=f"get-pip-standin-{core}", default=False)
    def get_pip_standin(session: nox.Session) -> None:
        session.install(f"ansible-core~={core}.0")
        session.run("bash", ".ci/install-get-pip-standin", session.virtualenv.location, external=True)

    get_pip_standin.__doc__ = f"Put ansible-test's get-pip.py stand-in in place for ansible-core {core}."


def _drop_ansible_test_tmp() -> None:
    # Runs in the session's copy of the collection before antsibull-nox copies its tests/output back into
    # ours. That copy walks bottom-up and creates each directory without its parents, so a nested directory
    # new to our tests/output fails it (FileNotFoundError: tests/output/.tmp/integration); .tmp holds only
    # ansible-test's scratch files (the delegation venv, the targets' work trees).
    shutil.rmtree(Path("tests", "output", ".tmp"), ignore_errors=True)


for _core, _python in CORE_PYTHON.items():
    _get_pip_standin(_core)
    _venv = ["--venv", "--python", _python, "--color", "no"]
    antsibull_nox.add_ansible_test_session(
        name=f"ansible-test-sanity-{_core}",
        description=f"ansible-test sanity --venv with ansible-core {_core} and Python {_python}",
        ansible_test_params=["sanity", "-v", *_venv],
        default=False,
        ansible_core_version=_core,
        ansible_core_source="pypi",
        callback_after=_drop_ansible_test_tmp,
    )
    antsibull_nox.add_ansible_test_session(
        name=f"ansible-test-units-{_core}",
        description=f"ansible-test units --venv with ansible-core {_core} and Python {_python}",
        ansible_test_params=["units", "-v", *_venv],
        default=False,
        ansible_core_version=_core,
        ansible_core_source="pypi",
        callback_after=_drop_ansible_test_tmp,
    )
    # --continue-on-error: report every failing target, not just the first. Targets may follow `--`.
    antsibull_nox.add_ansible_test_session(
        name=f"ansible-test-integration-{_core}",
        description=f"ansible-test integration --venv with ansible-core {_core} and Python {_python}",
        ansible_test_params=["integration", "-v", "--continue-on-error", *_venv],
        default=False,
        ansible_core_version=_core,
        ansible_core_source="pypi",
        callback_after=_drop_ansible_test_tmp,
    )


if __name__ == "__main__":
    nox.main()
