# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Zluri's guide asks of an Okta org: the Okta API scopes and the two privilege tiers of the custom role, and the
resource set the role builds. The one definition: modules, filters, the role and the benchmark take them from here.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError

# The Okta API scopes Zluri uses (Zluri's guide; docs/okta-api.md 7).
ZLURI_SCOPES = ("okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read", "okta.roles.read", "okta.domains.read")

# The custom role's permissions per tier (Zluri's guide; docs/okta-api.md 3.1).
ZLURI_TIER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "minimum": ("okta.users.read", "okta.groups.read", "okta.iam.read", "okta.apps.read", "okta.directories.read"),
    "maximum": (
        "okta.users.lifecycle.manage", "okta.users.read", "okta.users.userprofile.manage", "okta.users.appAssignment.manage",
        "okta.users.create", "okta.users.groupMembership.manage", "okta.groups.manage", "okta.iam.read", "okta.apps.manage",
        "okta.directories.manage",
    ),
}


def tier_permissions(tier: str) -> list[str]:
    if tier not in ZLURI_TIER_PERMISSIONS:
        raise OktaConfigError("the tier must be one of %s, not %r" % (", ".join(sorted(ZLURI_TIER_PERMISSIONS)), tier))
    return list(ZLURI_TIER_PERMISSIONS[tier])


def resource_set_resources(groups: list[str], user_groups: list[str], include_apps: bool, include_iam: bool) -> list[dict[str, Any]]:
    """The resource set as okta_resource_set takes it: no group names means all groups, no user groups all users."""
    resources: list[dict[str, Any]] = [{"type": "group", "name": name} for name in groups] or [{"type": "all_groups"}]
    resources += [{"type": "group_users", "name": name} for name in user_groups] or [{"type": "all_users"}]
    if include_apps:
        resources.append({"type": "all_apps"})
    if include_iam:
        resources.append({"type": "iam"})
    return resources
