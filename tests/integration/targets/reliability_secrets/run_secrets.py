# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_secrets: the whole role at -vvvv with --diff, in check mode and for real, leaks no secret.

Orgs (each an emulator behind a WireProxy that keeps every credential it forwards):
  ssws     the role with an SSWS API token (a random one, so it cannot match by accident)
  oauth    the role with an admin OAuth service app (private_key_jwt, PEM given as a variable, DPoP required on the
           admin app and on the Zluri app): access tokens, client assertions and DPoP proofs on the wire
  embed    zluri_okta_embed_private_key: true (the bundle then holds the key, and is itself a key file)
  own_key  a key file that exists before the run (never overwritten)
  bad_key  a key_path holding something that is not a key (the run fails, the file stays as it was)

Phases: --check --diff -vvvv on the empty orgs, then --diff -vvvv for real. Searched: stdout and stderr, every result
the callbacks saw, every registered result of the role, every file the runs wrote (output directories, Ansible's
temp directories); found must be none of: the API token, any access token, client assertion or DPoP proof the
proxies saw, any line of a private key's PEM body or piece of its private numbers, "PRIVATE KEY", a JWT-looking
string. Exempt: the key files themselves (and the embed bundle, which must hold the key). Key files are 0600 in a
0700 directory, bundles 0600, and an existing key file is never touched. On the oauth org, only the first module
run of each phase is refused a token (learning that DPoP is required, then the nonce): the nonce is carried on.
"""

import json
import os
import secrets
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import create_admin_app, generate_key, key_kid, load_key  # noqa: E402 pylint: disable=wrong-import-position,import-error

KEY_FILE = "zluri-okta-private-key.pem"
BUNDLE_FILE = "zluri-handoff.json"
HOSTS = ("ssws", "oauth", "embed", "own_key", "bad_key")


def file_texts(root, exempt):
    """(path, text) of every regular file under root, except the exempt paths."""
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(directory, name)
            if path in exempt or not os.path.isfile(path):
                continue
            with open(path, "rb") as stream:
                found.append((path, stream.read().decode("utf-8", "replace")))
    return found


def leaks(text, secret_values):
    """What of secret_values (and of the generic markers) occurs in text."""
    found = sorted({value[:12] + "..." for value in secret_values if value in text})
    if "PRIVATE KEY" in text:
        found.append("'PRIVATE KEY'")
    found += ["JWT %s..." % match[:16] for match in sorted(set(reltool.JWT_PATTERN.findall(text)))]
    return found


def main():
    checks = reltool.Checks("reliability_secrets")
    workdir = reltool.make_workdir("reliability-secrets-")
    api_token = "rel-ssws-" + secrets.token_urlsafe(24)
    orgs = reltool.start_orgs(HOSTS, proxied=True, seed="demo", admin_token=[api_token])
    try:
        out = {host: os.path.join(workdir, "out", host) for host in HOSTS}
        admin_key = os.path.join(workdir, "admin", "admin-key.pem")
        generate_key(admin_key)
        with open(admin_key, encoding="ascii") as stream:
            admin_pem = stream.read()
        client_id, admin_kid = create_admin_app(orgs["oauth"].admin, load_key(admin_key), dpop=True)
        own_key = os.path.join(out["own_key"], KEY_FILE)
        generate_key(own_key)
        os.chmod(os.path.dirname(own_key), 0o700)
        with open(own_key, "rb") as stream:
            own_key_bytes = stream.read()
        bad_key = os.path.join(out["bad_key"], KEY_FILE)
        os.makedirs(out["bad_key"], mode=0o700)
        with open(bad_key, "w", encoding="utf-8") as stream:
            stream.write("not a key, and not to be replaced\n")

        hosts = {}
        for host in HOSTS:
            hosts[host] = {"zluri_okta_org_url": orgs[host].url, "zluri_okta_output_dir": out[host], "zluri_okta_api_token": api_token}
        hosts["oauth"].update({"zluri_okta_api_token": "", "zluri_okta_client_id": client_id, "zluri_okta_private_key": admin_pem,
                               "zluri_okta_key_id": admin_kid, "zluri_okta_require_dpop": True})
        hosts["embed"]["zluri_okta_embed_private_key"] = True

        runs = []
        for phase, args in (("check", ["--check", "--diff", "-vvvv"]), ("converge", ["--diff", "-vvvv"])):
            for host in HOSTS:
                hosts[host]["rel_registered_dump"] = os.path.join(workdir, "registered", "%s-%s.json" % (phase, host))
            os.makedirs(os.path.join(workdir, "registered"), exist_ok=True)
            inventory = reltool.write_inventory(os.path.join(workdir, "inventory-%s.json" % phase), hosts)
            marks = {host: max([entry["seq"] for entry in orgs[host].log()] or [0]) for host in HOSTS}
            token_mark = len(orgs["oauth"].proxy.token_answers)
            run = reltool.run_playbook(phase, workdir, "converge.yml", inventory, args=args, forks=len(HOSTS))
            runs.append(run)
            reltool.log("%s: rc=%s in %.1fs, %d bytes of output" % (phase, run.rc, run.seconds, len(run.output())))
            for host in HOSTS:
                outcome = run.host(host)
                if host == "bad_key":
                    checks.check(phase + "/" + host, not outcome.ok and KEY_FILE in outcome.failure_message(),
                                 "a key_path that is not a key must fail the run naming the file: %s" % outcome.failure_message())
                else:
                    checks.check(phase + "/" + host, outcome.ok, "the run failed: %s" % outcome.failure_message())
                if host == "oauth":
                    answers = [status for issuer, status in orgs["oauth"].proxy.token_answers[token_mark:] if issuer == client_id]
                    refused = [status for status in answers if status != 200]
                    reltool.log("%s: the admin app asked for %d tokens, %d refused" % (phase, len(answers), len(refused)))
                    # Only the first module run learns that the app requires DPoP and the nonce; it passes the nonce on.
                    checks.check(phase + "/tokens", len(answers) > 3 and len(refused) <= 2,
                                 "the DPoP nonce was not carried between tasks: token answers %s" % answers)
                if phase == "check":
                    writes = reltool.writes_in(orgs[host].log(marks[host]))
                    checks.check(phase + "/" + host, not writes, "check mode wrote to Okta: %s" % writes)
                    if host not in ("own_key", "bad_key"):
                        checks.check(phase + "/" + host, not os.path.exists(out[host]), "check mode wrote files: %s" % out[host])

        # What the proxies saw: every credential that crossed the wire.
        on_the_wire = set()
        for org in orgs.values():
            on_the_wire |= org.proxy.secrets
        token_types = sorted({t for org in orgs.values() for t in org.proxy.token_types})
        checks.check("wire", api_token in on_the_wire, "the proxies did not see the API token (the run bypassed them?)")
        checks.check("wire", "DPoP" in token_types and len(on_the_wire) > 10,
                     "the oauth org minted no DPoP token, so access tokens and proofs were not exercised (token types %s)" % token_types)
        key_files = [os.path.join(out[host], KEY_FILE) for host in HOSTS if host != "bad_key"]
        fragments = reltool.private_key_fragments(admin_key)
        for path in key_files:
            if os.path.exists(path):
                fragments += reltool.private_key_fragments(path)
        secret_values = on_the_wire | set(fragments) | {api_token}
        reltool.log("searching for %d secret values (%d credentials seen on the wire, %d private key fragments)"
                    % (len(secret_values), len(on_the_wire), len(fragments)))

        sources = []
        for run in runs:
            sources += [(run.stdout_path, run.output()), (run.record, open(run.record, encoding="utf-8").read())]
        exempt = set(key_files) | {os.path.join(out["embed"], BUNDLE_FILE), bad_key}
        for host in HOSTS:
            sources += file_texts(out[host], exempt)
        sources += file_texts(os.path.join(workdir, "registered"), set())
        sources += file_texts(os.path.join(workdir, "ansible-tmp"), set())
        for path, text in sources:
            found = leaks(text, secret_values)
            checks.check("leak", not found, "%s holds %s" % (os.path.relpath(path, workdir), ", ".join(found)))
        checks.check("leak", len(sources) >= 2 * 2 + 4 * 2, "too few places searched (%d)" % len(sources))
        reltool.log("searched %d outputs and files" % len(sources))

        # Files: modes, the bundle without the key (unless embedding was asked for), the existing key untouched.
        for host in ("ssws", "oauth", "embed"):
            key = os.path.join(out[host], KEY_FILE)
            bundle = os.path.join(out[host], BUNDLE_FILE)
            checks.check(host, stat.S_IMODE(os.stat(key).st_mode) == 0o600, "key file mode %o" % stat.S_IMODE(os.stat(key).st_mode))
            checks.check(host, stat.S_IMODE(os.stat(out[host]).st_mode) == 0o700, "key directory mode %o" % stat.S_IMODE(os.stat(out[host]).st_mode))
            checks.check(host, stat.S_IMODE(os.stat(bundle).st_mode) == 0o600, "bundle mode %o" % stat.S_IMODE(os.stat(bundle).st_mode))
            with open(bundle, encoding="utf-8") as stream:
                text = stream.read()
            form = json.loads(text)["form"]
            embedded = "PRIVATE KEY" in text and all(fragment in text for fragment in reltool.private_key_fragments(key)[:3])
            if host == "embed":
                checks.check(host, embedded, "embedding was asked for, but the bundle does not hold the key")
            else:
                checks.check(host, not embedded and form["Private key"] == {"file": key},
                             "the bundle must name the key file, not hold the key: %s" % form["Private key"])
            checks.check(host, form["Key ID"] == key_kid(key), "the bundle's Key ID is not the key file's")
        with open(own_key, "rb") as stream:
            checks.check("own_key", stream.read() == own_key_bytes, "the existing key file was changed")
        checks.check("own_key", runs[1].host("own_key").result_of("zluri_okta_key").get("generated") is False,
                     "the role generated a key although one existed")
        with open(os.path.join(out["own_key"], BUNDLE_FILE), encoding="utf-8") as stream:
            checks.check("own_key", json.load(stream)["form"]["Key ID"] == key_kid(own_key), "the bundle does not name the existing key")
        with open(bad_key, encoding="utf-8") as stream:
            checks.check("bad_key", stream.read() == "not a key, and not to be replaced\n", "the file at key_path was replaced")
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
