# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The zluri_okta role run as AWX runs a job template, and what AWX would show of it.

Each job gets a fresh private data dir, as AWX builds one per job:
  project/site.yml       imports saasops.okta_m2m.site (the job template's playbook)
  inventory/hosts.yml    one Okta org (a host of okta_orgs) with non-secret variables only
  env/envvars            exactly the environment the credentials' env injectors produce (rendered here from
                         extensions/awx/credential_types/*.yml the way AWX renders them), nothing else
and is run with `python -m ansible_runner run <dir> -p site.yml --ident <job>`, with no OKTA_* or ZLURI_*
variable in the parent environment. Then the job events, the stats, the set_stats artefact (the
playbook_on_stats event's artifact_data, which AWX stores as the job's artifacts) and the emulator's request
log are checked, and every output of the job is searched for the secrets.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import ssl
import stat
import subprocess
import sys
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import urlsafe_b64encode
from hashlib import sha256
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

import awx_credential_type

# The first host of the inventory docs/awx.md gives, which the jobs run as written.
HOST = "acme-prod"
TOKEN_PATH = "/oauth2/v1/token"
DOCS_INVENTORY_MARK = "<!-- awx-inventory:"
# A JWT (access token, client assertion, DPoP proof): none may ever be printed or stored.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}")
TYPES = ("okta_admin_token", "okta_admin_oauth", "zluri_api_key", "zluri_okta_app_key")
# Every variable the modules fall back to (plugins/doc_fragments/okta.py, zluri_connection).
MODULE_ENV = ("OKTA_ORG_URL", "OKTA_API_TOKEN", "OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY", "OKTA_PRIVATE_KEY_PATH", "OKTA_PRIVATE_KEY_ID",
              "OKTA_SCOPES", "ZLURI_API_KEY", "ZLURI_OKTA_APP_PRIVATE_KEY", "ZLURI_OKTA_APP_NEXT_PRIVATE_KEY")


class JobCheckError(AssertionError):
    pass


def check(condition: bool, msg: str) -> None:
    if not condition:
        raise JobCheckError(msg)


class Emulator:
    def __init__(self, url: str, ca_path: str, admin_token: str) -> None:
        self.url = url.rstrip("/")
        self.context = ssl.create_default_context(cafile=ca_path)
        self.admin_token = admin_token

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, context=self.context, timeout=30) as response:
            return json.load(response)

    def last_seq(self) -> int:
        return max((entry["seq"] for entry in self.get("/_emulator/log")), default=0)

    def log_since(self, seq: int) -> list[dict[str, Any]]:
        return self.get("/_emulator/log?since=%d" % seq)

    def zluri_app_id(self) -> str:
        apps = [app for app in self.get("/_emulator/state")["apps"].values() if app["label"] == "Zluri"]
        check(len(apps) == 1, "expected one Zluri app in the org, found %d" % len(apps))
        return apps[0]["id"]

    def app_keys(self, app_id: str, status: str) -> dict[str, dict[str, Any]]:
        """The app's keys with this status, by kid, as Okta's key list holds them."""
        request = urllib.request.Request(self.url + "/api/v1/apps/%s/credentials/jwks" % app_id,
                                         headers={"Authorization": "SSWS " + self.admin_token, "Accept": "application/json"})
        with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
            return {key["kid"]: key for key in json.load(response) if key["status"] == status}

    def delete_app(self, app_id: str) -> None:
        """What an admin does by hand in the console: deactivate the app, then delete it."""
        for method, path in (("POST", "/api/v1/apps/%s/lifecycle/deactivate" % app_id), ("DELETE", "/api/v1/apps/%s" % app_id)):
            request = urllib.request.Request(self.url + path, method=method, headers={"Authorization": "SSWS " + self.admin_token})
            with urllib.request.urlopen(request, context=self.context, timeout=30):
                pass

    def writes_since(self, seq: int) -> list[tuple[str, str]]:
        """Write calls to Okta since seq (token requests and the Zluri stub aside)."""
        return [(entry["method"], entry["path"]) for entry in self.log_since(seq)
                if entry["method"] not in ("GET", "HEAD") and entry["path"] != TOKEN_PATH and not entry["path"].startswith("/zluri/")]

    def token_status(self, client_id: str, pem: str) -> int:
        """The token endpoint's answer to the app's client credentials signed with this key, as Zluri asks for a token."""
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        now = int(time.time())
        assertion = jwt.encode({"iss": client_id, "sub": client_id, "aud": self.url + TOKEN_PATH, "iat": now, "exp": now + 300,
                                "jti": secrets.token_hex(16)}, key, algorithm="RS256", headers={"kid": thumbprint(key)})
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "okta.users.read",
                                       "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                       "client_assertion": assertion}).encode("ascii")
        request = urllib.request.Request(self.url + TOKEN_PATH, data=body, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def thumbprint(key: Any) -> str:
    """The RFC 7638 thumbprint of an RSA key, the kid the role registers a key under."""
    numbers = key.public_key().public_numbers()

    def b64(value: int) -> str:
        return urlsafe_b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).decode("ascii").rstrip("=")

    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"), sort_keys=True)
    return urlsafe_b64encode(sha256(canonical.encode("ascii")).digest()).decode("ascii").rstrip("=")


def docs_inventory(collection: str) -> str:
    """The inventory of docs/awx.md section 4, as written (the YAML block after its marker)."""
    with open(os.path.join(collection, "docs", "awx.md"), encoding="utf-8") as handle:
        text = handle.read()
    match = re.search(re.escape(DOCS_INVENTORY_MARK) + r"[^\n]*\n```yaml\n(.*?)```", text, re.S)
    check(match is not None, "docs/awx.md has no inventory block after %s" % DOCS_INVENTORY_MARK)
    return match.group(1)


def write(path: str, content: str, mode: int = 0o600) -> None:
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.chmod(path, mode)


def secret_needles(secrets: list[str]) -> list[str]:
    """Each secret, and each line of a multi-line one (a PEM body line alone must not appear either)."""
    needles: list[str] = []
    for secret in secrets:
        for needle in [secret] + [line.strip() for line in secret.splitlines() if len(line.strip()) >= 16 and "-----" not in line]:
            if needle not in needles:
                needles.append(needle)
    return needles


def leaks(text: str, needles: list[str]) -> list[str]:
    found = ["a secret of %d characters" % len(needle) for needle in needles if needle and needle in text]
    found.extend("a JWT (%s...)" % match.group(0)[:12] for match in JWT.finditer(text))
    return found


SITE_PLAYBOOK = "---\n- name: The job template's playbook\n  ansible.builtin.import_playbook: saasops.okta_m2m.site\n"


class Job:
    """One AWX job: a private data dir of its own and, as a fresh container has, a HOME of its own (home=None), or the
    HOME of a machine that keeps its files between runs (a laptop)."""

    def __init__(self, workdir: str, ident: str, envvars: dict[str, str], inventory: str, extra_vars: dict[str, Any] | None = None,
                 home: str | None = None, check_mode: bool = False, playbook: str = SITE_PLAYBOOK) -> None:
        self.ident = ident
        self.private_data_dir = os.path.join(workdir, "jobs", ident)
        self.artifact_dir = os.path.join(self.private_data_dir, "artifacts", ident)
        self.home = home or os.path.join(self.private_data_dir, "home")
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        self.envvars = dict(envvars, HOME=self.home)
        self.check_mode = check_mode
        write(os.path.join(self.private_data_dir, "project", "site.yml"), playbook, 0o644)
        write(os.path.join(self.private_data_dir, "inventory", "hosts.yml"), inventory, 0o644)
        write(os.path.join(self.private_data_dir, "env", "extravars"), json.dumps(extra_vars or {}, indent=2) + "\n")
        write(os.path.join(self.private_data_dir, "env", "envvars"), json.dumps(self.envvars, indent=2) + "\n")
        self.stdout = ""
        self.status = ""
        self.events: list[dict[str, Any]] = []

    def run(self, expect_success: bool = True) -> None:
        parent_env = {key: value for key, value in os.environ.items() if not key.startswith(("OKTA_", "ZLURI_"))}
        command = [sys.executable, "-m", "ansible_runner", "run", self.private_data_dir, "-p", "site.yml", "--ident", self.ident,
                   "--limit", HOST]
        if self.check_mode:
            command += ["--cmdline", "--check --diff"]
        print("job %s: %s" % (self.ident, " ".join(command)), flush=True)
        process = subprocess.run(command, env=parent_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=900, check=False)
        self.stdout = process.stdout
        print(self.stdout, flush=True)
        for path in glob.glob(os.path.join(self.artifact_dir, "job_events", "*.json")):
            with open(path, encoding="utf-8") as handle:
                self.events.append(json.load(handle))
        self.events.sort(key=lambda event: event["counter"])
        with open(os.path.join(self.artifact_dir, "status"), encoding="utf-8") as handle:
            self.status = handle.read().strip()
        if expect_success:
            check(process.returncode == 0 and self.status == "successful",
                  "job %s: ansible-runner exited %d with status %s" % (self.ident, process.returncode, self.status))
        else:
            check(self.status == "failed", "job %s: expected the job to fail, its status is %s" % (self.ident, self.status))

    def failure(self) -> str:
        """The message of the task that failed the job."""
        failed = [data.get("res", {}).get("msg", "") for data in self.event_data("runner_on_failed") if not data.get("ignore_errors")]
        check(len(failed) == 1, "job %s: expected one failed task, found %d" % (self.ident, len(failed)))
        return str(failed[0])

    def event_data(self, event_type: str) -> list[dict[str, Any]]:
        """The event_data of the job's callback events of one type. ansible-runner also turns every line Ansible prints
        outside its callback (a warning at start-up, say) into an event without event_data: none of those is a task
        or stats event, so they are passed over, not misread."""
        return [event["event_data"] for event in self.events if event.get("event") == event_type and "event_data" in event]

    @property
    def stats(self) -> dict[str, Any]:
        stats = self.event_data("playbook_on_stats")
        check(len(stats) == 1, "job %s: expected one playbook_on_stats event, found %d" % (self.ident, len(stats)))
        return stats[0]

    def step_results(self) -> dict[str, str]:
        """Each module task's outcome by module, as AWX shows it: one job event per task (ok, changed, skipped, failed)."""
        outcomes: dict[str, str] = {}
        for kind, outcome in (("runner_on_ok", "ok"), ("runner_on_skipped", "skipped"), ("runner_on_failed", "failed")):
            for data in self.event_data(kind):
                action = str(data.get("task_action") or "")
                if action.startswith("saasops.okta_m2m."):
                    changed = kind == "runner_on_ok" and data.get("res", {}).get("changed")
                    outcomes.setdefault(action.rsplit(".", maxsplit=1)[-1], "changed" if changed else outcome)
        return outcomes

    def changed_tasks(self) -> list[str]:
        """The names of the tasks that changed something, as AWX's job events show them, one event per task."""
        return [str(data.get("task", "?")) for data in self.event_data("runner_on_ok") if data.get("res", {}).get("changed")]

    def check_converged(self, expect_changed: bool) -> None:
        stats = self.stats
        check(not stats["failures"] and not stats["dark"], "job %s: failures %s, unreachable %s" % (self.ident, stats["failures"], stats["dark"]))
        check(stats["ok"].get(HOST, 0) > 0, "job %s: no task ran on %s" % (self.ident, HOST))
        changed = stats["changed"].get(HOST, 0)
        if expect_changed:
            check(changed > 0, "job %s: expected changes, the stats report none" % self.ident)
        else:
            check(changed == 0 and not self.changed_tasks(),
                  "job %s: expected no change, changed: %s" % (self.ident, self.changed_tasks()))

    def check_artifact(self, emulator: Emulator) -> dict[str, Any]:
        """What AWX shows as the job's artifacts: set_stats data, as the playbook_on_stats event carries it."""
        artifact = self.stats["artifact_data"]
        check(set(artifact) == {"zluri_okta"} and set(artifact["zluri_okta"]) == {HOST},
              "job %s: artifact_data should be zluri_okta.%s, is %s" % (self.ident, HOST, sorted(artifact)))
        summary = artifact["zluri_okta"][HOST]
        app_id = emulator.zluri_app_id()
        form = summary["zluri_form"]
        check(summary["client_id"] == app_id == form["Client ID"],
              "job %s: artefact client_id %r is not the Zluri app's id" % (self.ident, summary["client_id"]))
        check(summary["org_url"].rstrip("/") == emulator.url == form["Base URL"], "job %s: artefact org_url %r" % (self.ident, summary["org_url"]))
        check(summary["verified"] is True and summary["key_id"] == form["Key ID"],
              "job %s: artefact should say verified and name the key id: %s" % (self.ident, summary))
        active = emulator.app_keys(app_id, "ACTIVE")
        check(form["Key ID"] in active and form["Modulus"] == active[form["Key ID"]]["n"] and form["Exponent"] == active[form["Key ID"]]["e"],
              "job %s: Zluri's form in the artefact must hold an ACTIVE key of the app with its modulus and exponent" % self.ident)
        check(sorted(form) == ["Base URL", "Client ID", "Exponent", "Key ID", "Modulus"] and "PRIVATE KEY" not in json.dumps(artifact),
              "job %s: the artefact carries every value of Zluri's form but the private key: %s" % (self.ident, sorted(form)))
        return summary

    def check_no_secrets(self, needles: list[str]) -> None:
        """No secret in the output, the events, the stats or any other artefact; ansible-runner's `command` file
        records the process environment (so the injected credentials) by design: it must be private (0600) and
        hold them nowhere else than in its env."""
        problems = ["stdout: %s" % leak for leak in leaks(self.stdout, needles)]
        for root, _dirs, files in os.walk(self.private_data_dir):
            for name in files:
                path = os.path.join(root, name)
                relative = os.path.relpath(path, self.private_data_dir)
                if relative == os.path.join("env", "envvars"):
                    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "env/envvars must be 0600")
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
                if relative == os.path.join("artifacts", self.ident, "command"):
                    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "%s must be 0600" % relative)
                    record = json.loads(text)
                    check(all(record["env"].get(key) == value for key, value in self.envvars.items()),
                          "job %s: ansible-runner did not run with the injected environment" % self.ident)
                    record.pop("env")
                    text = json.dumps(record)
                problems.extend("%s: %s" % (relative, leak) for leak in leaks(text, needles))
        check(not problems, "job %s: secrets found: %s" % (self.ident, "; ".join(problems)))


CHECK_THEN_CONVERGE = """---
- name: A play of the user's own, the health check first, then the converge
  hosts: okta_orgs
  connection: local
  gather_facts: false
  tasks:
    - name: Check the org, and go on if it drifted
      block:
        - name: Health check
          ansible.builtin.include_role:
            name: saasops.okta_m2m.zluri_okta
            tasks_from: verified
      rescue:
        - name: Say the check failed
          ansible.builtin.debug:
            msg: the health check failed; converging

    - name: Converge
      ansible.builtin.include_role:
        name: saasops.okta_m2m.zluri_okta
        tasks_from: present
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--collection", required=True, help="the collection root (credential types in extensions/awx, docs/awx.md)")
    parser.add_argument("--url", required=True, help="the emulator's URL")
    parser.add_argument("--ca", required=True, help="the emulator's CA certificate")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--inputs", required=True, help="JSON: the credentials' inputs, by credential type file name")
    parser.add_argument("--next-key", required=True, help="the Zluri app's next private key (PEM file), for the rotation")
    args = parser.parse_args()

    check(not set(MODULE_ENV) & set(os.environ), "the test's own environment must hold none of %s" % ", ".join(MODULE_ENV))
    type_dir = os.path.join(args.collection, "extensions", "awx", "credential_types")
    shipped = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(type_dir, "*.yml")))
    check(shipped == sorted(TYPES), "credential types shipped: %s" % shipped)
    types = {name: awx_credential_type.load(os.path.join(type_dir, name + ".yml")) for name in TYPES}
    check(len({ctype["name"] for ctype in types.values()}) == len(TYPES), "credential type names must differ")
    with open(args.inputs, encoding="utf-8") as handle:
        inputs = json.load(handle)
    with open(args.next_key, encoding="utf-8") as handle:
        next_pem = handle.read()
    old_pem = inputs["zluri_okta_app_key"]["private_key"]

    def environment(*names: str, app_key: dict[str, str] | None = None) -> dict[str, str]:
        env: dict[str, str] = {}
        for name in names:
            given = app_key if name == "zluri_okta_app_key" and app_key is not None else inputs[name]
            injected = awx_credential_type.inject_env(types[name], given)
            check(not set(injected) & set(env), "two credentials of one job set the same variable")
            env.update(injected)
        return env

    token_env = environment("okta_admin_token", "zluri_api_key", "zluri_okta_app_key")
    oauth_env = environment("okta_admin_oauth", "zluri_api_key", "zluri_okta_app_key")
    check(oauth_env["OKTA_SCOPES"] == "" and oauth_env["OKTA_PRIVATE_KEY"].startswith("-----BEGIN"),
          "an empty optional field must inject an empty variable, the PEM must be injected whole")
    rotating_env = environment("okta_admin_token", "zluri_api_key", "zluri_okta_app_key", app_key={"private_key": old_pem, "next_private_key": next_pem})
    new_key_env = environment("okta_admin_token", "zluri_api_key", "zluri_okta_app_key", app_key={"private_key": next_pem, "next_private_key": ""})

    emulator = Emulator(args.url, args.ca, inputs["okta_admin_token"]["api_token"])
    inventory = docs_inventory(args.collection)
    # What the test adds to docs/awx.md's job: the emulator's CA, and its Zluri stub for the evidence check.
    test_vars = {"zluri_okta_ca_path": args.ca, "zluri_okta_zluri_api_url": emulator.url + "/zluri"}
    needles = secret_needles([secret for name in TYPES for secret in awx_credential_type.secrets(types[name], inputs[name])] + [next_pem])
    jobs = 0

    def job(ident: str, env: dict[str, str], expect: str, **options: Any) -> Job:
        """Run one job in a fresh container; expect is "changed", "unchanged" or "refused" (failed before any Okta write)."""
        nonlocal jobs
        jobs += 1
        mark = emulator.last_seq()
        extra = dict(test_vars, **options.pop("extra_vars", {}))
        ran = Job(args.workdir, ident, env, inventory, extra, **options)
        ran.run(expect_success=expect != "refused")
        writes = emulator.writes_since(mark)
        if expect == "changed":
            ran.check_converged(expect_changed=True)
        else:
            check(not writes, "job %s wrote to Okta: %s" % (ident, writes))
        if expect == "unchanged":
            ran.check_converged(expect_changed=False)
        ran.check_no_secrets(needles)
        check(not glob.glob(os.path.join(ran.home, "**", "*.pem"), recursive=True), "job %s wrote a key file: keys come from the credential" % ident)
        return ran

    # The org is new: the token credential converges it, the Zluri app's key from its credential.
    converge = job("converge", token_env, "changed")
    first = converge.check_artifact(emulator)
    check(converge.step_results() == {"okta_preflight": "ok", "okta_app_jwk": "ok", "okta_service_app": "changed", "okta_admin_role": "changed",
                                      "okta_resource_set": "changed", "okta_scope_grant": "changed", "okta_role_assignment": "changed",
                                      "zluri_connection": "ok"},
          "each step of Zluri's guide is a task of its own in the job's events: %s" % converge.step_results())
    check(first["phase"] == "new values for Zluri" and first["manual_action_required"], "the first job hands off: %s" % first)
    # Each later job is a fresh container too: nothing of the first is left, and nothing changes.
    again = job("rerun", token_env, "unchanged").check_artifact(emulator)
    check(again["phase"] == "converged" and not again["manual_action_required"] and again["zluri_form"] == first["zluri_form"],
          "a converged org needs nothing in Zluri: %s" % again)
    job("oauth-rerun", oauth_env, "unchanged").check_artifact(emulator)
    job("check-mode", token_env, "unchanged", check_mode=True)

    app_id = emulator.zluri_app_id()
    old_kid, new_kid = first["key_id"], thumbprint(serialization.load_pem_private_key(next_pem.encode("ascii"), password=None))
    started = job("rotation-start", rotating_env, "changed", extra_vars={"zluri_okta_rotation": "start"}).check_artifact(emulator)
    check(sorted(emulator.app_keys(app_id, "ACTIVE")) == sorted([old_kid, new_kid]), "start: the old and the new key are ACTIVE")
    check(started["phase"] == "rotation started" and started["key_id"] == new_kid and started["manual_action_required"],
          "start hands the new key over: %s" % started)

    # Finish launched before the credential's next key was filled in: refused before any write, and the key Zluri
    # was handed at start still works.
    refused = job("finish-without-next-key", token_env, "refused", extra_vars={"zluri_okta_rotation": "finish"}).failure()
    check(new_kid in refused and "zluri_okta_new_key_content" in refused and "Next private key" in refused,
          "the refusal names the handed-over key and where to give it: %s" % refused)
    check(sorted(emulator.app_keys(app_id, "ACTIVE")) == sorted([old_kid, new_kid]), "the refused finish retired nothing")
    check(emulator.token_status(app_id, next_pem) == 200, "the new key gets a token after the refused finish")

    finished = job("rotation-finish", rotating_env, "changed", extra_vars={"zluri_okta_rotation": "finish"}).check_artifact(emulator)
    check(list(emulator.app_keys(app_id, "ACTIVE")) == [new_kid] and list(emulator.app_keys(app_id, "INACTIVE")) == [old_kid],
          "finish: the new key is the only ACTIVE key, the old one is kept INACTIVE")
    check(finished["phase"] == "rotation finished" and not finished["manual_action_required"], "finish: nothing left in Zluri: %s" % finished)
    check(emulator.token_status(app_id, old_pem) in (400, 401), "a token signed with the retired key is refused")

    # A scheduled job whose credential still holds the old key: refused before any write, the old key stays retired.
    stale = job("stale-credential", token_env, "refused").failure()
    check(old_kid in stale and "retired" in stale and "zluri_okta_reactivate_retired_key" in stale,
          "the refusal names the retired key and the way forward: %s" % stale)
    check(old_kid not in emulator.app_keys(app_id, "ACTIVE") and emulator.token_status(app_id, old_pem) in (400, 401),
          "the retired key never becomes ACTIVE again")
    job("new-key-rerun", new_key_env, "unchanged").check_artifact(emulator)

    # The app deleted by hand; a play of the user's own runs the health check (it fails: no app), rescues it and
    # converges. What it publishes names the new app, never the old one.
    emulator.delete_app(app_id)
    ran = job("check-then-converge", new_key_env, "changed", playbook=CHECK_THEN_CONVERGE)
    published = ran.stats["artifact_data"]
    new_app_id = emulator.zluri_app_id()
    check(new_app_id != app_id and published["zluri_okta"][HOST]["client_id"] == new_app_id
          and published["zluri_okta"][HOST]["zluri_form"]["Client ID"] == new_app_id and app_id not in json.dumps(published["zluri_okta"]),
          "the converge publishes the app it made (%s), not what the health check saw: %s" % (new_app_id, published))
    print("zluri_okta through ansible-runner: %d jobs, each in a fresh HOME; converge, re-runs unchanged (token, OAuth, check mode), "
          "a rotation whose finish without the next key and whose stale credential are refused before any write, "
          "artefacts naming the new app after a health check; no secret in any output" % jobs)


if __name__ == "__main__":
    main()
