"""Key helpers for the okta_app_jwk target, written apart from the collection's code so that the test does not
check the module against itself.

    key_tool.py generate PATH BITS    write a new PKCS#1 RSA key (-----BEGIN RSA PRIVATE KEY-----), mode 0600
    key_tool.py jwk PATH              print {"kid": RFC 7638 thumbprint, "n", "e", "bits"} of the key at PATH
"""

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url_uint(value):
    return base64.urlsafe_b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).rstrip(b"=").decode("ascii")


def generate(path, bits):
    key = rsa.generate_private_key(public_exponent=65537, key_size=int(bits))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def jwk(path):
    with open(path, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    numbers = key.public_key().public_numbers()
    members = {"e": b64url_uint(numbers.e), "kty": "RSA", "n": b64url_uint(numbers.n)}
    # RFC 7638: the required members, lexicographic order, no whitespace, SHA-256, base64url without padding.
    canonical = '{"e":"%s","kty":"RSA","n":"%s"}' % (members["e"], members["n"])
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode("ascii")).digest()).rstrip(b"=").decode("ascii")
    print(json.dumps({"kid": kid, "n": members["n"], "e": members["e"], "bits": key.key_size}))


if __name__ == "__main__":
    {"generate": generate, "jwk": jwk}[sys.argv[1]](*sys.argv[2:])
