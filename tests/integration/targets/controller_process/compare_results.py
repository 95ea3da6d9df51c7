#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What callbacks saw of each collection task on org (controller process) and on jumphost (module process) is the same.

Reads the lines callback_plugins/result_log.py wrote. Per task: the same status, the same keys, and the same
invocation, warnings, deprecations, msg, changed and diff, once the host's name and what Okta and the key generator
make afresh for each host (ids, request ids, times, key material) are set aside. Every result has its invocation,
and no value of a no_log option in it.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

HOSTS = ("org", "jumphost")
COMPARED = ("invocation", "warnings", "deprecations", "msg", "changed", "diff")
# Values each host gets afresh: Okta's ids and times, request ids, the key pair and what is derived from it.
VOLATILE = re.compile(r'"(id|request_id|created|lastUpdated|waited_seconds|href|kid|n|fingerprint|thumbprint|client_id|x5t#S256|'
                      r'app_id|orn|dpop_nonce)": ("[^"]*"|[0-9.]+)')
OKTA_IDS = re.compile(r"(?<=cr0|0oa|0ex|iam)[A-Za-z0-9]+|(?<=request id )[0-9a-f]+")


def normalized(host: str, value: object) -> object:
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r"(PathTest-|Zluri |zluri-|Custom Role |Resource Set )%s\b" % host, r"\1HOST", text)
    text = VOLATILE.sub(r'"\1": null', text)
    return json.loads(OKTA_IDS.sub("ID", text))


def main(path: str, no_log_value: str) -> int:
    seen: dict[str, dict[str, dict]] = defaultdict(dict)
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            entry = json.loads(line)
            if entry["action"].startswith("saasops.okta_m2m."):
                seen[entry["task"]][entry["host"]] = entry
    problems = []
    for task, by_host in seen.items():
        if sorted(by_host) != sorted(HOSTS):
            problems.append("%s: ran on %s only" % (task, ", ".join(by_host)))
            continue
        for host, entry in by_host.items():
            if "module_args" not in entry["result"].get("invocation", {}):
                problems.append("%s on %s: no invocation" % (task, host))
            if no_log_value in json.dumps({key: value for key, value in entry["result"].items() if key != "api_calls"}):
                problems.append("%s on %s: a no_log value in the result" % (task, host))
        org, jump = by_host["org"], by_host["jumphost"]
        if org["status"] != jump["status"] or sorted(org["result"]) != sorted(jump["result"]):
            problems.append("%s: %s %s != %s %s" % (task, org["status"], sorted(org["result"]), jump["status"], sorted(jump["result"])))
        for key in COMPARED:
            mine, theirs = normalized("org", org["result"].get(key)), normalized("jumphost", jump["result"].get(key))
            if mine != theirs:
                problems.append("%s: %s differs:\n  org      %s\n  jumphost %s" % (task, key, json.dumps(mine), json.dumps(theirs)))
    print("compared %d tasks of the collection on both paths" % len(seen))
    for problem in problems:
        print(problem)
    return 1 if problems or not seen else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
