# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What okta_service_app_info tells about an API Services app: ids, settings, keys and their age, granted scopes,
admin roles, and the last access token Okta issued it.

Every part is read with the finding and reading code the managing modules use (apps, jwks, grants, role_assignments).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import time
from typing import Any, Callable
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import client_id_of, jwks_uri_of
from ansible_collections.saasops.okta_m2m.plugins.module_utils.grants import GrantMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import JwkMember
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import KeyMaterialError, jwk_thumbprint
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Outcome
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import RESOURCE_SETS_PATH
from ansible_collections.saasops.okta_m2m.plugins.module_utils.role_assignments import CUSTOM, app_assignments
from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import SECONDS_PER_DAY, age_in_days, okta_time

LOGS_PATH = "/api/v1/logs"
# The org authorization server's event for an issued access token, the only server that mints Okta API scopes
# (okta-developer-docs data/event-types.json, tag oauth2-org-as); app.oauth2.as.* belong to custom authorization servers.
TOKEN_GRANT_EVENT = "app.oauth2.token.grant.access_token"
# Okta keeps System Log events for 90 days: a longer look-back cannot find more.
MAX_LOOKBACK_DAYS = 90


def thumbprint_of(key: dict[str, Any]) -> str | None:
    """The RFC 7638 thumbprint of an app key, which names it whatever kid it was registered under; None for a key
    type the collection does not sign with."""
    try:
        return jwk_thumbprint(key)
    except (KeyMaterialError, KeyError):
        return None


