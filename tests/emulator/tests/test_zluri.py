# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Zluri stub under /zluri."""
from __future__ import annotations

import time

import pytest
import requests

from helpers import AdminSession
from okta_emulator.harness import RunningEmulator

OKTA_FILTER = [{"field_id": "source_array", "negative": False,
                "field_values": [{"key": "keyword", "value_type": "string", "value": ["okta"]}]}]
HEADERS = {"api-key": "emulator-zluri-key", "Content-Type": "application/json"}


def test_list_users_by_source(admin: AdminSession) -> None:
    url = admin.base_url + "/zluri/v2/users"
    everyone = requests.post(url, headers=HEADERS, json={}, timeout=5).json()
    assert everyone["count"] == 25 and everyone["page"] == 1 and everyone["page_size"] == 50
    okta = requests.post(url, headers=HEADERS, json={"filter_by": OKTA_FILTER, "page_size": 10}, timeout=5).json()
    assert okta["count"] == 22 and len(okta["items"]) == 10 and all(item["source_array"] == ["okta"] for item in okta["items"])
    last = requests.post(url + "?page=3&page_size=10", headers=HEADERS, json={"filter_by": OKTA_FILTER}, timeout=5).json()
    assert len(last["items"]) == 2
    others = requests.post(url, headers=HEADERS, json={"filter_by": [dict(OKTA_FILTER[0], negative=True)]}, timeout=5).json()
    assert others["count"] == 3
    unauthorized = requests.post(url, headers={"api-key": "wrong"}, json={}, timeout=5)
    assert unauthorized.status_code == 401 and unauthorized.json()["code"] == "UNAUTHORIZED"
    bad_filter = requests.post(url, headers=HEADERS, json={"filter_by": [{"field_id": "department"}]}, timeout=5)
    assert bad_filter.status_code == 400 and bad_filter.json()["errors"][0]["msg"]
    assert requests.get(admin.base_url + "/zluri/v2/apps", headers=HEADERS, timeout=5).status_code == 404


def test_first_sync_delay(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    url = admin.base_url + "/zluri/v2/users"

    def okta_users() -> int:
        return requests.post(url, headers=HEADERS, json={"filter_by": OKTA_FILTER}, timeout=5).json()["count"]

    # Before the sync with a delay no run can outlast, then the moment it ends, bounded from below only: a busy
    # machine may take any time between two requests, so "still empty after 0.5 s" cannot be asserted.
    okta_emulator.settings(zluri_okta_sync_after_seconds=3600)
    assert okta_users() == 0
    started = time.monotonic()
    okta_emulator.settings(zluri_okta_sync_after_seconds=0.5)
    deadline = started + 30
    while okta_users() != 22:
        assert time.monotonic() < deadline, "the Okta users never showed up in Zluri"
        time.sleep(0.05)
    assert time.monotonic() - started >= 0.5


@pytest.mark.okta_emulator(seed="empty", zluri_api_key="limited-key")
def test_rate_limit(okta_emulator: RunningEmulator) -> None:
    url = okta_emulator.url + "/zluri/v2/users"
    session = requests.Session()
    statuses = [session.post(url, headers={"api-key": "limited-key"}, json={}, timeout=5).status_code for _request in range(101)]
    assert statuses == [200] * 100 + [429]
    limited = session.post(url, headers={"api-key": "limited-key"}, json={}, timeout=5)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["code"] == "RATE_LIMIT_EXCEEDED" and limited.json()["errors"][0]["msg"]
    assert okta_emulator.log()[-1]["bucket"] == "zluri"
