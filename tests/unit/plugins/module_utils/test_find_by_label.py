# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""find_by_label, through the two finders that use it: custom roles and resource sets."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.admin_roles import find_role
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_auth import SswsAuth
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaClient, Transport
from ansible_collections.saasops.okta_m2m.plugins.module_utils.resource_sets import find_resource_set
from ansible_collections.saasops.okta_m2m.tests.unit.plugins.module_utils.fake_http import FakeResponse, FakeSession

ORG = "https://example.okta.com"
SPELLED_OUT = "Zluri (read-only): ops@acme & co + 'x' \u2013 Z\u00fcrich"

Finder = Callable[..., Any]
# (finder, collection path, the list's items key)
FINDERS = [
    pytest.param(find_role, "/api/v1/iam/roles", "roles", id="role"),
    pytest.param(find_resource_set, "/api/v1/iam/resource-sets", "resource-sets", id="resource_set"),
]
# The type Okta names in a 404 of each collection.
TYPE_NAMES = {"roles": "CustomRole", "resource-sets": "IAMPolicy"}


def client_for(session: FakeSession) -> OktaClient:
    return OktaClient(Transport(ORG, session=session), SswsAuth("t"))


def not_found(name: str, items_key: str) -> FakeResponse:
    return FakeResponse(404, {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: %s (%s)" % (name, TYPE_NAMES[items_key])})


def page(items_key: str, items: list[dict[str, Any]], next_href: str | None = None) -> FakeResponse:
    links: dict[str, Any] = {"self": {"href": "x"}}
    if next_href:
        links["next"] = {"href": next_href}
    return FakeResponse(200, {items_key: items, "_links": links})


@pytest.mark.parametrize("finder, path, items_key", FINDERS)
def test_a_label_okta_reads_in_a_path_is_one_get(finder: Finder, path: str, items_key: str) -> None:
    found = {"id": "x1", "label": SPELLED_OUT}
    session = FakeSession([FakeResponse(200, found)])
    assert finder(client_for(session), SPELLED_OUT) == found
    assert [sent.url for sent in session.sent] == [ORG + path + "/" + quote(SPELLED_OUT, safe="")]

    session = FakeSession([not_found(SPELLED_OUT, items_key)])
    assert finder(client_for(session), SPELLED_OUT) is None
    assert len(session.sent) == 1


@pytest.mark.parametrize("label", ["prefix;suffix", "prefix\\suffix", SPELLED_OUT + "; \\ both"])
@pytest.mark.parametrize("finder, path, items_key", FINDERS)
def test_a_label_okta_cannot_read_in_a_path_is_looked_for_in_the_list_only(finder: Finder, path: str, items_key: str, label: str) -> None:
    wanted = {"id": "x2", "label": label}
    # "prefix" is what Okta would answer a GET of "prefix;suffix" with: the list must decide.
    session = FakeSession([page(items_key, [{"id": "x0", "label": "prefix"}], ORG + path + "?after=x0"), page(items_key, [wanted])])
    assert finder(client_for(session), label) == wanted
    assert [sent.url for sent in session.sent] == [ORG + path, ORG + path + "?after=x0"]

    session = FakeSession([page(items_key, [{"id": "x0", "label": "prefix"}])])
    assert finder(client_for(session), label) is None
    assert [sent.url for sent in session.sent] == [ORG + path]

    session = FakeSession([page(items_key, [])])
    assert finder(client_for(session), label, allow_id=True) is None


@pytest.mark.parametrize("finder, path, items_key", FINDERS)
def test_an_object_whose_id_is_the_label_counts_only_as_a_reference(finder: Finder, path: str, items_key: str) -> None:
    by_id = {"id": "Ops", "label": "Something else"}
    labelled = {"id": "x3", "label": "Ops"}

    session = FakeSession([FakeResponse(200, by_id), page(items_key, [by_id])])
    assert finder(client_for(session), "Ops") is None
    assert [sent.url for sent in session.sent] == [ORG + path + "/Ops", ORG + path]

    session = FakeSession([FakeResponse(200, by_id), page(items_key, [by_id])])
    assert finder(client_for(session), "Ops", allow_id=True) == by_id

    session = FakeSession([FakeResponse(200, by_id), page(items_key, [by_id, labelled])])
    assert finder(client_for(session), "Ops", allow_id=True) == labelled
