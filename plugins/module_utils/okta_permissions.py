# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The permissions of a custom admin role as Okta takes them, and the ones Okta publishes.

Standard library only, for the role's filters (see okta_config).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import difflib
from typing import Any

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError

# Known permission strings (docs/okta-api.md 3.3). Okta keeps adding more, so this list only powers the
# "did you mean" warning; unknown strings are passed through.
KNOWN_PERMISSIONS = frozenset((
    "okta.users.manage", "okta.users.create", "okta.users.read", "okta.users.credentials.manage",
    "okta.users.credentials.resetFactors", "okta.users.credentials.resetPassword", "okta.users.credentials.expirePassword",
    "okta.users.credentials.manageTemporaryAccessCode", "okta.users.userprofile.manage", "okta.users.lifecycle.manage",
    "okta.users.lifecycle.activate", "okta.users.lifecycle.deactivate", "okta.users.lifecycle.suspend",
    "okta.users.lifecycle.unsuspend", "okta.users.lifecycle.delete", "okta.users.lifecycle.unlock",
    "okta.users.lifecycle.clearSessions", "okta.users.groupMembership.manage", "okta.users.appAssignment.manage",
    "okta.users.apitokens.manage", "okta.users.apitokens.read",
    "okta.groups.manage", "okta.groups.create", "okta.groups.members.manage", "okta.groups.read", "okta.groups.appAssignment.manage",
    "okta.apps.read", "okta.apps.manage", "okta.apps.assignment.manage", "okta.apps.clientCredentials.read", "okta.apps.manageFirstPartyApps",
    "okta.iam.read", "okta.directories.read", "okta.directories.manage", "okta.profilesources.import.run",
    "okta.authzServers.read", "okta.authzServers.manage", "okta.customizations.read", "okta.customizations.manage",
    "okta.identityProviders.read", "okta.identityProviders.manage", "okta.workflows.read", "okta.workflows.invoke",
    "okta.agents.manage", "okta.agents.register", "okta.agents.view", "okta.agents.read",
    "okta.devices.manage", "okta.devices.read", "okta.devices.lifecycle.manage", "okta.devices.lifecycle.activate",
    "okta.devices.lifecycle.deactivate", "okta.devices.lifecycle.suspend", "okta.devices.lifecycle.unsuspend",
    "okta.devices.lifecycle.delete", "okta.realms.manage", "okta.realms.read", "okta.support.cases.manage",
    "okta.governance.accessCertifications.manage", "okta.governance.accessRequests.manage",
))

CONDITION_KEYS = ("include", "exclude")


def normalize_permissions(raw: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Turn the user's permissions (strings, or dicts with conditions) into Okta's shape, plus warnings."""
    permissions: list[dict[str, Any]] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        if isinstance(entry, str):
            label, conditions = entry, None
        elif isinstance(entry, dict):
            unknown = set(entry) - {"permission", "conditions"}
            if unknown or "permission" not in entry:
                raise OktaConfigError("permissions[%d] must be a string or a dict with 'permission' and optional 'conditions'" % index)
            label, conditions = entry["permission"], entry.get("conditions") or None
        else:
            raise OktaConfigError("permissions[%d] must be a string or a dict, got %s" % (index, type(entry).__name__))
        label = str(label).strip()
        if not label.startswith("okta.") or " " in label:
            raise OktaConfigError("permissions[%d] %r is not an Okta permission string (they look like okta.users.read)" % (index, label))
        if label in seen:
            raise OktaConfigError("permissions lists %s twice" % label)
        seen.add(label)
        if conditions is not None:
            if not isinstance(conditions, dict) or len(conditions) != 1 or next(iter(conditions)) not in CONDITION_KEYS:
                raise OktaConfigError("permissions[%d] conditions must have exactly one of 'include' or 'exclude'" % index)
        if label not in KNOWN_PERMISSIONS:
            close = difflib.get_close_matches(label, KNOWN_PERMISSIONS, n=1, cutoff=0.85)
            if close:
                warnings.append("permission %s is not a known Okta permission; did you mean %s? It is sent to Okta as given." % (label, close[0]))
        permissions.append({"label": label, "conditions": conditions})
    return permissions, warnings
