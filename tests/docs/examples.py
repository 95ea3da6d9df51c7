# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the documentation as a newcomer would (gate ``docs-examples``): the README's real-org quick start and key
rotation, then every module's EXAMPLES, from the collection installed out of the built tarball, against one Okta
emulator on 127.0.0.1. A doc that drifts from the code fails here, named by its README block or module.

    python tests/docs/examples.py --tarball saasops-okta_m2m-X.tar.gz --workdir DIR --emulator tests/emulator

What is substituted, and nothing else (each substitution must match, so a renamed placeholder fails too):
- README quick start: the git URL and release in ``ansible-galaxy collection install`` become the built tarball (the
  install goes to ANSIBLE_COLLECTIONS_PATH, a scratch directory); the org URL ``https://acme.okta.com`` becomes the
  emulator's; the ``OKTA_API_TOKEN=...`` placeholder becomes the emulator's admin token.
- Module EXAMPLES: the org URL ``https://example.okta.com`` becomes the emulator's; the directory ``/etc/okta/zluri``
  becomes one in the scratch directory; the placeholder client id ``0oa1abcdEFGH`` becomes the Zluri app's (made by
  the quick start); the org id ``00o1example`` in an ORN becomes the emulator org's; the delivery endpoint
  ``https://tickets.internal.example.com`` becomes a local HTTP sink. The variables the examples leave to the
  reader (``okta_api_token``, ``zluri_app``, ``zluri_client_id``, ``ticket_token``, ``zluri_api_key``) are play
  variables, and the connection the tasks without ``org_url`` expect from ``module_defaults`` is given through the
  two action groups (plus ``zluri_api_url``: the emulator's Zluri stub).
- Everywhere: HOME is a scratch directory (the role keeps its keys and bundle in ``~/.zluri-okta``), and the
  emulator's CA is trusted through REQUESTS_CA_BUNDLE, as a proxy's CA would be; no command line changes for it.

Order: the quick start makes the Zluri connection; the rotation replaces its key; the read-only examples read it;
the examples that converge run in ORDER (each builds on what the ones before left); last, the examples that remove
something (``state: absent``) run in the reverse order. Also checked: the admin scopes written in the README,
docs/awx.md, the AWX credential type and its playbook equal what the role's modules ask for, and the sample
hand-off bundle in docs/handoff.md has the shape of the bundle the quick start wrote.
"""
from __future__ import annotations

import argparse
import ast
import glob
import http.server
import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import tarfile
import threading
import urllib.parse
import urllib.request
from typing import Any

import yaml

COLLECTION = "saasops.okta_m2m"
QUICK_START = "<!-- docs-examples: real-org quick start"
ROTATION = "<!-- docs-examples: rotation"
VENDOR_PRESET = "<!-- docs-examples: vendor preset"
HANDOFF_SAMPLE = "<!-- docs-examples: hand-off bundle"
README_ORG_URL = "https://acme.okta.com"
README_HOST = "acme-prod"
EXAMPLES_ORG_URL = "https://example.okta.com"
EXAMPLES_DIR = "/etc/okta/zluri"
# How the README installs the release (Galaxy comes once the collection is published there).
README_INSTALL = "git+https://github.com/saasops/okta_m2m.git,1.0.0"
EXAMPLES_CLIENT_ID = "0oa1abcdEFGH"
EXAMPLES_ORG_ID = "00o1example"
EXAMPLES_DELIVERY_URL = "https://tickets.internal.example.com"
# The modules whose examples converge something, in the order each builds on what the ones before left.
# Read-only modules first (they read what the quick start made; in_process documents the action plugin with a
# read-only task); okta_app_jwk last (its rotation example replaces the key the others sign with).
ORDER = (
    "in_process", "okta_preflight", "okta_admin_role_info", "okta_resource_set_info", "okta_service_app_info", "okta_api_token_info",
    "okta_m2m_check", "zluri_connection", "okta_api_token",
    "okta_service_app", "okta_scope_grant", "okta_resource_set", "okta_admin_role", "okta_role_assignment", "okta_app_jwk",
)
# Where the admin app's scopes are written for people (paths in the collection); each writes the list from okta.apps.manage on.
SCOPE_DOCS = (
    "README.md", "docs/awx.md", "extensions/awx/credential_types/okta_admin_oauth.yml", "playbooks/awx_credential_types.yml",
)


class Failure(Exception):
    """A documented step that does not work; the message names it."""


def run(command: list[str] | str, env: dict[str, str], cwd: str, what: str) -> None:
    print("### %s" % what, flush=True)
    shell = isinstance(command, str)
    process = subprocess.run(["bash", "-euo", "pipefail", "-c", command] if shell else command, env=env, cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    print(process.stdout, flush=True)
    if process.returncode != 0:
        raise Failure("%s failed (exit %d); its output is above" % (what, process.returncode))


def substitute(text: str, replacements: list[tuple[str, str]], what: str) -> str:
    for old, new in replacements:
        if old not in text:
            raise Failure("%s no longer contains %r; update the substitutions in tests/docs/examples.py" % (what, old))
        text = text.replace(old, new)
    return text


def marked_block(path: str, marker: str, language: str, text: str | None = None) -> str:
    """The fenced block that follows the HTML comment starting with marker (the fence may be indented)."""
    if text is None:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    start = text.find(marker)
    if start < 0:
        raise Failure("%s has no %s ... --> marker" % (path, marker))
    match = re.compile(r"^([ \t]*)```%s\n(.*?)^\1```" % language, re.S | re.M).search(text, start)
    if not match:
        raise Failure("%s: no ```%s block after %s" % (path, language, marker))
    return "".join(line[len(match.group(1)):] + "\n" for line in match.group(2).splitlines())


class Sink(http.server.BaseHTTPRequestHandler):
    """The delivery endpoint of zluri_connection's example: takes a JSON request and answers 200."""
    received: list[str] = []

    def handle_request(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        json.loads(self.rfile.read(length) or b"null")
        Sink.received.append("%s %s" % (self.command, self.path))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    do_POST = do_PUT = do_PATCH = handle_request

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the test prints what it checks."""


class DocsRun:
    def __init__(self, arguments: argparse.Namespace, emulator: Any, zluri_api_key: str, sink_url: str) -> None:
        self.tarball = os.path.abspath(arguments.tarball)
        self.workdir = os.path.abspath(arguments.workdir)
        self.emulator = emulator
        self.zluri_api_key = zluri_api_key
        self.sink_url = sink_url
        self.collections = os.path.join(self.workdir, "collections")
        self.installed = os.path.join(self.collections, "ansible_collections", *COLLECTION.split("."))
        self.home = os.path.join(self.workdir, "home")
        self.work = os.path.join(self.workdir, "work")
        self.example_dir = os.path.join(self.workdir, EXAMPLES_DIR.lstrip("/"))
        for path in (self.home, self.work, self.example_dir):
            os.makedirs(path, exist_ok=True)
        self.env = {name: value for name, value in os.environ.items()
                    if not name.startswith(("OKTA_", "ZLURI_", "ANSIBLE_")) and name not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.env.update(HOME=self.home, ANSIBLE_COLLECTIONS_PATH=self.collections, REQUESTS_CA_BUNDLE=emulator.ca_path,
                        ANSIBLE_NOCOLOR="1", PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        self.bundle_path = os.path.join(self.home, ".zluri-okta", README_HOST, "zluri-handoff.json")

    def bundle(self) -> dict[str, Any]:
        with open(self.bundle_path, encoding="utf-8") as stream:
            return json.load(stream)

    def quick_start(self) -> None:
        # The README as Galaxy shows it: the collection is installed by the quick start itself.
        with tarfile.open(self.tarball) as tarball:
            member = tarball.extractfile("README.md")
            readme = member.read().decode("utf-8") if member else ""
        script = substitute(marked_block("README.md of " + os.path.basename(self.tarball), QUICK_START, "bash", readme), [
            ("ansible-galaxy collection install %s\n" % README_INSTALL, "ansible-galaxy collection install %s\n" % self.tarball),
            (README_ORG_URL, self.emulator.url),
            ("OKTA_API_TOKEN=...", "OKTA_API_TOKEN=" + self.emulator.admin_token),
        ], "README.md's quick start")
        # The rotation follows in the same shell (it needs the quick start's exports); the bundle in between is kept.
        before_rotation = os.path.join(self.workdir, "bundle-before-rotation.json")
        script += "cp %s %s\n" % (self.bundle_path, before_rotation) + marked_block("README.md", ROTATION, "bash", readme)
        script += marked_block("README.md", VENDOR_PRESET, "bash", readme)
        run(script, self.env, self.work, "README.md: the real-org quick start, the key rotation (start, finish), a vendor preset")
        with open(before_rotation, encoding="utf-8") as stream:
            bundle = json.load(stream)
        if not (bundle.get("verification") or {}).get("ok") or not bundle["form"]["Client ID"]:
            raise Failure("README.md's quick start: the hand-off bundle %s holds no verified credentials" % self.bundle_path)
        first_key = bundle["form"]["Key ID"]
        rotated = self.bundle()
        keys = self.app_keys(rotated["okta"]["app_id"])
        if rotated["form"]["Key ID"] == first_key or keys != {first_key: "INACTIVE", rotated["form"]["Key ID"]: "ACTIVE"} \
                or not rotated["verification"]["ok"]:
            raise Failure("README.md's rotation: the bundle hands off key %s and the app holds %s; expected a new, verified key "
                          "and %s retired (kept INACTIVE)" % (rotated["form"]["Key ID"], keys, first_key))
        roles = self.read_api("/oauth2/v1/clients/%s/roles" % self.app_id("Flexera SaaS Manager"))
        if [role["type"] for role in roles] != ["READ_ONLY_ADMIN"]:
            raise Failure("README.md's vendor preset: the Flexera SaaS Manager app holds %s, expected READ_ONLY_ADMIN alone" % roles)
        # The examples' key file is the Zluri app's key: the one the rotation left at the role's key path.
        shutil.copy(rotated["form"]["Private key"]["file"], os.path.join(self.example_dir, "zluri.pem"))

    def read_api(self, path: str) -> Any:
        """What Okta answers the admin token at PATH."""
        context = ssl.create_default_context(cafile=self.emulator.ca_path)
        request = urllib.request.Request(self.emulator.url + path,
                                         headers={"Authorization": "SSWS " + self.emulator.admin_token, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return json.load(response)

    def app_keys(self, app_id: str) -> dict[str, str]:
        """The app's keys as Okta holds them: status by kid."""
        return {key["kid"]: key["status"] for key in self.read_api("/api/v1/apps/%s/credentials/jwks" % app_id)}

    def app_id(self, label: str) -> str:
        apps = [app for app in self.read_api("/api/v1/apps?q=%s&limit=200" % urllib.parse.quote(label)) if app["label"] == label]
        if len(apps) != 1:
            raise Failure("expected one app labelled %r, Okta holds %d" % (label, len(apps)))
        return str(apps[0]["id"])

    def org_id(self) -> str:
        """The org's id, as Okta publishes it at /.well-known/okta-organization."""
        context = ssl.create_default_context(cafile=self.emulator.ca_path)
        with urllib.request.urlopen(self.emulator.url + "/.well-known/okta-organization", timeout=30, context=context) as response:
            return json.load(response)["id"]

    def modules(self) -> list[str]:
        names = sorted(os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(self.installed, "plugins", "modules", "*.py")))
        missing = [name for name in names if name not in ORDER]
        if missing:
            raise Failure("modules without a place in ORDER (tests/docs/examples.py): %s" % ", ".join(missing))
        return [name for name in ORDER if name in names]

    def examples(self, module: str) -> list[dict[str, Any]]:
        """The module's EXAMPLES, as ansible-doc shows them from the installed collection, with the substitutions."""
        fqcn = "%s.%s" % (COLLECTION, module)
        process = subprocess.run(["ansible-doc", "--json", "-t", "module", fqcn], env=self.env, cwd=self.work,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        if process.returncode != 0:
            raise Failure("ansible-doc %s failed: %s" % (fqcn, process.stderr))
        text = json.loads(process.stdout)[fqcn]["examples"]
        replacements = [(old, new) for old, new in (
            (EXAMPLES_ORG_URL, self.emulator.url), (EXAMPLES_DIR, self.example_dir), (EXAMPLES_CLIENT_ID, self.bundle()["form"]["Client ID"]),
            (EXAMPLES_ORG_ID, self.org_id()), (EXAMPLES_DELIVERY_URL, self.sink_url)) if old in text]
        tasks = yaml.safe_load(substitute(text, replacements, "EXAMPLES of " + fqcn))
        if not isinstance(tasks, list) or not tasks:
            raise Failure("EXAMPLES of %s are not a list of tasks" % fqcn)
        return tasks

    def play(self, module: str, tasks: list[dict[str, Any]], phase: str) -> None:
        fqcn = "%s.%s" % (COLLECTION, module)
        client_id = self.bundle()["form"]["Client ID"]
        connection = {"org_url": self.emulator.url, "api_token": self.emulator.admin_token}
        playbook = [{
            "name": "EXAMPLES of %s (%s)" % (fqcn, phase),
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {"okta_api_token": self.emulator.admin_token, "zluri_app": {"client_id": client_id}, "zluri_client_id": client_id,
                     "ticket_token": "docs-examples-ticket", "zluri_api_key": self.zluri_api_key},
            "module_defaults": {"group/%s.okta" % COLLECTION: connection,
                                "group/%s.zluri" % COLLECTION: dict(connection, zluri_api_url=self.emulator.url + "/zluri")},
            "tasks": tasks,
        }]
        path = os.path.join(self.workdir, "examples", "%s-%s.yml" % (module, phase))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as stream:
            yaml.safe_dump(playbook, stream, sort_keys=False)
        run(["ansible-playbook", "-i", "localhost,", path], self.env, self.work, "EXAMPLES of %s (%s)" % (fqcn, phase))

    def module_examples(self) -> int:
        modules = self.modules()
        removals = []
        for module in modules:
            tasks = self.examples(module)
            converge = [task for task in tasks if not removes(task)]
            removals.append((module, [task for task in tasks if removes(task)]))
            if converge:
                self.play(module, converge, "converge")
        for module, tasks in reversed(removals):
            if tasks:
                self.play(module, tasks, "remove")
        if not Sink.received:
            raise Failure("EXAMPLES of %s.zluri_connection: the delivery example delivered nothing" % COLLECTION)
        return len(modules)

    def admin_scopes(self) -> None:
        """The scopes an admin OAuth app needs, as the docs list them, are exactly those the role's modules ask for."""
        used = set()
        for path in glob.glob(os.path.join(self.installed, "roles", "zluri_okta", "tasks", "*.yml")):
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
            used.update(re.findall(r"^  %s\.(\w+):" % re.escape(COLLECTION), text, re.M))
        needed = set()
        for module in used:
            needed.update(oauth_scopes(os.path.join(self.installed, "plugins", "modules", module + ".py")))
        for doc in SCOPE_DOCS:
            with open(os.path.join(self.installed, doc), encoding="utf-8") as stream:
                text = re.sub(r"\s+", " ", re.sub(r"[`#,]", " ", stream.read()))
            found = re.search(r"okta\.apps\.manage(?: okta\.[A-Za-z.]*[A-Za-z])+", text)
            listed = set(found.group(0).split()) if found else set()
            if listed != needed:
                raise Failure("%s lists the admin scopes %s; the role's modules (%s) ask for %s" % (
                    doc, " ".join(sorted(listed)) or "nowhere", ", ".join(sorted(used)), " ".join(sorted(needed))))
        print("### admin scopes: %s, in %s" % (" ".join(sorted(needed)), ", ".join(SCOPE_DOCS)))

    def handoff_sample(self, bundle: dict[str, Any]) -> None:
        sample = json.loads(marked_block(os.path.join(self.installed, "docs", "handoff.md"), HANDOFF_SAMPLE, "json"))
        difference = shape_difference(sample, bundle, "bundle")
        if difference:
            raise Failure("docs/handoff.md: the sample bundle differs in shape from the one the quick start wrote: %s" % difference)
        print("### docs/handoff.md: the sample has the shape of the real bundle")


def removes(task: dict[str, Any]) -> bool:
    return any(isinstance(args, dict) and args.get("state") == "absent"
               for name, args in task.items() if name.startswith(COLLECTION + "."))


def oauth_scopes(path: str) -> list[str]:
    """A module's OAUTH_SCOPES (the scopes it asks for without OKTA_SCOPES)."""
    with open(path, encoding="utf-8") as stream:
        tree = ast.parse(stream.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(target, "id", None) for target in node.targets] == ["OAUTH_SCOPES"]:
            return list(ast.literal_eval(node.value))
    raise Failure("%s declares no OAUTH_SCOPES" % path)


def shape_difference(sample: Any, real: Any, where: str) -> str:
    """Where sample and real differ in keys or value types (a list by its first elements; an empty list fits any)."""
    if type(sample) is not type(real):
        return "%s is a %s in the sample, a %s in the real bundle" % (where, type(sample).__name__, type(real).__name__)
    if isinstance(sample, dict):
        if sorted(sample) != sorted(real):
            return "%s has the keys %s in the sample, %s in the real bundle" % (where, sorted(sample), sorted(real))
        return next(filter(None, (shape_difference(sample[key], real[key], "%s.%s" % (where, key)) for key in sorted(sample))), "")
    if isinstance(sample, list) and sample and real:
        return shape_difference(sample[0], real[0], where + "[0]")
    return ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tarball", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--emulator", required=True, help="the emulator's directory (tests/emulator)")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, os.path.abspath(arguments.emulator))
    from okta_emulator.harness import start_emulator  # pylint: disable=import-outside-toplevel

    zluri_api_key = "docs-examples-zluri-" + secrets.token_hex(8)
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    emulator = start_emulator(seed="demo", tls=True, admin_token=["docs-examples-" + secrets.token_hex(16)], zluri_api_key=[zluri_api_key])
    try:
        docs = DocsRun(arguments, emulator, zluri_api_key, "http://127.0.0.1:%d" % sink.server_address[1])
        docs.quick_start()
        docs.admin_scopes()
        docs.handoff_sample(docs.bundle())
        count = docs.module_examples()
    except Failure as error:
        print("FAIL: %s" % error)
        return 1
    finally:
        emulator.stop()
        sink.shutdown()
    print("PASS: README quick start and rotation, admin scopes, hand-off sample, EXAMPLES of %d modules" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
