# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Public JWKs: turn them into verification keys, measure them, thumbprint them (RFC 7638)."""
from __future__ import annotations

import hashlib
import json
from typing import Any, Union

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .common import b64url_decode, b64url_encode

SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_CURVES_BY_NAME: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
# Okta stores EC keys registered without ``crv`` as ``crv: null`` (TF-VCR serviceWithJWKS); the
# coordinate length still tells the curve.
_CURVES_BY_COORDINATE_BYTES = {32: "P-256", 48: "P-384", 66: "P-521"}

PublicKey = Union[rsa.RSAPublicKey, ec.EllipticCurvePublicKey]


def _integer(text: Any) -> int:
    if not isinstance(text, str) or not text:
        raise ValueError("missing key member")
    return int.from_bytes(b64url_decode(text), "big")


def curve_name(jwk: dict[str, Any]) -> str:
    """The EC curve of a JWK, from ``crv`` or, when absent, from the coordinate size."""
    name = jwk.get("crv") or _CURVES_BY_COORDINATE_BYTES.get(len(b64url_decode(jwk.get("x") or "")))
    if name not in _CURVES_BY_NAME:
        raise ValueError("unsupported curve")
    return name


def public_key(jwk: dict[str, Any]) -> PublicKey:
    """A verification key; ValueError if the JWK is not a usable RSA or EC public key."""
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            return rsa.RSAPublicNumbers(_integer(jwk.get("e")), _integer(jwk.get("n"))).public_key()
        if kty == "EC":
            curve = _CURVES_BY_NAME[curve_name(jwk)]
            return ec.EllipticCurvePublicNumbers(_integer(jwk.get("x")), _integer(jwk.get("y")), curve).public_key()
    except (TypeError, ValueError, ArithmeticError) as error:
        raise ValueError("invalid %s key: %s" % (kty, error)) from None
    raise ValueError("unsupported key type %r" % kty)


def rsa_bits(jwk: dict[str, Any]) -> int:
    """The modulus size of an RSA JWK."""
    return _integer(jwk.get("n")).bit_length()


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint, base64url: what ``cnf.jkt`` of a DPoP-bound token holds."""
    if jwk.get("kty") == "RSA":
        members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
    else:
        members = {"crv": curve_name(jwk), "kty": "EC", "x": jwk["x"], "y": jwk["y"]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return b64url_encode(hashlib.sha256(canonical).digest())


def access_token_hash(access_token: str) -> str:
    """The DPoP ``ath`` claim: base64url(SHA-256(access token))."""
    return b64url_encode(hashlib.sha256(access_token.encode("ascii")).digest())
