# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The configuration check of an app whose key a vendor holds: every item its first token depends on, read without the key."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import public_jwk_for_okta
from ansible_collections.saasops.okta_m2m.plugins.module_utils.configuration_check import Expected, check_configuration
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import ensure_local_key
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import generate_rsa_key, private_key_pem
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError, Transport

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
URL = "https://vendor.example.com/.well-known/jwks.json"
SCOPES = ["okta.users.read", "okta.groups.read"]


def jwk(kid: str) -> dict[str, Any]:
    return dict(ensure_local_key(None, private_key_pem(generate_rsa_key(2048)).decode("ascii"), None, 2048, kid, True).public_jwk)


VENDOR = jwk("vendor-1")
OTHER = jwk("other")


def app(keys: list[dict[str, Any]] | None = None, uri: str | None = None, status: str = "ACTIVE", auth: str = "private_key_jwt",
        dpop: bool = False) -> dict[str, Any]:
    oauth: dict[str, Any] = {"application_type": "service", "grant_types": ["client_credentials"], "dpop_bound_access_tokens": dpop}
    if keys is not None:
        oauth["jwks"] = {"keys": keys}
    if uri:
        oauth["jwks_uri"] = uri
    return {"id": "0oa1", "label": "Vendor", "name": "oidc_client", "status": status,
            "credentials": {"oauthClient": {"client_id": "0oa1", "token_endpoint_auth_method": auth}}, "settings": {"oauthClient": oauth}}


def registered(key: dict[str, Any], status: str = "ACTIVE", kid: str | None = None) -> dict[str, Any]:
    return dict(public_jwk_for_okta(key), id="pks1", status=status, kid=kid or key["kid"])


def grants(*scopes: str) -> FakeResponse:
    return FakeResponse(200, [{"id": "oag%d" % index, "scopeId": scope, "issuer": ORG} for index, scope in enumerate(scopes)])


READ_ONLY = FakeResponse(200, [{"id": "ra1", "type": "READ_ONLY_ADMIN", "label": "Read-only Administrator"}])


def run(the_app: dict[str, Any], expected: Expected, *answers: FakeResponse) -> tuple[Any, FakeSession]:
    session = FakeSession(list(answers))
    client = OktaClient(Transport(ORG, session=session), SswsAuth("t"))
    return check_configuration(client, the_app, SCOPES, expected), session


def items(report: Any) -> dict[str, Any]:
    return {item.item: item for item in report.items}


def test_a_vendor_key_app_that_will_work_passes_every_item_with_two_reads() -> None:
    report, session = run(app(keys=[registered(VENDOR)]), Expected.from_options(VENDOR, None, None, "never", ["READ_ONLY_ADMIN"]),
                          grants(*SCOPES), READ_ONLY)
    assert report.ok and report.problems() == []
    assert [item.item for item in report.items] == ["app", "client authentication", "key", "DPoP", "scopes", "admin roles"]
    assert [urlsplit(sent.url).path for sent in session.sent] == ["/api/v1/apps/0oa1/grants", "/oauth2/v1/clients/0oa1/roles"]
    assert all(sent.method == "GET" for sent in session.sent)
    described = report.as_dict()
    assert described["check"] == "configuration" and described["key_source"] == "saved" and described["jwks_uri"] is None
    assert described["saved_keys"][0]["kid"] == "vendor-1" and "n" not in described["saved_keys"][0]
    assert [check["item"] for check in described["checks"]] == ["app", "client authentication", "key", "DPoP", "scopes", "admin roles"]
    assert "the vendor's first token proves the rest" in described["first_token"]
    assert "app.oauth2.token.grant.access_token, actor the client id 0oa1" in described["first_token"]
    assert "last_token=true" in described["first_token"]


def test_a_url_app_shows_the_url_and_passes_with_the_expected_url() -> None:
    report, _session = run(app(uri=URL), Expected.from_options(None, None, URL, "never", None), grants(*SCOPES), READ_ONLY)
    assert report.ok
    assert items(report)["key"].found == "keys held by the vendor at " + URL
    assert report.as_dict()["key_source"] == "jwks_uri" and report.as_dict()["jwks_uri"] == URL


