# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Headers, rate limits, concurrency, faults, the request log and stats, settings, reset, persistence, TLS, CLI."""
from __future__ import annotations

import concurrent.futures
import email.utils
import json
import os
import subprocess
import sys
import threading
import time

import pytest
import requests

from helpers import AdminSession, ServiceClient, assign, create_service_app, grant, recorded
from okta_emulator.harness import EMULATOR_DIR, RunningEmulator, start_emulator

GROUPS = "/api/v1/groups"


def test_every_answer_carries_okta_headers(admin: AdminSession) -> None:
    response = admin.get(admin.base_url + GROUPS)
    assert len(response.headers["X-Okta-Request-Id"]) == 32 and response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Rate-Limit-Limit"] == "600" and response.headers["X-Rate-Limit-Remaining"] == "599"
    reset = int(response.headers["X-Rate-Limit-Reset"])
    date = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert 55 <= reset - date <= 61 and response.headers["Server"] == "nginx"
    error = admin.get(admin.base_url + GROUPS + "/00gmissing")
    assert error.headers["X-Okta-Request-Id"] and error.headers["X-Rate-Limit-Remaining"] == "598"
    assert admin.get(admin.base_url + "/api/v1/iam/roles").headers["X-Rate-Limit-Remaining"] == "599"  # another bucket


@pytest.mark.okta_emulator(seed="empty", rate_limits="developer")
def test_developer_rate_limits(admin: AdminSession, rsa_keys: list) -> None:
    settings = requests.post(admin.base_url + "/_emulator/settings", json={"principal_rate_limit_percent": 100}, timeout=5)
    assert settings.status_code == 200
    create_service_app(admin, "Zluri", rsa_keys[0])
    statuses = []
    for _request in range(10):
        response = admin.get(admin.base_url + "/api/v1/apps")
        statuses.append(response.status_code)
    assert statuses == [200] * 9 + [429] and response.headers["X-Rate-Limit-Remaining"] == "0"
    body = response.json()
    expected = recorded("TestRoleAPIResource.test_role_error_handling.yaml", "GET", "non-existent-role-id", 404)
    assert set(body) == set(expected) and body["errorCode"] == "E0000047"
    assert body["errorSummary"] == "API call exceeded rate limit due to too many requests."
    assert admin.get(admin.base_url + "/api/v1/iam/roles").headers["X-Rate-Limit-Limit"] == "100"
    app_id = admin.get(admin.base_url + "/_emulator/state").json()["apps"].popitem()[0]
    assert admin.get(admin.base_url + "/api/v1/apps/" + app_id).headers["X-Rate-Limit-Limit"] == "50"
    off = requests.post(admin.base_url + "/_emulator/settings", json={"rate_limits": "off"}, timeout=5)
    assert off.status_code == 200
    assert admin.get(admin.base_url + "/api/v1/apps").status_code == 200


@pytest.mark.okta_emulator(seed="empty", rate_limits="developer")
def test_each_principal_gets_half_of_a_bucket_by_default(admin: AdminSession, rsa_keys: list) -> None:
    app = create_service_app(admin, "Zluri", rsa_keys[0])
    grant(admin, app["id"], "okta.apps.read")
    assert assign(admin, app["id"], {"type": "READ_ONLY_ADMIN"}).status_code == 201
    statuses, limits = [], []
    for _request in range(4):
        response = admin.get(admin.base_url + "/api/v1/apps")
        statuses.append(response.status_code)
        limits.append((response.headers["X-Rate-Limit-Limit"], response.headers["X-Rate-Limit-Remaining"]))
    # Allowed answers report the org's bucket (as recorded); the API token's 50% share (5 of 10) refuses its sixth call.
    assert statuses == [200] * 3 + [429] and limits == [("10", "7"), ("10", "6"), ("10", "5"), ("5", "0")]
    reset = int(response.headers["X-Rate-Limit-Reset"])
    date = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert 55 <= reset - date <= 61
    log = requests.get(admin.base_url + "/_emulator/log", timeout=5).json()
    assert log[-1]["status"] == 429 and log[-1]["principal"].startswith("user:") and log[-1]["rate_reset"] == reset
    # Another principal (the app, with its own access token) still has the rest of the org's bucket.
    client = ServiceClient(admin.base_url, app["id"], rsa_keys[0], "key-1")
    assert client.get_token("okta.apps.read").status_code == 200
    other = client.call("GET", "/api/v1/apps")
    assert other.status_code == 200 and other.headers["X-Rate-Limit-Remaining"] == "4"
    refused = requests.post(admin.base_url + "/_emulator/settings", json={"principal_rate_limit_percent": 0}, timeout=5)
    assert refused.status_code == 400


