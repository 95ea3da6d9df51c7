"""Key helpers for the brownfield target, written apart from the collection's code so that the test checks the role
against an independent implementation.

    console_key.py new PATH                       write a new 2048-bit RSA key as PKCS#8 PEM (what Okta's console
                                                  hands out), mode 0600, never overwriting; print its public JWK
    console_key.py public PATH                    print {"kty", "n", "e", "thumbprint"} of the key at PATH
    console_key.py assertion PATH CLIENT_ID AUDIENCE [KID]
                                                  print {"assertion", "kid"}: a private_key_jwt client assertion
                                                  (RS256, 5 minutes) signed with the key at PATH; KID defaults to
                                                  the key's RFC 7638 thumbprint
"""

import base64
import hashlib
import json
import os
import sys
import time
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_uint(value):
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def load(path):
    with open(path, "rb") as handle:
        return serialization.load_pem_private_key(handle.read(), password=None)


def public_members(key):
    numbers = key.public_key().public_numbers()
    e, n = b64url_uint(numbers.e), b64url_uint(numbers.n)
    # RFC 7638: the required members in lexicographic order, no whitespace, SHA-256, base64url without padding.
    canonical = '{"e":"%s","kty":"RSA","n":"%s"}' % (e, n)
    return {"kty": "RSA", "n": n, "e": e, "thumbprint": b64url(hashlib.sha256(canonical.encode("ascii")).digest())}


def new(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    print(json.dumps(public_members(key)))


def public(path):
    print(json.dumps(public_members(load(path))))


def assertion(path, client_id, audience, kid=None):
    key = load(path)
    kid = kid or public_members(key)["thumbprint"]
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    signing_input = "%s.%s" % (b64url(json.dumps(header, separators=(",", ":")).encode()),
                               b64url(json.dumps(claims, separators=(",", ":")).encode()))
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    print(json.dumps({"assertion": signing_input + "." + b64url(signature), "kid": kid}))


if __name__ == "__main__":
    {"new": new, "public": public, "assertion": assertion}[sys.argv[1]](*sys.argv[2:])
