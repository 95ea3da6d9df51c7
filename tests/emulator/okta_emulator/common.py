# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers shared by every module: ids, timestamps, base64url."""
from __future__ import annotations

import base64
import datetime
import os
import random
import string
import threading
import time

# Digits, then upper case, then lower case: ASCII order, so ids sort in the order they were made.
ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
ID_LENGTH = 20
_CLOCK_DIGITS = 9
_RANDOM_DIGITS = 5

# Ids need to look like Okta's and be unique, not be secret: a fast PRNG seeded from the OS is enough.
_id_random = random.Random(os.urandom(16))
_id_clock_lock = threading.Lock()
_id_clock_last = 0


def random_text(length: int, alphabet: str = ID_ALPHABET) -> str:
    """Random characters, e.g. for ids and cursors."""
    return "".join(_id_random.choices(alphabet, k=length))


def _base62(number: int, width: int) -> str:
    digits = []
    for _position in range(width):
        number, digit = divmod(number, len(ID_ALPHABET))
        digits.append(ID_ALPHABET[digit])
    return "".join(reversed(digits))


def new_id(prefix: str, org_suffix: str) -> str:
    """An Okta-style id (20 chars): type prefix (``0oa``, ``cr0``, ...), a time-ordered part, random
    characters, the org's cell suffix. Like Okta's, later ids sort after earlier ones; list cursors rely on it."""
    global _id_clock_last  # pylint: disable=global-statement
    with _id_clock_lock:
        _id_clock_last = max(_id_clock_last + 1, time.time_ns() // 1000)
        clock = _id_clock_last
    middle = _base62(clock, _CLOCK_DIGITS) + random_text(_RANDOM_DIGITS)
    return (prefix + middle)[:ID_LENGTH - len(org_suffix)] + org_suffix


def okta_timestamp(epoch: float | None = None) -> str:
    """Okta's timestamp format: whole seconds, ``.000Z`` (as in every recording)."""
    moment = datetime.datetime.fromtimestamp(int(time.time() if epoch is None else epoch), tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def okta_date_timestamp(epoch: float | None = None) -> str:
    """Binding members carry only the day, e.g. ``2023-07-27T00:00:00.000Z`` (TF-VCR assignments)."""
    moment = datetime.datetime.fromtimestamp(int(time.time() if epoch is None else epoch), tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT00:00:00.000Z")


def parse_timestamp(value: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp as Okta writes or accepts them (``Z`` or an offset)."""
    text = value.strip().replace("Z", "+00:00")
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (JOSE)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url_encode`; tolerates missing padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def standard_role_assignment_id(role_type: str) -> str:
    """Okta's id of a standard role assignment: base32 of the role type without padding (TF-VCR, PY-VCR)."""
    return base64.b32encode(role_type.encode("ascii")).decode("ascii").rstrip("=")
