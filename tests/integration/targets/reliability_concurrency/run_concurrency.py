# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reliability_concurrency: two runs of the role against the same org at the same time.

race       an empty org; two ansible-playbook runs start together from one controller (same output directory, so
           the same key file). The emulator holds each app create for 3 s, so both runs look for the app before
           either has created it: the worst case of two runs started a moment apart. Required: one consistent
           state without duplicates (or the second run fails cleanly), one key file, and a follow-up run that
           converges without a write.
converged  an org converged once; two runs at the same time must both succeed without a single write.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability_common"))
import reltool  # noqa: E402 pylint: disable=wrong-import-position,import-error
from okta_fixtures import key_kid  # noqa: E402 pylint: disable=wrong-import-position,import-error

RACE_WINDOW = 3
KEY_FILE = "zluri-okta-private-key.pem"


def together(workdir, name, inventory, count=2):
    """count ansible-playbook runs of the same inventory, started together; the Runs once all have finished."""
    started = [reltool.start_playbook("%s-%d" % (name, index + 1), workdir, "converge.yml", inventory, forks=1) for index in range(count)]
    for _run, process in started:
        try:
            process.wait(timeout=300)
        except Exception:  # pylint: disable=broad-exception-caught
            process.kill()
            process.wait()
    return [run for run, _process in started]


def main():
    checks = reltool.Checks("reliability_concurrency")
    workdir = reltool.make_workdir("reliability-concurrency-")
    orgs = reltool.start_orgs(["race", "converged"], seed="demo")
    try:
        out = os.path.join(workdir, "out", "race")
        inventories = {}
        for name, org in orgs.items():
            inventories[name] = reltool.write_inventory(os.path.join(workdir, "%s.json" % name), {name: {
                "zluri_okta_org_url": org.url, "zluri_okta_api_token": org.admin_token, "zluri_okta_output_dir": os.path.join(workdir, "out", name)}})

        # converged: one run first, then two at once.
        first = reltool.run_playbook("converged-first", workdir, "converge.yml", inventories["converged"], forks=1)
        checks.check("converged", first.host("converged").ok, "the first converge failed: %s" % first.host("converged").failure_message())
        mark = max(entry["seq"] for entry in orgs["converged"].log())
        # race: both runs' app creates held for RACE_WINDOW seconds.
        orgs["race"].set_faults([{"method": "POST", "path": "^/api/v1/apps$", "fault": "latency", "seconds": RACE_WINDOW, "times": 2}])
        race_runs = together(workdir, "race", inventories["race"])
        converged_runs = together(workdir, "converged", inventories["converged"])

        for run in converged_runs:
            checks.check("converged", run.host("converged").ok, "%s failed: %s" % (run.name, run.host("converged").failure_message()))
        writes = reltool.writes_in(orgs["converged"].log(mark))
        checks.check("converged", not writes, "concurrent runs on a converged org wrote: %s" % [e["method"] + " " + e["path"] for e in writes])

        # race: the outcome.
        outcomes = [run.host("race") for run in race_runs]
        for run, outcome in zip(race_runs, outcomes):
            reltool.log("race: %s %s" % (run.name, "ok" if outcome.ok else "failed: " + outcome.failure_message()))
        checks.check("race", any(outcome.ok for outcome in outcomes), "neither run succeeded")
        for outcome in outcomes:
            if not outcome.ok:
                checks.check("race", bool(outcome.failure_message().split(": ", 1)[-1].strip()), "a run failed without a message")
        kid = key_kid(os.path.join(out, KEY_FILE))
        checks.check("race", sorted(os.listdir(out)) == sorted([KEY_FILE, "zluri-handoff.json"]), "files in the output directory: %s" % sorted(os.listdir(out)))
        kids = {(outcome.result_of("zluri_okta_key") or {}).get("kid") for outcome in outcomes}
        checks.check("race", kids == {kid}, "the runs used different keys: %s (file: %s)" % (kids, kid))
        view = reltool.org_view(orgs["race"].state(), [kid])
        twice = reltool.duplicates(view)
        checks.check("race", not twice, "objects exist twice: %s" % twice)
        follow_mark = max(entry["seq"] for entry in orgs["race"].log())
        follow = reltool.run_playbook("race-follow-up", workdir, "converge.yml", inventories["race"], forks=1)
        checks.check("race", follow.host("race").ok, "the follow-up run failed: %s" % follow.host("race").failure_message())
        follow_writes = reltool.writes_in(orgs["race"].log(follow_mark))
        checks.check("race", follow.host("race").ok and not follow_writes, "the follow-up run wrote: %s"
                     % [e["method"] + " " + e["path"] for e in follow_writes])
        for entry in sorted(orgs["race"].log(), key=lambda item: item["seq"]):
            if entry["path"] == "/api/v1/apps" and entry["seq"] <= follow_mark:
                reltool.log("race: Okta log seq=%s %s %s?%s -> %s" % (entry["seq"], entry["method"], entry["path"], entry["query"][:40], entry["status"]))
        apps = [app for app in view["apps"] if app["label"] == reltool.ZLURI_APP_LABEL]
        reltool.log("race: %d app(s) labelled Zluri, %d with the full set of grants; follow-up run: %s"
                    % (len(apps), len([a for a in apps if len(a["grants"]) == 6]), "ok" if follow.host("race").ok else follow.host("race").failure_message()))
        return checks.finish()
    finally:
        reltool.stop_orgs(orgs)
        reltool.cleanup(workdir)


if __name__ == "__main__":
    sys.exit(main())
