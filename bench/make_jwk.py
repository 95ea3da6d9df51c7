# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key step of the plain-uri playbook, done the way its users do it without community.crypto.

    python bench/make_jwk.py KEY.pem JWK.json

Writes a new 2048-bit RSA private key (PEM, mode 0600) and its public JWK (kty, kid = RFC 7638 thumbprint, n, e,
alg, use) as JSON, which the playbook reads with lookup('file') | from_json.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def main(key_path: str, jwk_path: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    n, e = b64url_uint(numbers.n), b64url_uint(numbers.e)
    thumbprint = hashlib.sha256(json.dumps({"e": e, "kty": "RSA", "n": n}, separators=(",", ":"), sort_keys=True).encode()).digest()
    jwk = {"kty": "RSA", "kid": base64.urlsafe_b64encode(thumbprint).rstrip(b"=").decode("ascii"), "n": n, "e": e,
           "alg": "RS256", "use": "sig"}
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)
    with open(jwk_path, "w", encoding="utf-8") as stream:
        json.dump(jwk, stream)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
