# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Okta's timestamps: what they are in seconds, and how many days ago.

Standard library only, for the role's filters (see okta_config).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from datetime import datetime, timezone

SECONDS_PER_DAY = 86400


def okta_time(epoch: float) -> str:
    """A System Log query timestamp (UTC, milliseconds)."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


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