def key_reports(client: OktaClient, app: dict[str, Any], clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """An app's keys with when each was registered and its age, never key material.

    Read from /credentials/jwks: the keys embedded in the app carry no created (TF-VCR AppOauth_serviceWithJWKS),
    the keys of that list do (Okta's spec, OAuth2ClientJsonWebKeyResponseBase).
    """
    return _reports(JwkMember().reread(client, app), clock())


def key_reports_after(client: OktaClient, outcome: Outcome, clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """The keys of the app okta_service_app converged, read as few times as can be: none for an app this run created,
    the list the reconcile read when the run wrote nothing, else once more after the writes."""
    if outcome.obj is None:
        return []
    if outcome.created:
        return created_app_key_reports(outcome.obj, clock)
    read = outcome.read_members.get(JwkMember.name)
    if read is not None and not outcome.changed:
        return _reports(read, clock())
    return key_reports(client, outcome.obj, clock)


def key_changes(outcome: Outcome) -> tuple[list[str], list[str]]:
    """The kids of the keys a reconcile of an app made ACTIVE and those it retired, from its before and after views."""
    before = {key["kid"]: key.get("status") for key in (outcome.before or {}).get(JwkMember.name) or []}
    after = {key["kid"]: key.get("status") for key in (outcome.after or {}).get(JwkMember.name) or []}
    added = sorted(kid for kid, status in after.items() if status == "ACTIVE" and before.get(kid) != "ACTIVE")
    retired = sorted(kid for kid, status in before.items() if status == "ACTIVE" and after.get(kid, "ACTIVE") != "ACTIVE")
    return added, retired


def created_app_key_reports(app: dict[str, Any], clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """The keys of an app this run created, as the create's answer embeds them: registered with the app, so they
    are as old as the app, and no read is needed (one call fewer in the apps rate-limit bucket)."""
    keys = (((app.get("settings") or {}).get("oauthClient") or {}).get("jwks") or {}).get("keys") or []
    return _reports([dict(key, created=key.get("created") or app.get("created")) for key in keys], clock())


def _reports(keys: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    return [dict({"kid": key.get("kid"), "id": key.get("id"), "status": key.get("status"), "created": key.get("created"),
                  "age_days": age_in_days(key.get("created"), now), "thumbprint": thumbprint_of(key)},
                 **({"retired": key.get("lastUpdated")} if key.get("status") == "INACTIVE" else {}))
            for key in keys]


class LastTokenLookup:
    """The newest token grant event of one client within a bounded look-back: one System Log call per client, counted."""

    def __init__(self, client: OktaClient, lookback_days: int, clock: Callable[[], float] = time.time) -> None:
        if not 1 <= lookback_days <= MAX_LOOKBACK_DAYS:
            raise OktaConfigError("lookback_days must be between 1 and %d (Okta keeps the System Log for %d days), got %d"
                                  % (MAX_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS, lookback_days))
        self.client = client
        self.lookback_days = lookback_days
        self.clock = clock
        self.calls = 0

    def last_token(self, client_id: str) -> str | None:
        now = self.clock()
        # A bounded query (until given), newest first, one event: the answer is that event or nothing, never a poll.
        # until is now to the millisecond, rounded up: a token issued earlier in the current second is found.
        params = {"filter": 'eventType eq "%s" and actor.id eq "%s"' % (TOKEN_GRANT_EVENT, client_id),
                  "since": okta_time(now - self.lookback_days * SECONDS_PER_DAY), "until": okta_time(now, round_up=True),
                  "sortOrder": "DESCENDING", "limit": 1}
        self.calls += 1
        events = self.client.get(LOGS_PATH, params) or []
        return events[0].get("published") if events else None


class ServiceAppReporter:
    """Reads what an app holds; resource set labels are read once per run, however many apps hold the set."""

    def __init__(self, client: OktaClient, last_tokens: LastTokenLookup | None = None, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.last_tokens = last_tokens
        self.clock = clock
        self._resource_set_labels: dict[str, str | None] = {}

    def roles(self, app: dict[str, Any]) -> list[dict[str, Any]]:
        """Standard roles by type; custom roles with the role's and the resource set's ids and labels."""
        roles = []
        for item in app_assignments(self.client, app):
            custom = item["type"] == CUSTOM
            roles.append({"type": item["type"], "id": item["id"], "role": item["role"] if custom else None,
                          "role_label": item["label"] if custom else None, "resource_set": item["resource_set"] if custom else None,
                          "resource_set_label": self._resource_set_label(item["resource_set"]) if custom else None})
        return sorted(roles, key=lambda role: (role["type"], str(role["role_label"]), str(role["resource_set_label"])))

    def _resource_set_label(self, resource_set_id: str | None) -> str | None:
        if not resource_set_id:
            return None
        if resource_set_id not in self._resource_set_labels:
            found = self.client.get_optional("%s/%s" % (RESOURCE_SETS_PATH, quote(resource_set_id, safe="")))
            self._resource_set_labels[resource_set_id] = found.get("label") if found else None
        return self._resource_set_labels[resource_set_id]

    def report(self, app: dict[str, Any], roles: list[dict[str, Any]]) -> dict[str, Any]:
        oauth = (app.get("settings") or {}).get("oauthClient") or {}
        credentials = (app.get("credentials") or {}).get("oauthClient") or {}
        jwks_uri = jwks_uri_of(app)
        report = {
            "id": app["id"],
            "client_id": client_id_of(app),
            "label": app.get("label"),
            "status": app.get("status"),
            "token_endpoint_auth_method": credentials.get("token_endpoint_auth_method"),
            "dpop_bound_access_tokens": bool(oauth.get("dpop_bound_access_tokens")),
            "created": app.get("created"),
            # Keys a vendor holds at a JWKS URL are not Okta's to list: the URL stands for them, and no key list is read.
            "jwks_uri": jwks_uri or None,
            "public_keys": [] if jwks_uri else key_reports(self.client, app, self.clock),
            "scopes": sorted(grant["scopeId"] for grant in GrantMember(self.client.org_url).current(self.client, app)),
            "roles": roles,
        }
        if self.last_tokens is not None:
            report["last_token_issued"] = self.last_tokens.last_token(report["client_id"])
        return report
