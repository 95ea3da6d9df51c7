# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures: ``pytest_plugins = ["okta_emulator.pytest_plugin"]`` (with tests/emulator on ``sys.path``).

* ``okta_emulator_session``: one emulator (demo seed) for the whole session.
* ``okta_emulator``: per test. Without a marker it is the session emulator, reset to the seed (state, settings,
  faults) and with an empty log; ``@pytest.mark.okta_emulator(seed="empty", tls=True, ...)`` starts a dedicated one
  with those options instead (stopped by PID after the test).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import RunningEmulator, start_emulator


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker."""
    config.addinivalue_line("markers", "okta_emulator(**options): start a dedicated Okta emulator with these options")


@pytest.fixture(scope="session")
def okta_emulator_session() -> Iterator[RunningEmulator]:
    """A shared emulator for the session."""
    emulator = start_emulator(seed="demo")
    yield emulator
    emulator.stop()


@pytest.fixture
def okta_emulator(request: pytest.FixtureRequest, okta_emulator_session: RunningEmulator) -> Iterator[RunningEmulator]:
    """A clean emulator for one test (see the module docstring)."""
    marker = request.node.get_closest_marker("okta_emulator")
    if marker is None:
        okta_emulator_session.reset()
        okta_emulator_session.clear_log()
        yield okta_emulator_session
        return
    emulator = start_emulator(**marker.kwargs)
    yield emulator
    emulator.stop()
