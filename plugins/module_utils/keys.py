# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RSA key pairs and their JWKs: generate, load, fingerprint, and write private keys safely.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import stat
import tempfile
import traceback
from typing import Any

CRYPTOGRAPHY_IMPORT_ERROR: str | None
try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
except ImportError:
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
else:
    CRYPTOGRAPHY_IMPORT_ERROR = None

KEY_SIZES = (2048, 3072, 4096)
MIN_RSA_BITS = 2048


class KeyMaterialError(ValueError):
    """A key that cannot be used; the message says why without quoting the key."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def generate_rsa_key(bits: int = 2048) -> Any:
    if bits not in KEY_SIZES:
        raise KeyMaterialError("key size must be one of %s, got %s" % (", ".join(map(str, KEY_SIZES)), bits))
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def load_private_key(pem: str | bytes, passphrase: str | None = None, option: str = "private_key") -> Any:
    """Load an RSA private key from PEM (PKCS#8 or PKCS#1), refusing anything Okta would refuse."""
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    if b"-----BEGIN" not in data:
        raise KeyMaterialError("%s is not a PEM private key (no -----BEGIN line)" % option)
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode("utf-8") if passphrase else None)
    except TypeError as exc:
        raise KeyMaterialError("%s: %s (an encrypted key needs private_key_passphrase)" % (option, exc)) from None
    except ValueError:
        raise KeyMaterialError("%s could not be parsed as a PEM private key (malformed, or wrong passphrase)" % option) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyMaterialError("%s must be an RSA private key (Okta's private_key_jwt client assertion is RS256 here)" % option)
    if key.key_size < MIN_RSA_BITS:
        raise KeyMaterialError("%s is a %d-bit RSA key; Okta requires at least %d bits" % (option, key.key_size, MIN_RSA_BITS))
    return key


def private_key_pem(key: Any) -> bytes:
    """PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), the form Zluri's form asks for."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def rsa_public_jwk(key: Any) -> dict[str, str]:
    """The public JWK members Okta and RFC 7638 care about: kty, n, e."""
    numbers = (key.public_key() if hasattr(key, "public_key") else key).public_numbers()
    return {"kty": "RSA", "e": _b64url_uint(numbers.e), "n": _b64url_uint(numbers.n)}


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint; a stable kid that never changes for the same key."""
    if jwk.get("kty") == "RSA":
        members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
    elif jwk.get("kty") == "EC":
        members = {"crv": jwk["crv"], "kty": "EC", "x": jwk["x"], "y": jwk["y"]}
    else:
        raise KeyMaterialError("unsupported JWK key type %r" % jwk.get("kty"))
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode("ascii")


def public_key_fingerprint(key: Any) -> str:
    """SHA-256 of the SubjectPublicKeyInfo, shown instead of key material in results and diffs."""
    public = key.public_key() if hasattr(key, "public_key") else key
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return "SHA256:" + base64.b64encode(digest.finalize()).rstrip(b"=").decode("ascii")


def same_public_key(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Compare two JWKs by key material only (ids, status, use and alg aside)."""
    if left.get("kty") != right.get("kty"):
        return False
    fields = ("n", "e") if left.get("kty") == "RSA" else ("crv", "x", "y")
    return all(left.get(name) == right.get(name) for name in fields)


def read_private_key_file(path: str, passphrase: str | None = None, option: str = "private_key_path") -> tuple[Any, list[str]]:
    """Load the key at path; also return warnings about its file permissions."""
    warnings = []
    try:
        mode = os.stat(path).st_mode
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KeyMaterialError("%s %s cannot be read: %s" % (option, path, exc.strerror)) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.append("private key file %s is accessible to group or others (mode %o); it should be 0600" % (path, stat.S_IMODE(mode)))
    return load_private_key(data, passphrase, option="%s %s" % (option, path)), warnings


def promote_private_key_file(source: str, target: str) -> None:
    """Move the key file at source onto target, replacing the retired key there in one atomic step (mode 0600).

    Across file systems the bytes go to a private temp file beside target first, so target is never half written.
    """
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700)
    os.chmod(source, 0o600)
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    fd, temp_path = tempfile.mkstemp(prefix=".okta-key-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle, open(source, "rb") as original:
            handle.write(original.read())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_path, target)
    except BaseException:
        os.unlink(temp_path)
        raise
    os.unlink(source)


def write_private_key_file(path: str, pem: bytes) -> None:
    """Write a new key file with mode 0600 in a 0700 directory, atomically, never replacing an existing file.

    The bytes go to a private temp file in the same directory which is then hard-linked into place:
    link() fails if the target exists, so a concurrent writer or an earlier key is never clobbered.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700)
    if os.path.lexists(path):
        raise FileExistsError("refusing to overwrite existing key file %s" % path)
    fd, temp_path = tempfile.mkstemp(prefix=".okta-key-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp_path, path)
    finally:
        os.unlink(temp_path)
