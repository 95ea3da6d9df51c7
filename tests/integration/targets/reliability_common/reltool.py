# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the reliability_* targets (imported by their drivers; not a test itself).

- Emulators: several at once, each an Okta org on 127.0.0.1, started and stopped by PID (tests/emulator harness).
- WireProxy: a loopback HTTP proxy in front of an emulator that records every credential on the wire (SSWS
  tokens, access tokens, client assertions, DPoP proofs) and can strip the DPoP header from token requests.
- run_playbook(): ansible-playbook with the reliability_recorder callback (every task result as a JSON line).
- org_view(): an org's end state without ids and timestamps, so two orgs converged separately compare equal,
  and a duplicate or an orphan shows up as a difference.
- Checks: assertions that name the case, with known defects reported but not failing CI (RELIABILITY_STRICT=1
  makes them fail, for whoever fixes them).
"""

import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
ZLURI_APP_LABEL = "Zluri"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
TOKEN_PATH = "/oauth2/v1/token"


def collection_root():
    """The collection under test: the ansible-test tree (ANSIBLE_COLLECTIONS_PATH) or this checkout."""
    for base in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        candidate = os.path.join(base, "ansible_collections", "saasops", "okta_m2m")
        if base and os.path.exists(os.path.join(candidate, "galaxy.yml")):
            return candidate
    return os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))


COLLECTION_ROOT = collection_root()
sys.path.insert(0, os.path.join(COLLECTION_ROOT, "tests", "emulator"))
from okta_emulator.harness import start_emulator  # noqa: E402 pylint: disable=wrong-import-position
from okta_fixtures import OrgAdmin, b64url_uint, load_key  # noqa: E402 pylint: disable=wrong-import-position


def log(message):
    print(message, flush=True)


# Emulators.

class Org:
    """One emulated Okta org (an emulator process), optionally reached through a WireProxy."""

    def __init__(self, name, emulator, proxy=None):
        self.name = name
        self.emulator = emulator
        self.proxy = proxy
        self.admin_token = emulator.admin_token
        self.ca_path = emulator.ca_path
        # Setup calls go straight to the emulator; grants name the URL the collection is given (the proxy's, if any).
        self.admin = OrgAdmin(emulator.url, emulator.admin_token, emulator.ca_path, org_url=self.url)

    @property
    def url(self):
        """The org URL the collection is given (the proxy's, when there is one)."""
        return self.proxy.url if self.proxy else self.emulator.url

    def control(self, method, name, payload=None):
        return self.emulator.control(method, name, payload)

    def log(self, since=0):
        return self.emulator.log(since)

    def state(self):
        return self.emulator.state()

    def set_faults(self, rules):
        return self.emulator.set_faults(rules)

    def faults(self):
        return self.control("GET", "faults")

    def settings(self, **changes):
        return self.emulator.settings(**changes)

    def api(self, method, path, body=None, token=None):
        """One Okta API call with the admin SSWS token, straight to the emulator (setup and independent reads)."""
        return self.admin.api(method, path, body, token)

    def stop(self):
        if self.proxy:
            self.proxy.stop()
        self.emulator.stop()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_orgs(names, proxied=False, **options):
    """Start one emulator per name, in parallel; with proxied, each behind its own WireProxy (and --org-host on it)."""
    orgs = {}
    errors = []

    def start(name):
        try:
            emulator_options = dict(options)
            proxy = None
            if proxied:
                proxy_port = free_port()
                emulator_options["org_host"] = "127.0.0.1:%d" % proxy_port
            emulator = start_emulator(**emulator_options)
            if proxied:
                proxy = WireProxy(proxy_port, emulator.url, emulator.ca_path)
            orgs[name] = Org(name, emulator, proxy)
        except Exception as error:  # pylint: disable=broad-exception-caught
            errors.append("%s: %s" % (name, error))

    threads = [threading.Thread(target=start, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        stop_orgs(orgs)
        raise RuntimeError("emulators did not start: %s" % "; ".join(errors))
    return {name: orgs[name] for name in names}


def stop_orgs(orgs):
    threads = [threading.Thread(target=org.stop) for org in orgs.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# The wire proxy.

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding",
               "upgrade", "content-length"}


def assertion_issuer(assertion):
    """The iss claim of a client assertion (read, not verified), or "" for anything else."""
    try:
        payload = assertion.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("iss", "")
    except (IndexError, ValueError, AttributeError):
        return ""


class WireProxy:
    """HTTP on 127.0.0.1:port in front of an emulator; keeps every credential it forwards.

    secrets: SSWS tokens and access tokens (Authorization), DPoP proofs, client assertions, minted access tokens.
    token_answers: (client_id, HTTP status) of every token request, in order.
    strip_token_dpop: drop the DPoP header of token requests, so the emulator mints a Bearer token although the
    client sent a proof (Okta's answer for an app that does not bind tokens; the emulator binds any proof it gets).
    """

    def __init__(self, port, upstream, ca_path=None):
        self.url = "http://127.0.0.1:%d" % port
        self.upstream = urllib.parse.urlsplit(upstream)
        self.context = ssl.create_default_context(cafile=ca_path) if ca_path else None
        self.secrets = set()
        self.token_types = []
        self.token_answers = []
        self.strip_token_dpop = False
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # pylint: disable=invalid-name
                proxy.forward(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def log_message(self, format, *args):  # pylint: disable=redefined-builtin
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    def _keep(self, *values):
        with self._lock:
            self.secrets.update(value for value in values if value and len(value) >= 8)

    def forward(self, handler):
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {name: value for name, value in handler.headers.items() if name.lower() not in _HOP_BY_HOP}
        path = urllib.parse.urlsplit(handler.path).path
        for name, value in headers.items():
            if name.lower() == "authorization":
                self._keep(value.partition(" ")[2].strip())
            elif name.lower() == "dpop":
                self._keep(value)
        if path == TOKEN_PATH:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            self._keep(*form.get("client_assertion", []))
            if self.strip_token_dpop:
                headers = {name: value for name, value in headers.items() if name.lower() != "dpop"}
        if self.upstream.scheme == "https":
            connection = http.client.HTTPSConnection(self.upstream.hostname, self.upstream.port, timeout=120, context=self.context)
        else:
            connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            connection.request(handler.command, handler.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            answer_headers = [(name, value) for name, value in response.getheaders() if name.lower() not in _HOP_BY_HOP]
            status = response.status
        except OSError:
            handler.close_connection = True
            return
        finally:
            connection.close()
        if path == TOKEN_PATH:
            with self._lock:
                self.token_answers.append((assertion_issuer(form.get("client_assertion", [""])[0]), status))
        if path == TOKEN_PATH and payload:
            try:
                minted = json.loads(payload)
            except ValueError:
                minted = {}
            if isinstance(minted, dict) and minted.get("access_token"):
                self._keep(minted["access_token"])
                with self._lock:
                    self.token_types.append(minted.get("token_type"))
        handler.send_response(status)
        for name, value in answer_headers:
            if name.lower() not in ("server", "date"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# Keys (okta_fixtures computes them apart from the collection's code).

def private_key_fragments(path):
    """What of a private key must never leave its file: the PEM body lines and the private JWK members."""
    with open(path, "rb") as stream:
        data = stream.read()
    lines = [line.strip() for line in data.decode("ascii").splitlines() if line.strip() and not line.startswith("-----")]
    numbers = load_key(path).private_numbers()
    members = [b64url_uint(value) for value in (numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1, numbers.iqmp)]
    # A 64-character PEM line is distinctive; so is any 40-character piece of a private member.
    return [line for line in lines if len(line) >= 40] + [member[:40] for member in members]


# Playbook runs.

def write_inventory(path, hosts, common=None):
    """A YAML (JSON) inventory: one host per org, every host on the controller with this Python."""
    data = {"all": {"hosts": hosts, "vars": dict({"ansible_connection": "local",
                                                  "ansible_python_interpreter": sys.executable}, **(common or {}))}}
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=1, sort_keys=True)
    return path


def playbook_env(workdir, record, extra=None):
    env = dict(os.environ)
    plugins = [os.path.join(HERE, "callback_plugins")] + [p for p in env.get("ANSIBLE_CALLBACK_PLUGINS", "").split(os.pathsep) if p]
    enabled = [c for c in env.get("ANSIBLE_CALLBACKS_ENABLED", "").split(",") if c.strip()] + ["reliability_recorder"]
    env.update({
        "ANSIBLE_CALLBACK_PLUGINS": os.pathsep.join(plugins),
        "ANSIBLE_CALLBACKS_ENABLED": ",".join(enabled),
        "RELIABILITY_RECORD": record,
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-tmp", "local"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(workdir, "ansible-tmp", "remote"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
    })
    env.update(extra or {})
    return env


def playbook_command(playbook, inventory, forks, args):
    return ["ansible-playbook", "-i", inventory, "-f", str(forks), os.path.join(HERE, playbook) if not os.path.isabs(playbook) else playbook] \
        + list(args)


class Run:
    """One ansible-playbook run: exit code, output files, and the recorded results."""

    def __init__(self, name, workdir):
        self.name = name
        self.record = os.path.join(workdir, "%s.results.jsonl" % name)
        self.stdout_path = os.path.join(workdir, "%s.stdout" % name)
        self.stderr_path = os.path.join(workdir, "%s.stderr" % name)
        self.rc = None
        self.seconds = None
        for path in (self.record, self.stdout_path, self.stderr_path):
            if os.path.exists(path):
                os.unlink(path)

    def entries(self):
        if not os.path.exists(self.record):
            return []
        with open(self.record, encoding="utf-8") as stream:
            return [json.loads(line) for line in stream if line.strip()]

    def host(self, host):
        return HostRun(host, [entry for entry in self.entries() if entry["host"] == host])

    def output(self):
        with open(self.stdout_path, encoding="utf-8", errors="replace") as out, open(self.stderr_path, encoding="utf-8", errors="replace") as err:
            return out.read() + err.read()


class HostRun:
    """What one host (org) did in a run, from the recorded results."""

    def __init__(self, host, entries):
        self.host = host
        self.entries = entries

    @property
    def results(self):
        return [entry for entry in self.entries if entry["status"] != "start"]

    @property
    def failures(self):
        return [entry for entry in self.results if entry["status"] in ("failed", "unreachable")]

    @property
    def ok(self):
        return bool(self.results) and not self.failures

    def failure_message(self):
        if not self.failures:
            return ""
        entry = self.failures[0]
        return "%s: %s" % (entry["task"], entry["result"].get("msg", ""))

    def module_results(self):
        """The result of every module run."""
        return [entry["result"] for entry in self.results if isinstance(entry["result"].get("api_calls"), dict)]

    def api_calls(self):
        """Summed api_calls of every module result: calls, writes, retries, seconds waited between attempts."""
        total = {"total": 0, "writes": 0, "retries": 0, "waited_seconds": 0.0}
        for result in self.module_results():
            for key in total:
                total[key] += result["api_calls"].get(key, 0) or 0
        return total

    def result_of(self, step, index=-1):
        """The result of the role's task registered as step (zluri_okta_key, zluri_okta_handoff, ...) in the index-th run
        of the role that ran it."""
        matches = [entry["result"] for entry in self.results if entry.get("register") == step and not entry["result"].get("skipped")]
        return matches[index] if matches else None

    def wall_seconds(self):
        stamps = [entry["ts"] for entry in self.entries]
        return max(stamps) - min(stamps) if stamps else 0.0


def descendants(pid):
    """Every process below pid, found through /proc: ansible-playbook's workers start sessions of their own, so
    killing the play's process group alone leaves them behind."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry, encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def kill_play(process):
    """SIGKILL a play and every process it started (its process group, and workers in sessions of their own)."""
    stragglers = descendants(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in stragglers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def run_playbook(name, workdir, playbook, inventory, args=(), forks=5, env=None, timeout=300):
    """ansible-playbook to completion (bounded by timeout); a Run."""
    run = Run(name, workdir)
    command = playbook_command(playbook, inventory, forks, args)
    started = time.time()
    with open(run.stdout_path, "w", encoding="utf-8") as out, open(run.stderr_path, "w", encoding="utf-8") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=playbook_env(workdir, run.record, env),  # pylint: disable=consider-using-with
                                   start_new_session=True)
        try:
            run.rc = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_play(process)
            run.rc = -9
            log("%s: ansible-playbook killed after %ss" % (name, timeout))
    run.seconds = time.time() - started
    return run


def start_playbook(name, workdir, playbook, inventory, args=(), forks=5, env=None):
    """ansible-playbook in its own process group (to be killed as a whole); (Run, Popen)."""
    run = Run(name, workdir)
    out = open(run.stdout_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
    err = open(run.stderr_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
    process = subprocess.Popen(playbook_command(playbook, inventory, forks, args), stdout=out, stderr=err,  # pylint: disable=consider-using-with
                               env=playbook_env(workdir, run.record, env), start_new_session=True)
    out.close()
    err.close()
    return run, process


# The org's end state, comparable across orgs.

def _orn_key(orn):
    parts = orn.split(":")
    return ":".join([parts[2]] + parts[4:])


def org_view(state, local_kids=()):
    """Everything the collection manages in an org, without ids, timestamps or key material.

    Objects are lists (not sets), so an object that exists twice shows up twice. A key whose kid is one of
    local_kids (this org's key files) reads "local:<n>" (n = its position in local_kids), others keep their kid.
    """
    apps = state["apps"]
    roles = state["roles"]
    sets = state["resource_sets"]
    labels = {}
    for app in apps.values():
        labels["/oauth2/v1/clients/" + str(app.get("document", {}).get("credentials", {}).get("oauthClient", {}).get("client_id") or app["id"])] = \
            "app:" + app["label"]
    local_kids = list(local_kids)

    def kid_view(kid):
        return "local:%d" % local_kids.index(kid) if kid in local_kids else kid

    role_label = {role_id: role["label"] for role_id, role in roles.items()}
    set_label = {set_id: item["label"] for set_id, item in sets.items()}
    view_apps = []
    for app_id, app in sorted(apps.items()):
        oauth = (app.get("document", {}).get("settings") or {}).get("oauthClient") or {}
        client_id = (app.get("document", {}).get("credentials", {}).get("oauthClient") or {}).get("client_id") or app_id
        custom = []
        for set_id, item in sets.items():
            for binding in item["bindings"]:
                for member in binding["members"]:
                    if member["path"] == "/oauth2/v1/clients/" + client_id:
                        custom.append([role_label.get(binding["role_id"], binding["role_id"]), set_label[set_id]])
        view_apps.append({
            "label": app["label"], "name": app["name"], "status": app["status"],
            "application_type": oauth.get("application_type"), "dpop_bound_access_tokens": oauth.get("dpop_bound_access_tokens"),
            "keys": sorted([kid_view(key["material"].get("kid")), key.get("status")] for key in app.get("keys", [])),
            "grants": sorted([grant["scope_id"], grant["issuer"] == state["org_url"]] for grant in state["grants"].values()
                             if grant["app_id"] == app_id),
            "standard_roles": sorted(item["role_type"] for item in state["client_roles"] if item["client_id"] == client_id),
            "custom_roles": sorted(custom),
        })
    view_roles = sorted(({"label": role["label"], "description": role["description"],
                          "permissions": sorted(p["label"] for p in role["permissions"])} for role in roles.values()),
                        key=lambda item: item["label"])
    view_sets = sorted(({"label": item["label"], "description": item["description"],
                         "resources": sorted(_orn_key(r["orn"]) for r in item["resources"]),
                         "bindings": sorted([role_label.get(b["role_id"], b["role_id"]), sorted(labels.get(m["path"], m["path"]) for m in b["members"])]
                                            for b in item["bindings"])} for item in sets.values()),
                       key=lambda item: item["label"])
    return {"apps": sorted(view_apps, key=lambda item: (item["label"], json.dumps(item, sort_keys=True))),
            "roles": view_roles, "resource_sets": view_sets}


def duplicates(view):
    """Objects of the view that exist more than once (by natural key)."""
    found = []
    for kind, key in (("apps", "label"), ("roles", "label"), ("resource_sets", "label")):
        names = [item[key] for item in view[kind]]
        found += ["%s %r x%d" % (kind[:-1], name, names.count(name)) for name in sorted(set(names)) if names.count(name) > 1]
    for app in view["apps"]:
        for kind in ("grants", "standard_roles", "custom_roles", "keys"):
            items = [json.dumps(item) for item in app[kind]]
            found += ["%s of app %r: %s x%d" % (kind, app["label"], item, items.count(item)) for item in sorted(set(items)) if items.count(item) > 1]
    return found


def view_diff(expected, actual):
    """A short description of how two org views differ ('' when equal)."""
    lines = []
    for kind in ("apps", "roles", "resource_sets"):
        exp = [json.dumps(item, sort_keys=True) for item in expected[kind]]
        act = [json.dumps(item, sort_keys=True) for item in actual[kind]]
        for item in act:
            if act.count(item) > exp.count(item):
                lines.append("extra %s: %s" % (kind, item))
        for item in exp:
            if exp.count(item) > act.count(item):
                lines.append("missing %s: %s" % (kind, item))
    return "\n".join(sorted(set(lines)))


def writes_in(entries):
    """Okta write calls of a request log (token requests are reads of a kind: they change nothing in the org)."""
    return [entry for entry in entries if entry["method"] in WRITE_METHODS and entry["path"] != TOKEN_PATH]


# Checks.

class Checks:
    """Collects named checks; known defects are reported as such and fail only with RELIABILITY_STRICT=1.

    A check with known_defect is the correct assertion for a case that a defect (an id in the final report)
    currently breaks: it is evaluated and reported, but does not fail the target, so CI stays green until the owner
    fixes the defect and removes the marker. A known-defect case whose checks all pass is reported, to un-skip it.
    """

    def __init__(self, target):
        self.target = target
        self.failed = []
        self.known = []
        self.passed = 0
        self.known_cases = {}
        self.case_outcomes = {}
        self.started = time.monotonic()
        self.strict = os.environ.get("RELIABILITY_STRICT") == "1"

    def check(self, case, condition, message, known_defect=None):
        self.case_outcomes.setdefault(case, []).append((bool(condition), known_defect))
        if known_defect:
            self.known_cases.setdefault((case, known_defect), []).append(bool(condition))
        if condition:
            self.passed += 1
            return True
        if known_defect and not self.strict:
            first_line = message.splitlines()[0] if message else ""
            self.known.append("%s: %s (KNOWN DEFECT %s)" % (case, first_line[:220], known_defect))
            return False
        self.failed.append("%s: %s" % (case, message))
        log("FAIL %s: %s" % (case, message))
        return False

    def verdict(self, case):
        """'ok', 'KNOWN DEFECT <id>' or 'FAILED' for every check of one case so far."""
        failed = [known for passed, known in self.case_outcomes.get(case, []) if not passed]
        if not failed:
            return "ok"
        if all(failed) and not self.strict:
            return "KNOWN DEFECT " + "/".join(sorted(set(failed)))
        return "FAILED"

    def finish(self):
        log("%s: %d checks passed, %d failed, %d skipped as known defects (%.0f s)"
            % (self.target, self.passed, len(self.failed), len(self.known), time.monotonic() - self.started))
        for line in self.known:
            log("  SKIPPED (known defect)  %s" % line)
        for (case, defect), outcomes in sorted(self.known_cases.items()):
            if all(outcomes):
                log("  NOTE  %s passes every check now: KNOWN DEFECT %s may be fixed; remove its marker" % (case, defect))
        for line in self.failed:
            log("  FAILED  %s" % line)
        return 1 if self.failed else 0


def table(headers, rows):
    """A plain-text table."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(headers, widths)).rstrip(),
             "  ".join("-" * width for width in widths)]
    lines += ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def make_workdir(prefix):
    """A private working directory (0700), removed by the caller's cleanup()."""
    return tempfile.mkdtemp(prefix=prefix)


def cleanup(workdir):
    if os.environ.get("RELIABILITY_KEEP_WORKDIR") == "1":
        log("kept working directory %s" % workdir)
        return
    shutil.rmtree(workdir, ignore_errors=True)


def poll(predicate, timeout, interval=0.2):
    """Wait (bounded) until predicate() is true; its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+")
