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
import urllib.request
from typing import Any

import awx_credential_type

HOST = "acme-emulator"
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
    def __init__(self, url: str, ca_path: str) -> None:
        self.url = url.rstrip("/")
        self.context = ssl.create_default_context(cafile=ca_path)

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


class Job:
    def __init__(self, workdir: str, ident: str, envvars: dict[str, str], host_vars: dict[str, Any]) -> None:
        self.ident = ident
        self.private_data_dir = os.path.join(workdir, "jobs", ident)
        self.artifact_dir = os.path.join(self.private_data_dir, "artifacts", ident)
        self.envvars = envvars
        write(os.path.join(self.private_data_dir, "project", "site.yml"),
              "---\n- name: The job template's playbook\n  ansible.builtin.import_playbook: saasops.okta_m2m.site\n", 0o644)
        write(os.path.join(self.private_data_dir, "inventory", "hosts.yml"),
              json.dumps({"okta_orgs": {"hosts": {HOST: host_vars}}}, indent=2) + "\n", 0o644)
        write(os.path.join(self.private_data_dir, "env", "envvars"), json.dumps(envvars, indent=2) + "\n")
        self.stdout = ""
        self.events: list[dict[str, Any]] = []

    def run(self) -> None:
        parent_env = {key: value for key, value in os.environ.items() if not key.startswith(("OKTA_", "ZLURI_"))}
        command = [sys.executable, "-m", "ansible_runner", "run", self.private_data_dir, "-p", "site.yml", "--ident", self.ident]
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
            status = handle.read().strip()
        check(process.returncode == 0 and status == "successful",
              "job %s: ansible-runner exited %d with status %s" % (self.ident, process.returncode, status))

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

    def changed_tasks(self) -> list[str]:
        """The names of the tasks that changed something; for an okta_chain task, of its steps that did."""
        changed = []
        for data in self.event_data("runner_on_ok"):
            result = data.get("res", {})
            if not result.get("changed"):
                continue
            steps = [timing["name"] for timing in result.get("timings", []) if result["steps"].get(timing["register"] or "", {}).get("changed")]
            changed.extend(steps or [data.get("task", "?")])
        return changed

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
        check(summary["client_id"] == emulator.zluri_app_id(), "job %s: artefact client_id %r is not the Zluri app's id" % (self.ident, summary["client_id"]))
        check(summary["org_url"].rstrip("/") == emulator.url, "job %s: artefact org_url %r" % (self.ident, summary["org_url"]))
        check(summary["verified"] is True and summary["manual_action_required"] is True and summary["key_id"],
              "job %s: artefact should say verified, manual action required, and name the key id: %s" % (self.ident, summary))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--collection", required=True, help="the collection root (credential types in extensions/awx)")
    parser.add_argument("--url", required=True, help="the emulator's URL")
    parser.add_argument("--ca", required=True, help="the emulator's CA certificate")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--inputs", required=True, help="JSON: the credentials' inputs, by credential type file name")
    args = parser.parse_args()

    check(not set(MODULE_ENV) & set(os.environ), "the test's own environment must hold none of %s" % ", ".join(MODULE_ENV))
    type_dir = os.path.join(args.collection, "extensions", "awx", "credential_types")
    shipped = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(type_dir, "*.yml")))
    check(shipped == sorted(TYPES), "credential types shipped: %s" % shipped)
    types = {name: awx_credential_type.load(os.path.join(type_dir, name + ".yml")) for name in TYPES}
    check(len({ctype["name"] for ctype in types.values()}) == len(TYPES), "credential type names must differ")
    with open(args.inputs, encoding="utf-8") as handle:
        inputs = json.load(handle)

    def environment(*names: str) -> dict[str, str]:
        env: dict[str, str] = {}
        for name in names:
            injected = awx_credential_type.inject_env(types[name], inputs[name])
            check(not set(injected) & set(env), "two credentials of one job set the same variable")
            env.update(injected)
        return env

    token_env = environment("okta_admin_token", "zluri_api_key", "zluri_okta_app_key")
    oauth_env = environment("okta_admin_oauth", "zluri_api_key", "zluri_okta_app_key")
    check(oauth_env["OKTA_SCOPES"] == "" and oauth_env["OKTA_PRIVATE_KEY"].startswith("-----BEGIN"),
          "an empty optional field must inject an empty variable, the PEM must be injected whole")

    emulator = Emulator(args.url, args.ca)
    # The hand-off bundle goes to a directory that outlives each job (docs/awx.md); the Zluri app's key does not
    # need one: it comes from the "Zluri Okta App Key" credential.
    output_dir = os.path.join(args.workdir, "orgs", HOST)
    host_vars = {
        "zluri_okta_ca_path": args.ca,
        "zluri_okta_output_dir": output_dir,
        "zluri_okta_zluri_api_url": emulator.url + "/zluri",
    }
    needles = secret_needles([secret for name in TYPES for secret in awx_credential_type.secrets(types[name], inputs[name])])

    # Job 1: the org is new; the token credential converges it, with the Zluri app's key from its credential.
    job = Job(args.workdir, "token-converge", token_env, host_vars)
    job.run()
    job.check_converged(expect_changed=True)
    first = job.check_artifact(emulator)
    job.check_no_secrets(needles)
    check(not glob.glob(os.path.join(output_dir, "*.pem")), "the job must write no key file: the key comes from the credential")

    # Job 2: the same job template again: nothing changes and nothing is written to Okta.
    mark = emulator.last_seq()
    job = Job(args.workdir, "token-rerun", token_env, host_vars)
    job.run()
    job.check_converged(expect_changed=False)
    check(job.check_artifact(emulator) == first, "the artefact of an unchanged re-run must be the same")
    job.check_no_secrets(needles)
    writes = [entry for entry in emulator.log_since(mark) if entry["method"] not in ("GET", "HEAD") and entry["path"] != "/oauth2/v1/token"
              and not entry["path"].startswith("/zluri/")]
    check(not writes, "the re-run wrote to Okta: %s" % [(entry["method"], entry["path"]) for entry in writes])

    # Job 3: the OAuth credential instead of the token: the same org, still nothing to change.
    mark = emulator.last_seq()
    job = Job(args.workdir, "oauth-rerun", oauth_env, host_vars)
    job.run()
    job.check_converged(expect_changed=False)
    check(job.check_artifact(emulator) == first, "the OAuth job must see the same org")
    job.check_no_secrets(needles)
    principals = {str(entry.get("principal")) for entry in emulator.log_since(mark)
                  if not entry["path"].startswith("/zluri/") and entry["path"] != "/oauth2/v1/token"}
    admin_client = inputs["okta_admin_oauth"]["client_id"]
    check(any(admin_client in principal for principal in principals)
          and all(admin_client in principal or first["client_id"] in principal for principal in principals),
          "the OAuth job must call Okta as the admin app (and, for the credential check, as the Zluri app), not as %s" % sorted(principals))

    # Job 4: a fresh container with nothing kept from earlier jobs: the key from the credential is the one on the
    # app, so nothing is written to Okta (only the hand-off bundle, on local disk, is written anew).
    mark = emulator.last_seq()
    job = Job(args.workdir, "fresh-container", token_env, dict(host_vars, zluri_okta_output_dir=os.path.join(args.workdir, "fresh", HOST)))
    job.run()
    check(job.changed_tasks() in ([], ["Verify the credentials as Zluri will use them and write the hand-off bundle"]),
          "job %s: only the local hand-off may change, changed: %s" % (job.ident, job.changed_tasks()))
    fresh = job.check_artifact(emulator)
    where = ("bundle_path", "next_step")  # both name the bundle, which this container writes to its own directory
    check({k: v for k, v in fresh.items() if k not in where} == {k: v for k, v in first.items() if k not in where},
          "the fresh container must see the same org (only where the bundle is may differ): %s vs %s" % (fresh, first))
    job.check_no_secrets(needles)
    writes = [entry for entry in emulator.log_since(mark) if entry["method"] not in ("GET", "HEAD") and entry["path"] != "/oauth2/v1/token"
              and not entry["path"].startswith("/zluri/")]
    check(not writes, "the fresh container wrote to Okta: %s" % [(entry["method"], entry["path"]) for entry in writes])
    print("zluri_okta through ansible-runner: 4 jobs, converged, re-runs unchanged (also from a fresh container), artefact published, "
          "no secret in any output")


if __name__ == "__main__":
    main()
