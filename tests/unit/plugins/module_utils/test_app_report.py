# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.app_report import (
    LastTokenLookup,
    ServiceAppReporter,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import service_apps
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import jwk_thumbprint
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.timestamps import age_in_days, epoch_of

from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
# 2026-03-11T00:00:00Z
NOW = 1773187200.0
RSA_MATERIAL = {"kty": "RSA", "e": "AQAB", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"}


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def app(app_id: str, label: str, application_type: str = "service", client_id: str | None = None) -> dict[str, Any]:
    return {"id": app_id, "label": label, "name": "oidc_client", "status": "ACTIVE",
            "credentials": {"oauthClient": {"client_id": client_id or app_id, "token_endpoint_auth_method": "private_key_jwt"}},
            "settings": {"oauthClient": {"application_type": application_type, "dpop_bound_access_tokens": True}}}


def test_key_age_counts_whole_days_and_tolerates_missing_or_odd_timestamps() -> None:
    assert epoch_of("2026-03-11T00:00:00.000Z") == NOW
    assert age_in_days("2026-03-01T00:00:01.000Z", NOW) == 9
    assert age_in_days("2026-03-01T00:00:00.000Z", NOW) == 10
    assert age_in_days("2026-03-12T00:00:00.000Z", NOW) == 0, "a clock behind Okta's gives 0, never a negative age"
    assert age_in_days(None, NOW) is None
    assert age_in_days("yesterday", NOW) is None


def test_last_token_is_one_bounded_newest_first_query_per_client() -> None:
    session = FakeSession([FakeResponse(200, [{"published": "2026-03-10T09:00:00.123Z"}]), FakeResponse(200, [])])
    lookup = LastTokenLookup(client_for(session), 7, clock=lambda: NOW)
    assert lookup.last_token("0oa1") == "2026-03-10T09:00:00.123Z"
    assert lookup.last_token("zluri-custom") is None
    assert lookup.calls == 2
    query = {name: values[0] for name, values in parse_qs(urlsplit(session.sent[0].url).query).items()}
    assert urlsplit(session.sent[0].url).path == "/api/v1/logs"
    assert query == {"filter": 'eventType eq "app.oauth2.token.grant.access_token" and actor.id eq "0oa1"',
                     "since": "2026-03-04T00:00:00.000Z", "until": "2026-03-11T00:00:00.000Z", "sortOrder": "DESCENDING", "limit": "1"}


def test_the_query_ends_after_now_to_the_millisecond_so_a_token_of_the_current_second_is_found() -> None:
    session = FakeSession([FakeResponse(200, [])])
    clock = NOW + 5.7004
    LastTokenLookup(client_for(session), 7, clock=lambda: clock).last_token("0oa1")
    query = {name: values[0] for name, values in parse_qs(urlsplit(session.sent[0].url).query).items()}
    assert query["since"] == "2026-03-04T00:00:05.700Z"
    assert query["until"] == "2026-03-11T00:00:05.701Z"
    issued_earlier_this_second = epoch_of("2026-03-11T00:00:05.700Z")
    assert issued_earlier_this_second < clock < epoch_of(query["until"])


@pytest.mark.parametrize("days", [0, 91])
def test_a_look_back_beyond_the_system_log_retention_is_refused_before_any_call(days: int) -> None:
    session = FakeSession()
    with pytest.raises(OktaConfigError, match="between 1 and 90"):
        LastTokenLookup(client_for(session), days)
    assert session.sent == []


def test_service_apps_keep_only_api_services_apps_with_the_exact_label() -> None:
    listed = [app("0oa1", "Zluri"), app("0oa2", "Zluri", "web"), app("0oa3", "Zluri 2"), app("0oa4", "Zluri")]
    session = FakeSession([FakeResponse(200, listed)])
    assert [found["id"] for found in service_apps(client_for(session), label="Zluri")] == ["0oa1", "0oa4"]
    assert parse_qs(urlsplit(session.sent[0].url).query)["q"] == ["Zluri"]


def test_service_apps_by_client_id_select_none_for_an_app_of_another_kind() -> None:
    session = FakeSession([FakeResponse(200, app("0oa2", "Web", "web"))])
    assert service_apps(client_for(session), client_id="0oa2") == []


def test_report_names_custom_roles_and_reads_each_resource_set_label_once() -> None:
    custom = {"id": "irb1", "type": "CUSTOM", "label": "Zluri Role", "role": "cr01", "resource-set": "iam1"}
    session = FakeSession([
        FakeResponse(200, [custom, {"id": "ra1", "type": "READ_ONLY_ADMIN", "label": "Read Only Administrator"}]),
        FakeResponse(200, {"id": "iam1", "label": "Zluri Set"}),
        FakeResponse(200, [dict(custom, id="irb2")]),
        FakeResponse(200, [dict(RSA_MATERIAL, id="pks1", kid="k1", status="ACTIVE", created="2026-01-10T00:00:00.000Z"),
                           {"id": "pks2", "kid": "ed", "status": "INACTIVE", "kty": "OKP", "lastUpdated": "2026-02-01T00:00:00.000Z"}]),
        FakeResponse(200, [{"id": "oag1", "scopeId": "okta.users.read"}, {"id": "oag2", "scopeId": "okta.apps.read"}]),
    ])
    reporter = ServiceAppReporter(client_for(session), clock=lambda: NOW)
    roles = reporter.roles(app("0oa1", "Zluri", client_id="zluri-custom"))
    assert roles == [{"type": "CUSTOM", "id": "irb1", "role": "cr01", "role_label": "Zluri Role", "resource_set": "iam1", "resource_set_label": "Zluri Set"},
                     {"type": "READ_ONLY_ADMIN", "id": "ra1", "role": None, "role_label": None, "resource_set": None, "resource_set_label": None}]
    assert reporter.roles(app("0oa2", "Other"))[0]["resource_set_label"] == "Zluri Set"
    report = reporter.report(app("0oa1", "Zluri", client_id="zluri-custom"), roles)
    # The thumbprint names the key whatever its kid; a key of a type the collection does not sign with has none.
    assert report["public_keys"] == [{"kid": "k1", "id": "pks1", "status": "ACTIVE", "created": "2026-01-10T00:00:00.000Z", "age_days": 60,
                                      "thumbprint": jwk_thumbprint(RSA_MATERIAL)},
                                     {"kid": "ed", "id": "pks2", "status": "INACTIVE", "created": None, "age_days": None, "thumbprint": None,
                                      "retired": "2026-02-01T00:00:00.000Z"}]
    assert report["scopes"] == ["okta.apps.read", "okta.users.read"]
    assert (report["client_id"], report["dpop_bound_access_tokens"], report["token_endpoint_auth_method"]) == ("zluri-custom", True, "private_key_jwt")
    assert "last_token_issued" not in report
    assert [urlsplit(sent.url).path for sent in session.sent] == [
        "/oauth2/v1/clients/zluri-custom/roles", "/api/v1/iam/resource-sets/iam1", "/oauth2/v1/clients/0oa2/roles",
        "/api/v1/apps/0oa1/credentials/jwks", "/api/v1/apps/0oa1/grants"]


def test_an_app_whose_keys_the_vendor_holds_at_a_url_shows_the_url_and_reads_no_key_list() -> None:
    session = FakeSession([FakeResponse(200, [{"id": "oag1", "scopeId": "okta.users.read"}])])
    vendor = app("0oa3", "Vendor")
    vendor["settings"]["oauthClient"]["jwks_uri"] = "https://vendor.example.com/.well-known/jwks.json"
    report = ServiceAppReporter(client_for(session), clock=lambda: NOW).report(vendor, [])
    assert report["jwks_uri"] == "https://vendor.example.com/.well-known/jwks.json"
    assert report["public_keys"] == []
    assert [urlsplit(sent.url).path for sent in session.sent] == ["/api/v1/apps/0oa3/grants"]
    saved = ServiceAppReporter(client_for(FakeSession([FakeResponse(200, []), FakeResponse(200, [])])), clock=lambda: NOW).report(app("0oa4", "Zluri"), [])
    assert saved["jwks_uri"] is None
