# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Users, groups, the System Log, domains, org, well-known; the large seed."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests

from helpers import AdminSession, recorded, shape
from okta_emulator.harness import RunningEmulator


def next_link(response: requests.Response) -> str | None:
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
    return found.group(1) if found else None


def test_users(admin: AdminSession) -> None:
    users = admin.get(admin.base_url + "/api/v1/users").json()
    assert len(users) == 22
    expected = recorded("TestAccOktaAdminRoleCustomAssignments__mm-oie-2022-10-07-max.yaml", "GET", "/api/v1/users/", 200)
    assert set(shape(users[0])) == set(shape(expected)) and set(users[0]["profile"]) >= set(expected["profile"])
    assert [user["profile"]["login"] for user in admin.get(admin.base_url + "/api/v1/users", params={"q": "ada"}).json()] == ["ada.lovelace@example.com"]
    searched = admin.get(admin.base_url + "/api/v1/users", params={"search": 'profile.lastName sw "H" and status eq "ACTIVE"'}).json()
    assert sorted(user["profile"]["lastName"] for user in searched) == ["Hamilton", "Hopper"]
    filtered = admin.get(admin.base_url + "/api/v1/users", params={"filter": 'profile.login eq "grace.hopper@example.com"'}).json()
    assert len(filtered) == 1
    assert admin.get(admin.base_url + "/api/v1/users", params={"filter": 'profile.city eq "x"'}).status_code == 400
    assert admin.get(admin.base_url + "/api/v1/users", params={"search": 'profile.lastName eq'}).json()["errorCode"] == "E0000031"
    by_login = admin.get(admin.base_url + "/api/v1/users/grace.hopper@example.com").json()
    assert admin.get(admin.base_url + "/api/v1/users/" + by_login["id"]).json()["profile"]["firstName"] == "Grace"
    assert admin.get(admin.base_url + "/api/v1/users/00unknown").json()["errorSummary"] == "Not found: Resource not found: 00unknown (User)"
    pages: list[int] = []
    url: str | None = admin.base_url + "/api/v1/users?limit=5"
    while url:
        response = admin.get(url)
        pages.append(len(response.json()))
        url = next_link(response)
    assert pages == [5, 5, 5, 5, 2]

    created = admin.post(admin.base_url + "/api/v1/users?activate=true", json={"profile": {
        "firstName": "New", "lastName": "Person", "email": "new@example.com", "login": "new@example.com"}})
    assert created.status_code == 200 and created.json()["status"] == "PROVISIONED"
    assert admin.post(admin.base_url + "/api/v1/users", json={"profile": {
        "firstName": "New", "lastName": "Person", "email": "new@example.com", "login": "new@example.com"}}).status_code == 400
    user_url = admin.base_url + "/api/v1/users/" + created.json()["id"]
    assert [group["profile"]["name"] for group in admin.get(user_url + "/groups").json()] == ["Everyone"]
    assert admin.delete(user_url).status_code == 204 and admin.get(user_url).json()["status"] == "DEPROVISIONED"
    assert len(admin.get(admin.base_url + "/api/v1/users").json()) == 22  # deprovisioned users are not listed
    assert admin.delete(user_url).status_code == 204 and admin.get(user_url).status_code == 404


