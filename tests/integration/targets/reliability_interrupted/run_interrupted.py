# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_interrupted: kill the play right after each write call in turn, then re-run.

1. A clean converge on its own org gives the request sequence and its W write calls.
2. One org per kill point k = 0..W. On org k the emulator holds the request that follows the k-th write (for
   k = 0 the first request after the pre-flight's reads, once the key file is generated) for 10 minutes: exactly k writes are applied,
   then the play waits. All orgs run in one ansible-playbook (strategy free); once every org's request is held,
   the play's whole process group is killed (SIGKILL). Held requests never run: the emulators stop first.
3. A re-run on every org must converge to the clean org's end state, with no duplicate role, resource set, app,
   key, grant or role assignment, no orphan, exactly the W - k missing writes, and the key file generated before
   the kill reused byte for byte.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import key_kid  # noqa: E402 pylint: disable=wrong-import-position,import-error

ID = re.compile(r"(?<=/)(0oa|cr0|iam)[A-Za-z0-9]{17}")
# What the role's pre-flight reads (plugins/module_utils/preflight.py), before it generates the key file.
PREFLIGHT_READ = re.compile(r"^/api/v1/(users/me|users/[^/]+/roles|authorizationServers|org/settings/clientPrivilegesSetting)$")
HOLD_SECONDS = 600
KILL_DEADLINE = 240


def key_path(workdir, name):
    return os.path.join(workdir, "out", name, "zluri-okta-private-key.pem")


def read_bytes(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as stream:
        return stream.read()


def host_vars(workdir, org, name):
    return {"zluri_okta_org_url": org.url, "zluri_okta_api_token": org.admin_token,
            "zluri_okta_output_dir": os.path.join(workdir, "out", name)}


def main():
    checks = reltool.Checks("reliability_interrupted")
    workdir = reltool.make_workdir("reliability-interrupted-")
    orgs = {}
    try:
        orgs.update(reltool.start_orgs(["clean"], seed="demo"))
        inventory = reltool.write_inventory(os.path.join(workdir, "clean.json"), {"clean": host_vars(workdir, orgs["clean"], "clean")})
        clean = reltool.run_playbook("clean", workdir, "converge.yml", inventory, forks=1)
        checks.check("clean", clean.rc == 0 and clean.host("clean").ok, "the clean converge failed: %s" % clean.host("clean").failure_message())
        sequence = sorted(orgs["clean"].log(), key=lambda entry: entry["seq"])
        write_positions = [index for index, entry in enumerate(sequence) if entry in reltool.writes_in(sequence)]
        total_writes = len(write_positions)
        described = ", ".join("%s %s" % (sequence[i]["method"], sequence[i]["path"]) for i in write_positions)
        reltool.log("clean converge: %d requests, %d writes: %s" % (len(sequence), total_writes, described))
        clean_view = reltool.org_view(orgs["clean"].state(), [key_kid(key_path(workdir, "clean"))])

        # The pre-flight's reads come before the key file is generated; k = 0 holds the first request after them.
        first_after_preflight = next(index for index, entry in enumerate(sequence) if not PREFLIGHT_READ.match(entry["path"]))
        points = list(range(total_writes + 1))
        names = ["kill_after_%02d" % k for k in points]
        orgs.update(reltool.start_orgs(names, seed="demo"))
        hosts = {}
        held = {}
        for k, name in zip(points, names):
            position = write_positions[k - 1] + 1 if k else first_after_preflight
            held[name] = sequence[position]
            orgs[name].set_faults([{"path": "", "fault": "timeout", "seconds": HOLD_SECONDS, "skip": position, "times": 1}])
            hosts[name] = host_vars(workdir, orgs[name], name)
        inventory = reltool.write_inventory(os.path.join(workdir, "kill.json"), hosts)

        run, process = reltool.start_playbook("killed", workdir, "converge.yml", inventory, forks=len(hosts))

        def all_held():
            return all(orgs[name].faults()[0]["seen"] > orgs[name].faults()[0]["skip"] for name in names) or process.poll() is not None

        reltool.poll(all_held, KILL_DEADLINE, interval=0.3)
        finished_early = process.poll() is not None
        if not finished_early:
            reltool.kill_play(process)
        process.wait()
        reltool.log("killed the play (process group %d) with every org holding its request" % process.pid)
        checks.check("kill", not finished_early, "the play ended (rc %s) before every org held its request" % process.returncode)

        before = {}
        for k, name in zip(points, names):
            org = orgs[name]
            entries = org.log()
            org.set_faults([])
            applied = reltool.writes_in(entries)
            checks.check(name, len(applied) == k, "killed after %d writes instead of %d: %s" % (len(applied), k, [e["path"] for e in applied]))
            before[name] = {"seq": max([e["seq"] for e in entries] or [0]), "key": read_bytes(key_path(workdir, name))}
            checks.check(name, before[name]["key"] is not None, "no key file after the kill (it is generated before any Okta call)")

        time.sleep(0.5)
        rerun = reltool.run_playbook("rerun", workdir, "converge.yml", inventory, forks=len(hosts))
        rows = []
        for k, name in zip(points, names):
            org = orgs[name]
            host = rerun.host(name)
            checks.check(name, host.ok, "the re-run failed: %s" % host.failure_message())
            kid = key_kid(key_path(workdir, name)) if os.path.exists(key_path(workdir, name)) else None
            view = reltool.org_view(org.state(), [kid] if kid else [])
            difference = reltool.view_diff(clean_view, view)
            checks.check(name, not difference, "end state differs from the clean converge:\n%s" % difference)
            twice = reltool.duplicates(view)
            checks.check(name, not twice, "objects exist twice: %s" % twice)
            rerun_writes = reltool.writes_in(org.log(before[name]["seq"]))
            checks.check(name, len(rerun_writes) == total_writes - k, "the re-run made %d writes, expected the %d missing ones: %s"
                         % (len(rerun_writes), total_writes - k, ["%s %s" % (e["method"], e["path"]) for e in rerun_writes]))
            checks.check(name, read_bytes(key_path(workdir, name)) == before[name]["key"], "the key file changed in the re-run")
            key_result = host.result_of("zluri_okta_key") or {}
            checks.check(name, key_result.get("generated") is False and key_result.get("kid") == kid,
                         "the re-run did not reuse the key file (generated=%s, kid=%s, file kid=%s)"
                         % (key_result.get("generated"), key_result.get("kid"), kid))
            handoff = host.result_of("zluri_okta_handoff") or {}
            checks.check(name, (handoff.get("form") or {}).get("Key ID") == kid and (handoff.get("verification") or {}).get("ok"),
                         "the hand-off does not name the verified local key")
            leftovers = sorted(set(os.listdir(os.path.dirname(key_path(workdir, name)))) - {"zluri-okta-private-key.pem", "zluri-handoff.json"})
            checks.check(name, not leftovers, "stray files next to the key: %s" % leftovers)
            rows.append([name, "%s %s" % (held[name]["method"], ID.sub("{id}", held[name]["path"])), k, len(rerun_writes), checks.verdict(name)])
        reltool.log("\nKilled with the play waiting on the request after write k; the re-run's writes complete the org:\n")
        reltool.log(reltool.table(["org", "held request (kill point)", "writes before kill", "writes in re-run", "re-run"], rows))
        reltool.log("")
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
