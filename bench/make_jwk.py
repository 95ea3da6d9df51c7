# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key step of the plain-uri playbook, done the way its users do it without community.crypto.

    python bench/make_jwk.py KEY.pem JWK.json

Writes a new 2048-bit RSA private key (PEM, mode 0600) and its public JWK (kty, kid = RFC 7638 thumbprint, n, e,
alg, use) as JSON, which the playbook reads with lookup('file') | from_json.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "emulator"))

from okta_fixtures import generate_key, signing_jwk  # noqa: E402  pylint: disable=wrong-import-position


def main(key_path: str, jwk_path: str) -> None:
    jwk = signing_jwk(generate_key(key_path))
    with open(jwk_path, "w", encoding="utf-8") as stream:
        json.dump(jwk, stream)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
