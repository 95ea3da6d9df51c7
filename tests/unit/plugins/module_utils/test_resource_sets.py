# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, OktaConfigError, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import (
    GROUP_NAMES_PER_SEARCH,
    ResourceMember,
    ResourceResolver,
    key_path,
    orn_key,
    url_key,
)
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"


def client_for(session: FakeSession, org: str = ORG) -> OktaClient:
    return OktaClient(Transport(org, session=session), SswsAuth("t"))


@pytest.mark.parametrize("orn, key", [
    ("orn:okta:directory:00o1:users", "directory:users"),
    ("orn:oktapreview:directory:00o2:groups", "directory:groups"),
    ("orn:okta:directory:00o1:groups:00g1", "directory:groups:00g1"),
    ("orn:okta:directory:00o1:groups:00g1:contained_resources", "directory:groups:00g1:contained_resources"),
    ("orn:okta:idp:00o1:apps", "idp:apps"),
    ("orn:okta:idp:00o1:apps:workday", "idp:apps:workday"),
    ("orn:okta:idp:00o1:apps:oidc_client:0oa1", "idp:apps:*:0oa1"),
    ("orn:okta:iam:00o1:contained_resources", "iam:contained_resources"),
])
def test_orn_keys_drop_partition_and_org(orn: str, key: str) -> None:
    assert orn_key(orn) == key


@pytest.mark.parametrize("url, key", [
    ("https://example.okta.com/api/v1/users", "directory:users"),
    ("https://example-admin.okta.com/api/v1/groups/", "directory:groups"),
    ("https://login.example.com/api/v1/groups/00g1", "directory:groups:00g1"),
    ("https://example.okta.com/api/v1/groups/00g1/users", "directory:groups:00g1:contained_resources"),
    ("https://example.okta.com/api/v1/apps", "idp:apps"),
    ("https://example.okta.com/api/v1/apps?filter=name+eq+%22workday%22", "idp:apps:workday"),
    ('https://example.okta.com/api/v1/apps?filter=name eq "workday"', "idp:apps:workday"),
    ("https://example.okta.com/api/v1/apps/0oa1", "idp:apps:*:0oa1"),
])
def test_url_keys_match_orn_keys(url: str, key: str) -> None:
    assert url_key(url) == key


def test_url_and_orn_round_trip_through_key_path() -> None:
    for key in ("directory:users", "directory:groups:00g1", "directory:groups:00g1:contained_resources", "idp:apps", "idp:apps:workday",
                "idp:apps:*:0oa1"):
        path = key_path(key)
        assert path is not None
        assert url_key(ORG + path) == key
    assert key_path("iam:contained_resources") is None


@pytest.mark.parametrize("bad", ["orn:okta:users", "urn:okta:directory:1:users", "orn::directory:1:users"])
def test_malformed_orns(bad: str) -> None:
    with pytest.raises(OktaConfigError, match="not an ORN"):
        orn_key(bad)


def test_unknown_url_asks_for_an_orn() -> None:
    with pytest.raises(OktaConfigError, match="as an ORN"):
        url_key("https://example.okta.com/api/v1/brands")


def group(name: str, gid: str) -> dict:
    return {"id": gid, "profile": {"name": name}}


def test_group_names_are_resolved_in_batches() -> None:
    names = ["group-%04d" % i for i in range(GROUP_NAMES_PER_SEARCH * 2 + 1)]

    def answer(request):  # type: ignore[no-untyped-def]
        expression = parse_qs(urlsplit(request.url).query)["search"][0]
        wanted = [clause.split('"')[1] for clause in expression.split(" or ")]
        return FakeResponse(200, [group(name, "00g" + name[-4:]) for name in wanted])

    session = FakeSession([answer, answer, answer])
    resolver = ResourceResolver(client_for(session))
    items = resolver.resolve([{"type": "group", "name": name} for name in names])
    assert len(session.sent) == 3
    assert items[0] == {"key": "directory:groups:00g0000"}
    assert len(items) == len(names)


def test_unknown_and_ambiguous_group_names_are_errors_naming_them() -> None:
    session = FakeSession([FakeResponse(200, [group("Finance", "00g1")])])
    with pytest.raises(OktaConfigError, match="do not exist in Okta: Nope"):
        ResourceResolver(client_for(session)).resolve([{"type": "group", "name": "Finance"}, {"type": "group_users", "name": "Nope"}])
    session = FakeSession([FakeResponse(200, [group("Ops", "00g1"), group("Ops", "00g2")])])
    with pytest.raises(OktaConfigError, match="'Ops' is ambiguous: groups 00g1, 00g2"):
        ResourceResolver(client_for(session)).resolve([{"type": "group", "name": "Ops"}])


