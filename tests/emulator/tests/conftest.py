# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the emulator's own tests: the emulator fixtures, keys, and an admin HTTP session."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import AdminSession  # noqa: E402  pylint: disable=wrong-import-position
from okta_emulator.harness import RunningEmulator  # noqa: E402  pylint: disable=wrong-import-position

pytest_plugins = ["okta_emulator.pytest_plugin"]


@pytest.fixture(scope="session")
def rsa_keys() -> list[rsa.RSAPrivateKey]:
    """A few 2048-bit RSA keys, made once (key generation is the slow part of these tests)."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _key in range(3)]


@pytest.fixture(scope="session")
def ec_key() -> ec.EllipticCurvePrivateKey:
    """A P-256 key."""
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def admin(okta_emulator: RunningEmulator) -> Iterator[AdminSession]:
    """A session authenticated with the Super Admin SSWS token; ``admin.base_url`` is the emulator's URL."""
    session = AdminSession(okta_emulator.url, okta_emulator.admin_token)
    yield session
    session.close()