@pytest.mark.parametrize("the_app, expected, problem", [
    (app(keys=[registered(VENDOR)], status="INACTIVE"), Expected(), "app: the app is INACTIVE"),
    (app(keys=[registered(VENDOR)], auth="client_secret_basic"), Expected(), "client authentication: the app authenticates with client_secret_basic"),
    (app(keys=[registered(OTHER)]), Expected(VENDOR), "key: the vendor's public key vendor-1 is not registered on the app"),
    (app(keys=[registered(VENDOR, "INACTIVE")]), Expected(VENDOR), "key: the vendor's public key is registered INACTIVE (vendor-1)"),
    (app(keys=[registered(VENDOR, kid="console-kid")]), Expected(VENDOR), "key: no ACTIVE key is registered under the kid vendor-1"),
    (app(keys=[registered(VENDOR, "INACTIVE")]), Expected(), "key: no ACTIVE key is registered on the app"),
    (app(keys=[registered(VENDOR)]), Expected(kid="missing"), "key: no ACTIVE key is registered under the kid missing"),
    (app(keys=[registered(VENDOR)]), Expected(jwks_uri=URL), "key: the app's keys are saved in Okta, not fetched from " + URL),
    (app(uri=URL), Expected(jwks_uri="https://vendor.example.com/other"), "key: the app fetches its keys from %s, not from" % URL),
    (app(uri=URL), Expected(VENDOR), "key: the app fetches its keys from %s, and no key is saved in Okta" % URL),
    (app(uri=URL, dpop=True), Expected(dpop="never"), "DPoP: the app has 'Require DPoP' on"),
])
def test_each_item_names_its_problem(the_app: dict[str, Any], expected: Expected, problem: str) -> None:
    report, _session = run(the_app, expected, grants(*SCOPES), READ_ONLY)
    assert not report.ok
    assert len(report.problems()) == 1 and report.problems()[0].startswith(problem)


def test_dpop_is_a_problem_only_for_a_client_without_it() -> None:
    for client_dpop in ("auto", "always"):
        report, _session = run(app(uri=URL, dpop=True), Expected(dpop=client_dpop), grants(*SCOPES), READ_ONLY)
        assert report.ok and items(report)["DPoP"].found == "required"


def test_missing_scopes_and_roles_are_named() -> None:
    report, _session = run(app(uri=URL), Expected.from_options(None, None, None, "auto", ["READ_ONLY_ADMIN", "ORG_ADMIN"]),
                           grants("okta.users.read"), READ_ONLY)
    assert report.problems() == ["scopes: okta.groups.read: scope not granted: grant okta.groups.read to the app (Okta API Scopes tab)",
                                 "admin roles: not assigned: ORG_ADMIN"]
    assert report.scopes == [{"scope": "okta.users.read", "granted": True, "reason": ""},
                             {"scope": "okta.groups.read", "granted": False,
                              "reason": "scope not granted: grant okta.groups.read to the app (Okta API Scopes tab)"}]


def test_an_app_without_any_role_is_refused_every_call() -> None:
    report, _session = run(app(uri=URL), Expected(), grants(*SCOPES), FakeResponse(200, []))
    assert report.problems() == ["admin roles: the app holds no admin role, so Okta refuses every call its scopes allow (403); "
                                 "assign one (okta_role_assignment)"]


def test_a_custom_role_is_expected_by_its_labels_or_ids() -> None:
    custom = FakeResponse(200, [{"id": "irb1", "type": "CUSTOM", "label": "Vendor read", "role": "cr01", "resource-set": "iam1"}])
    resource_set = FakeResponse(200, {"id": "iam1", "label": "Vendor resources"})
    by_labels = Expected.from_options(None, None, None, "auto", [{"role": "Vendor read", "resource_set": "Vendor resources"}])
    report, _session = run(app(uri=URL), by_labels, grants(*SCOPES), custom, resource_set)
    assert report.ok and items(report)["admin roles"].found == "Vendor read on Vendor resources"
    by_ids = Expected.from_options(None, None, None, "auto", [{"role_id": "cr01", "resource_set_id": "iam2"}])
    report, _session = run(app(uri=URL), by_ids, grants(*SCOPES), custom, resource_set)
    assert report.problems() == ["admin roles: not assigned: cr01 on iam2"]


def test_an_unknown_scope_is_named_as_unknown() -> None:
    session = FakeSession([grants(*SCOPES), READ_ONLY])
    client = OktaClient(Transport(ORG, session=session), SswsAuth("t"))
    report = check_configuration(client, app(uri=URL), ["okta.users.reed"], Expected())
    assert report.scopes[0]["reason"].startswith("unknown scope: Okta does not know okta.users.reed (did you mean okta.users.read?)")


def test_what_is_expected_is_checked_before_any_call() -> None:
    with pytest.raises(OktaConfigError, match="must not contain private key members"):
        Expected.from_options(dict(VENDOR, d="secret"), None, None, "auto", None)
    with pytest.raises(OktaConfigError, match=r"expected_roles\[0\]"):
        Expected.from_options(None, None, None, "auto", ["READ_ONLY"])