def test_groups(admin: AdminSession) -> None:
    groups = admin.get(admin.base_url + "/api/v1/groups").json()
    assert len(groups) == 10 and groups[0]["profile"]["name"] == "Everyone" and groups[0]["type"] == "BUILT_IN"
    expected = recorded("TestAccOktaAdminRoleCustomAssignments__mm-oie-2022-10-07-max.yaml", "GET", "/api/v1/groups/", 200)
    assert shape(groups[1]) == shape(expected)
    for search, names in (('profile.name eq "Finance"', ["Finance"]), ('profile.name eq "finance" or profile.name eq "HR"', ["Finance", "HR"]),
                          ('profile.name sw "S"', ["Sales", "Security", "Support"]),
                          ('(profile.name sw "S" or profile.name eq "IT") and type eq "OKTA_GROUP"', ["Sales", "IT", "Security", "Support"]),
                          ('type eq "BUILT_IN"', ["Everyone"]), ('id eq "%s"' % groups[2]["id"], [groups[2]["profile"]["name"]])):
        found = admin.get(admin.base_url + "/api/v1/groups", params={"search": search}).json()
        assert sorted(group["profile"]["name"] for group in found) == sorted(names), search
    assert [group["profile"]["name"] for group in admin.get(admin.base_url + "/api/v1/groups", params={"q": "eng"}).json()] == ["Engineering"]
    assert admin.get(admin.base_url + "/api/v1/groups", params={"search": "profile.name eq \"x\" and"}).status_code == 400

    created = admin.post(admin.base_url + "/api/v1/groups", json={"profile": {"name": "Zluri Users", "description": "x"}})
    assert created.status_code == 200 and created.json()["id"].startswith("00g")
    assert admin.post(admin.base_url + "/api/v1/groups", json={"profile": {"name": "zluri users"}}).status_code == 400
    group_url = admin.base_url + "/api/v1/groups/" + created.json()["id"]
    user = admin.get(admin.base_url + "/api/v1/users/ada.lovelace@example.com").json()
    assert admin.put(group_url + "/users/" + user["id"]).status_code == 204
    assert [member["id"] for member in admin.get(group_url + "/users").json()] == [user["id"]]
    assert admin.delete(group_url + "/users/" + user["id"]).status_code == 204
    renamed = admin.put(group_url, json={"profile": {"name": "Zluri Readers"}})
    assert renamed.status_code == 200
    assert admin.get(admin.base_url + "/api/v1/groups", params={"search": 'profile.name eq "Zluri Readers"'}).json()[0]["id"] == created.json()["id"]
    assert admin.delete(admin.base_url + "/api/v1/groups/" + groups[0]["id"]).status_code == 403  # Everyone
    assert admin.delete(group_url).status_code == 204 and admin.get(group_url).status_code == 404


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): unlike wall time, not stretched by other work on the machine."""
    fields = Path("/proc/%d/stat" % pid).read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.okta_emulator(seed="large", groups=50000)
def test_large_seed_is_fast(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    # Indexed lookups cost the emulator about 0.05 s of CPU for these three calls; one scan of the 50000 groups
    # (a `sw` search) costs about 0.3 s. Its CPU time is measured, not the wall time a busy machine stretches.
    started = cpu_seconds(okta_emulator.pid)
    found = admin.get(admin.base_url + "/api/v1/groups", params={"search": 'profile.name eq "group-31415"'}).json()
    assert [group["profile"]["name"] for group in found] == ["group-31415"]
    page = admin.get(admin.base_url + "/api/v1/groups", params={"limit": 200, "after": found[0]["id"]})
    assert page.json()[0]["profile"]["name"] == "group-31416" and next_link(page)
    assert len(admin.get(admin.base_url + "/api/v1/groups", params={"q": "group-4999"}).json()) == 10  # group-49990 .. group-49999
    assert cpu_seconds(okta_emulator.pid) - started < 0.5


def test_logs_poll_and_page(admin: AdminSession) -> None:
    first = admin.get(admin.base_url + "/api/v1/logs", params={"limit": 4})
    assert first.status_code == 200 and len(first.json()) == 4 and first.json()[0]["eventType"] == "user.session.start"
    seen, url = len(first.json()), next_link(first)
    while True:
        assert url is not None
        response = admin.get(url)
        if not response.json():
            break
        seen += len(response.json())
        url = next_link(response)
    assert seen == 10 and next_link(response)  # polling: a next link even on the empty page
    bounded = admin.get(admin.base_url + "/api/v1/logs", params={"until": "2999-01-01T00:00:00.000Z", "limit": "100"})
    assert len(bounded.json()) == 10 and next_link(bounded) is None
    admin.post(admin.base_url + "/api/v1/groups", json={"profile": {"name": "Audited"}})
    latest = admin.get(admin.base_url + "/api/v1/logs", params={"filter": 'eventType eq "group.lifecycle.create"'}).json()
    assert latest[0]["target"][0]["displayName"] == "Audited" and latest[0]["actor"]["alternateId"] == "admin@example.com"
    assert admin.get(admin.base_url + "/api/v1/logs", params={"since": "yesterday"}).status_code == 400


def test_domains_org_and_well_known(admin: AdminSession) -> None:
    domains = admin.get(admin.base_url + "/api/v1/domains").json()
    assert list(domains) == ["domains"] and domains["domains"][0]["domain"] == "login.example.com"
    assert admin.get(admin.base_url + "/api/v1/domains/" + domains["domains"][0]["id"]).status_code == 200
    assert admin.get(admin.base_url + "/api/v1/org").json()["id"].startswith("00o")
    well_known = requests.get(admin.base_url + "/.well-known/okta-organization", timeout=5).json()
    expected = recorded("idaas__TestAccResourceOktaResourceSet_Issue_1991_orn_handling__oie-00.yaml", "GET", "/.well-known/", 200)
    assert set(well_known) == set(expected) and well_known["_links"]["organization"]["href"] == admin.base_url
    assert well_known["pipeline"] == "idx" and len(well_known["id"]) == 20
