# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Okta's timestamps: what they are in seconds, and how many days ago.

Standard library only, for the role's filters (see okta_config).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

SECONDS_PER_DAY = 86400


def okta_time(epoch: float, round_up: bool = False) -> str:
    """A System Log query timestamp in Okta's format, UTC to the millisecond (2026-03-01T10:00:05.300Z).

    Rounded down by default, which suits a lower bound; round_up suits an upper bound, which must not fall before
    the moment it stands for (Okta stamps events to the millisecond, so a bound cut to the second misses the events
    of the second it ends in)."""
    millis = math.ceil(epoch * 1000) if round_up else math.floor(epoch * 1000)
    seconds, millis = divmod(millis, 1000)
    return "%s.%03dZ" % (datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"), millis)


def epoch_of(timestamp: str | None) -> float | None:
    """The epoch of an Okta timestamp such as 2026-03-01T10:00:00.000Z; None when there is none or it is not one."""
    try:
        return datetime.fromisoformat(str(timestamp).replace("Z", "+00:00")).timestamp() if timestamp else None
    except ValueError:
        return None


def age_in_days(created: str | None, now: float) -> int | None:
    """Whole days since created, by this machine's clock."""
    epoch = epoch_of(created)
    return None if epoch is None else max(int((now - epoch) // SECONDS_PER_DAY), 0)
