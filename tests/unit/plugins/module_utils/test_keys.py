# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import (
    KeyMaterialError,
    generate_rsa_key,
    jwk_thumbprint,
    load_private_key,
    private_key_pem,
    public_key_fingerprint,
    read_private_key_file,
    rsa_public_jwk,
    same_public_key,
    write_private_key_file,
)

KEY = generate_rsa_key(2048)


def test_rfc7638_thumbprint_example() -> None:
    # The example key of RFC 7638 section 3.1 and its published thumbprint.
    jwk = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc"
             "5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6"
             "WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_public_jwk_and_fingerprint_never_carry_private_material() -> None:
    jwk = rsa_public_jwk(KEY)
    assert set(jwk) == {"kty", "n", "e"}
    assert jwk["e"] == "AQAB"
    assert "=" not in jwk["n"]
    assert public_key_fingerprint(KEY).startswith("SHA256:")
    assert public_key_fingerprint(KEY) == public_key_fingerprint(KEY.public_key())


def test_pem_round_trip_is_pkcs8() -> None:
    pem = private_key_pem(KEY)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert rsa_public_jwk(load_private_key(pem)) == rsa_public_jwk(KEY)
    pkcs1 = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    assert rsa_public_jwk(load_private_key(pkcs1.decode())) == rsa_public_jwk(KEY)


@pytest.mark.parametrize("material, fragment", [
    ("not a key", "no -----BEGIN"),
    ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "could not be parsed"),
])
def test_malformed_pem_is_refused_without_echoing_it(material: str, fragment: str) -> None:
    with pytest.raises(KeyMaterialError, match=fragment) as caught:
        load_private_key(material)
    assert material not in str(caught.value)


def test_short_and_non_rsa_keys_are_refused() -> None:
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(KeyMaterialError, match="1024-bit"):
        load_private_key(private_key_pem(short))
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(KeyMaterialError, match="must be an RSA"):
        load_private_key(private_key_pem(ec_key))


def test_encrypted_key_needs_a_passphrase() -> None:
    encrypted = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"s3cret"))
    with pytest.raises(KeyMaterialError, match="passphrase"):
        load_private_key(encrypted)
    assert rsa_public_jwk(load_private_key(encrypted, "s3cret")) == rsa_public_jwk(KEY)


def test_key_sizes() -> None:
    assert generate_rsa_key(3072).key_size == 3072
    with pytest.raises(KeyMaterialError, match="key size"):
        generate_rsa_key(1024)


def test_same_public_key_ignores_metadata() -> None:
    jwk = rsa_public_jwk(KEY)
    assert same_public_key(jwk, dict(jwk, kid="x", status="ACTIVE", id="pks1", use=None))
    assert not same_public_key(jwk, rsa_public_jwk(generate_rsa_key(2048)))


def test_write_private_key_file_is_0600_in_a_0700_dir_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "zluri.pem"
    pem = private_key_pem(KEY)
    write_private_key_file(str(path), pem)
    assert path.read_bytes() == pem
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(FileExistsError):
        write_private_key_file(str(path), private_key_pem(generate_rsa_key(2048)))
    assert path.read_bytes() == pem
    assert os.listdir(path.parent) == ["zluri.pem"], "no temp file is left behind"


def test_read_private_key_file_warns_about_loose_permissions(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_bytes(private_key_pem(KEY))
    path.chmod(0o644)
    key, warnings = read_private_key_file(str(path))
    assert rsa_public_jwk(key) == rsa_public_jwk(KEY)
    assert warnings and "0600" in warnings[0]
    with pytest.raises(KeyMaterialError, match="cannot be read"):
        read_private_key_file(str(tmp_path / "missing.pem"))