def test_exact_case_match_wins_over_case_insensitive() -> None:
    session = FakeSession([FakeResponse(200, [group("ops", "00g1"), group("Ops", "00g2")])])
    items = ResourceResolver(client_for(session)).resolve([{"type": "group", "name": "Ops"}])
    assert items == [{"key": "directory:groups:00g2"}]


def test_app_labels_need_an_exact_single_match() -> None:
    prefix_sharing = [{"id": "0oa1", "label": "Zluri"}, {"id": "0oa2", "label": "Zluri Sandbox"}]
    session = FakeSession([FakeResponse(200, prefix_sharing)])
    assert ResourceResolver(client_for(session)).resolve([{"type": "app", "name": "Zluri"}]) == [{"key": "idp:apps:*:0oa1"}]
    session = FakeSession([FakeResponse(200, [{"id": "0oa1", "label": "Dup"}, {"id": "0oa2", "label": "Dup"}])])
    with pytest.raises(OktaConfigError, match="ambiguous"):
        ResourceResolver(client_for(session)).resolve([{"type": "app", "name": "Dup"}])


def test_iam_is_sent_as_an_orn_with_partition_and_org_id() -> None:
    resolver = ResourceResolver(client_for(FakeSession()), "oktapreview", "00oORG")
    (iam,) = resolver.resolve([{"type": "iam"}])
    assert resolver.send_form(iam) == "orn:oktapreview:iam:00oORG:contained_resources"
    assert resolver.send_form({"key": "directory:users"}) == ORG + "/api/v1/users"


def test_partition_is_read_from_okta_not_from_the_host() -> None:
    # An okta.com host whose org lives in the preview partition: only Okta's answer tells.
    session = FakeSession([FakeResponse(200, [{"orn": "orn:oktapreview:idp:00oORG:apps:oidc_client:0oa1"}]), FakeResponse(200, {"id": "00oORG"})])
    resolver = ResourceResolver(client_for(session, "https://acme.okta.com"))
    assert resolver.send_form({"key": "iam:contained_resources"}) == "orn:oktapreview:iam:00oORG:contained_resources"
    assert [urlsplit(sent.url).path for sent in session.sent] == ["/api/v1/apps", "/.well-known/okta-organization"]


def test_partition_from_an_app_looked_up_by_label_costs_no_read() -> None:
    app = {"id": "0oa1", "label": "Zluri", "orn": "orn:oktapreview:idp:00oORG:apps:oidc_client:0oa1"}
    session = FakeSession([FakeResponse(200, [app])])
    resolver = ResourceResolver(client_for(session, "https://acme.okta.com"), org_id="00oORG")
    resolver.resolve([{"type": "app", "name": "Zluri"}])
    assert resolver.send_form({"key": "iam:contained_resources"}) == "orn:oktapreview:iam:00oORG:contained_resources"
    assert len(session.sent) == 1


def test_partition_from_a_listed_resource_costs_no_read() -> None:
    resource = {"id": "ire1", "orn": "orn:oktapreview:directory:00oORG:users", "_links": {"self": {"href": "https://acme.okta.com/api/v1/users"}}}
    session = FakeSession([FakeResponse(200, {"resources": [resource], "_links": {}})])
    resolver = ResourceResolver(client_for(session, "https://acme.okta.com"), org_id="00oORG")
    assert ResourceMember(resolver).current(resolver.client, {"id": "iam1"}) == [{"key": "directory:users", "id": "ire1"}]
    assert resolver.send_form({"key": "iam:contained_resources"}) == "orn:oktapreview:iam:00oORG:contained_resources"
    assert len(session.sent) == 1


def test_the_option_wins_and_no_orn_is_an_error_naming_it() -> None:
    assert ResourceResolver(client_for(FakeSession()), "okta", "00oORG").partition() == "okta"
    session = FakeSession([FakeResponse(200, [{"id": "0oa1"}])])
    with pytest.raises(OktaConfigError, match="set orn_partition"):
        ResourceResolver(client_for(session, "https://acme.oktapreview.com"), org_id="00oORG").partition()


def test_duplicates_collapse_and_the_cap_is_enforced() -> None:
    resolver = ResourceResolver(client_for(FakeSession()))
    assert resolver.resolve([{"type": "all_users"}, {"type": "url", "value": ORG + "/api/v1/users"}]) == [{"key": "directory:users"}]
    with pytest.raises(OktaConfigError, match="at most 1000"):
        resolver.resolve([{"type": "group", "id": "00g%d" % i} for i in range(1001)])