# Two requests are held for 3 s while three more arrive; all five start together. The hold is long because the
# three must reach the server before the two are answered, however busy the machine is.
@pytest.mark.okta_emulator(seed="empty", concurrency_limit=2, latency_ms=3000)
def test_concurrency_limit(admin: AdminSession) -> None:
    start = threading.Barrier(5)

    def call(_index: int) -> requests.Response:
        start.wait(timeout=30)
        return requests.get(admin.base_url + GROUPS, headers=dict(admin.headers), timeout=30)

    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(call, range(5)))
    limited = [response for response in responses if response.status_code == 429]
    assert len(limited) == 3 and sum(response.status_code == 200 for response in responses) == 2
    assert (limited[0].headers["X-Rate-Limit-Limit"], limited[0].headers["X-Rate-Limit-Remaining"]) == ("0", "0")


def test_fault_kinds(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    emulator = okta_emulator
    emulator.set_faults([
        {"method": "GET", "path": "^/api/v1/groups$", "fault": "429", "seconds": 5},
        {"method": "GET", "path": "^/api/v1/users$", "fault": "concurrency_429"},
        {"path": "^/api/v1/logs$", "fault": "500", "skip": 1, "times": 2},
        {"path": "^/api/v1/domains$", "fault": "502"},
        {"path": "^/api/v1/org$", "fault": "503"},
        {"path": "^/api/v1/iam/roles$", "fault": "504"},
        {"path": "^/api/v1/apps$", "fault": "reset"},
        {"path": "^/api/v1/iam/resource-sets$", "fault": "latency", "seconds": 0.4},
        {"path": "^/api/v1/users/", "fault": "timeout", "seconds": 1.0},
    ])
    limited = admin.get(admin.base_url + GROUPS)
    assert limited.status_code == 429 and limited.json()["errorCode"] == "E0000047"
    date = email.utils.parsedate_to_datetime(limited.headers["Date"]).timestamp()
    assert 4 <= int(limited.headers["X-Rate-Limit-Reset"]) - date <= 6 and limited.headers["X-Rate-Limit-Limit"] == "600"
    assert admin.get(admin.base_url + GROUPS).status_code == 200  # times: 1
    concurrency = admin.get(admin.base_url + "/api/v1/users")
    assert concurrency.status_code == 429 and concurrency.headers["X-Rate-Limit-Limit"] == "0"
    assert [admin.get(admin.base_url + "/api/v1/logs").status_code for _request in range(4)] == [200, 500, 500, 200]
    assert admin.get(admin.base_url + "/api/v1/domains").status_code == 502
    assert admin.get(admin.base_url + "/api/v1/org").status_code == 503
    gateway = admin.get(admin.base_url + "/api/v1/iam/roles")
    assert gateway.status_code == 504 and gateway.json()["errorCode"] == "E0000009"
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(admin.base_url + "/api/v1/apps", headers=dict(admin.headers), timeout=5)
    started = time.monotonic()
    assert admin.get(admin.base_url + "/api/v1/iam/resource-sets").status_code == 200
    assert time.monotonic() - started >= 0.4
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(admin.base_url + "/api/v1/users/admin@example.com", headers=dict(admin.headers), timeout=0.3)
    time.sleep(1.0)  # the server answers (to nobody) after the fault's second
    log = emulator.log()
    assert [entry["fault"] for entry in log if entry["path"] == "/api/v1/apps"] == ["reset"]
    assert [entry["status"] for entry in log if entry["path"] == "/api/v1/apps"] == [0]
    assert [(entry["fault"], entry["status"]) for entry in log if entry["path"].startswith("/api/v1/users/")] == [("timeout", 200)]
    rules = requests.get(admin.base_url + "/_emulator/faults", timeout=5).json()
    assert rules[2]["seen"] == 4
    bad = requests.post(admin.base_url + "/_emulator/faults", json=[{"fault": "418", "path": "x"}], timeout=5)
    assert bad.status_code == 400


def test_faults_before_and_after_the_write(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    okta_emulator.set_faults([{"method": "POST", "path": "^/api/v1/groups$", "fault": "500"}])
    assert admin.post(admin.base_url + GROUPS, json={"profile": {"name": "Lost"}}).status_code == 500
    assert admin.get(admin.base_url + GROUPS, params={"q": "Lost"}).json() == []  # not executed
    okta_emulator.set_faults([{"method": "POST", "path": "^/api/v1/groups$", "fault": "reset", "after_write": True}])
    with pytest.raises(requests.exceptions.ConnectionError):
        admin.post(admin.base_url + GROUPS, json={"profile": {"name": "Executed"}})
    assert len(admin.get(admin.base_url + GROUPS, params={"q": "Executed"}).json()) == 1  # executed, answer lost
    with pytest.raises(ValueError):
        from okta_emulator.faults import parse_rule  # pylint: disable=import-outside-toplevel
        parse_rule({"fault": "latency", "path": "x", "after_write": True})


def test_request_log_stats_and_settings(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    emulator = okta_emulator
    admin.get(admin.base_url + GROUPS)
    groups = admin.get(admin.base_url + GROUPS).json()
    admin.get(admin.base_url + GROUPS + "/" + groups[0]["id"])
    log = emulator.log()
    assert set(log[0]) >= {"seq", "method", "path", "query", "status", "principal", "bucket", "ts", "duration_ms"}
    assert log[0]["principal"].startswith("user:00u") and log[0]["bucket"] == "/api/v1/groups"
    assert [entry["seq"] for entry in emulator.log(since=log[0]["seq"])] == [log[1]["seq"], log[2]["seq"]]
    stats = emulator.stats()
    assert stats["GET /api/v1/groups"] == {"200": 2} and stats["GET /api/v1/groups/{groupId}"] == {"200": 1}
    assert requests.post(admin.base_url + "/_emulator/settings", json={"latency_ms": "slow"}, timeout=5).status_code == 400
    assert requests.post(admin.base_url + "/_emulator/settings", json={"nope": 1}, timeout=5).status_code == 400
    emulator.settings(latency_ms=200)
    started = time.monotonic()
    admin.get(admin.base_url + GROUPS)
    assert time.monotonic() - started >= 0.2
    health = requests.get(admin.base_url + "/_emulator/health", timeout=5).json()
    assert health["status"] == "ok" and health["settings"]["latency_ms"] == 200
    emulator.reset()
    assert emulator.settings()["latency_ms"] == 0
    assert requests.get(admin.base_url + "/_emulator/nothing", timeout=5).status_code == 404


def test_reset_restores_the_seed(okta_emulator: RunningEmulator, admin: AdminSession) -> None:
    before = okta_emulator.state()
    admin.post(admin.base_url + GROUPS, json={"profile": {"name": "Temporary"}})
    okta_emulator.reset()
    after = okta_emulator.state()
    assert len(after["groups"]) == len(before["groups"]) == 10


def test_state_file_persists_between_runs(tmp_path: object) -> None:
    state_file = os.path.join(str(tmp_path), "org.json")
    headers = {"Authorization": "SSWS emulator-admin-token"}
    with start_emulator(seed="demo", state_file=state_file) as first:
        created = requests.post(first.url + GROUPS, headers=headers, json={"profile": {"name": "Persistent"}}, timeout=5).json()
        org_id = first.state()["org_id"]
    assert json.load(open(state_file, encoding="utf-8"))["groups"][created["id"]]["profile"]["name"] == "Persistent"
    with start_emulator(seed="demo", state_file=state_file) as second:
        assert second.state()["org_id"] == org_id
        assert requests.get(second.url + GROUPS + "/" + created["id"], headers=headers, timeout=5).status_code == 200


@pytest.mark.okta_emulator(seed="empty", tls=True, org_host="localhost")
def test_tls_with_the_written_ca(okta_emulator: RunningEmulator) -> None:
    url = okta_emulator.url
    assert url.startswith("https://127.0.0.1:")
    headers = {"Authorization": "SSWS emulator-admin-token"}
    response = requests.get(url + GROUPS, headers=headers, verify=okta_emulator.ca_path, timeout=5)
    assert response.status_code == 200 and response.json()[0]["_links"]["users"]["href"].startswith("https://localhost:")
    by_name = url.replace("127.0.0.1", "localhost")
    assert requests.get(by_name + GROUPS, headers=headers, verify=okta_emulator.ca_path, timeout=5).status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + GROUPS, headers=headers, timeout=5)
    assert okta_emulator.state()["org_url"].startswith("https://localhost:")


def test_command_line() -> None:
    environment = {**os.environ, "PYTHONPATH": EMULATOR_DIR}
    help_text = subprocess.run([sys.executable, "-m", "okta_emulator", "--help"], env=environment, capture_output=True, text=True,
                               check=True).stdout
    for option in ("--host", "--port", "--tls", "--ca-out", "--admin-token", "--readonly-token", "--org-admin-token", "--seed", "--groups",
                   "--state-file", "--latency-ms", "--faults", "--rate-limits", "--concurrency-limit", "--consistency-delay",
                   "--public-client-app-admins", "--no-api-access-management", "--org-host", "--ready-file", "--zluri-api-key"):
        assert option in help_text, option
    refused = subprocess.run([sys.executable, "-m", "okta_emulator", "--host", "0.0.0.0"], env=environment, capture_output=True,
                             text=True, check=False)
    assert refused.returncode != 0 and "loopback" in refused.stderr
    with subprocess.Popen([sys.executable, "-m", "okta_emulator", "--seed", "empty"], env=environment, stdout=subprocess.PIPE,
                          text=True) as process:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("OKTA_EMULATOR_URL=http://127.0.0.1:")
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_shell_harness_start_and_stop(tmp_path: object) -> None:
    environment = {**os.environ, "PYTHONPATH": EMULATOR_DIR}
    pidfile, urlfile = os.path.join(str(tmp_path), "pid"), os.path.join(str(tmp_path), "url")
    faults = os.path.join(str(tmp_path), "faults.json")
    with open(faults, "w", encoding="utf-8") as stream:
        json.dump([{"path": "^/api/v1/org$", "fault": "503"}], stream)
    started = subprocess.run([sys.executable, "-m", "okta_emulator.harness", "start", "--pidfile", pidfile, "--urlfile", urlfile,
                              "--seed", "empty", "--admin-token", "shell-token", "--faults", faults], env=environment,
                             capture_output=True, text=True, check=True)
    url = open(urlfile, encoding="utf-8").read().strip()
    pid = int(open(pidfile, encoding="utf-8").read())
    assert started.stdout.strip() == url
    try:
        assert requests.get(url + "/api/v1/users", headers={"Authorization": "SSWS shell-token"}, timeout=5).status_code == 200
        assert requests.get(url + "/api/v1/org", headers={"Authorization": "SSWS shell-token"}, timeout=5).status_code == 503
    finally:
        subprocess.run([sys.executable, "-m", "okta_emulator.harness", "stop", "--pidfile", pidfile], env=environment, check=True)
    assert not os.path.exists(pidfile)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the emulator is still running")
