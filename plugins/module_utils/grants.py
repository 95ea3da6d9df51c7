# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Okta API scope grants of a service app (/api/v1/apps/{appId}/grants), as a reconcile Member.

Okta refuses to grant a scope twice and revokes by grant id, so grants are always listed and matched on
scopeId first; each missing scope is one POST (docs/okta-api.md 7, fact 6).

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

import re
from typing import Any, Hashable, Sequence

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import OktaConfigError, validate_org_url
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_scopes import unknown_scopes
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Member

GRANTS_PATH = "/api/v1/apps/%s/grants"
OKTA_SCOPE = re.compile(r"^okta(\.[A-Za-z0-9]+){2,}$")


def desired_grants(scopes: Sequence[str] | None, allow_unknown: bool = False, option: str = "app_scopes") -> list[dict[str, Any]]:
    """The grants a list of scope names asks for; each must be an Okta API scope such as okta.users.read.

    A scope missing from Okta's published list is refused before anything is sent, unless allow_unknown.
    """
    if not scopes:
        raise OktaConfigError("%s must list at least one Okta API scope, such as okta.users.read" % option)
    grants: list[dict[str, Any]] = []
    for index, scope in enumerate(scopes):
        scope = (scope or "").strip()
        if not OKTA_SCOPE.match(scope):
            raise OktaConfigError(
                "%s[%d] %r is not an Okta API scope; they look like okta.users.read (scopes of custom authorization "
                "servers cannot be granted here)" % (option, index, scope)
            )
        if scope in (grant["scopeId"] for grant in grants):
            raise OktaConfigError("%s lists %s twice" % (option, scope))
        grants.append({"scopeId": scope})
    unknown = [] if allow_unknown else unknown_scopes(grant["scopeId"] for grant in grants)
    if unknown:
        raise OktaConfigError("%s names scopes Okta does not publish: %s; for a scope newer than this collection, set "
                              "allow_unknown_scopes=true" % (option, ", ".join(unknown)))
    return grants


def org_issuer(client: OktaClient, issuer: str | None, option: str = "issuer") -> str:
    """The org authorization server's issuer: the org URL unless told otherwise (e.g. a custom domain).

    Okta API scopes are minted only by the org authorization server, so an issuer with a path, such as a
    custom authorization server's .../oauth2/default, is refused before Okta is asked.
    """
    if issuer is None:
        return client.org_url
    try:
        return validate_org_url(issuer, option)
    except OktaConfigError as error:
        raise OktaConfigError(
            "%s; Okta API scopes are granted by the org authorization server, whose issuer is the org URL such as "
            "https://example.okta.com, never a custom authorization server like .../oauth2/default" % error
        ) from None


class GrantMember(Member):
    """The scopes granted to an app, keyed by scopeId; a grant cannot change in place, only be revoked."""

    name = "scopes"
    noun = "scope grant"

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer

    def key(self, item: dict[str, Any]) -> Hashable:
        return item["scopeId"]

    def current(self, client: OktaClient, parent: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"scopeId": grant["scopeId"], "id": grant["id"], "issuer": grant.get("issuer")} for grant in client.get(GRANTS_PATH % parent["id"]) or []]

    def add(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            client.post(GRANTS_PATH % parent["id"], {"issuer": self.issuer, "scopeId": item["scopeId"]})

    def remove(self, client: OktaClient, parent: dict[str, Any], items: list[dict[str, Any]]) -> None:
        for item in items:
            client.delete("%s/%s" % (GRANTS_PATH % parent["id"], item["id"]))
