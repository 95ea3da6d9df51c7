"""Fail when galaxy-importer reported a problem with the collection.

Usage: python check_importer_output.py IMPORTER_OUTPUT

galaxy-importer logs INFO lines bare and everything else as "LEVEL: message". Every WARNING,
ERROR and CRITICAL line counts as a failure, except the lines in IGNORED below, which are about
the importer's own environment rather than about the collection's content.
"""

import re
import sys

# (pattern, why it is not about our content)
IGNORED = [
    # pip on this machine lists local package mirrors that have no page for some packages; the
    # importer's subprocesses inherit that configuration. Nothing to do with the collection.
    (re.compile(r"Location 'file:///.*' is ignored: it is neither a file nor a directory"),
     'pip mirror configuration of the machine'),
    # The importer runs flake8 on every file under plugins/, including the YAML documentation files
    # that filter and test plugins may carry beside their code (plugins/filter/<name>.yml); flake8
    # then reports the YAML as broken Python (E999 and friends). The YAML itself is checked by
    # ansible-test sanity (yamllint, ansible-doc) and ansible-lint.
    (re.compile(r'^WARNING: plugins/[^/]+/[^:]+\.ya?ml:\d+:\d+: [EFW]\d+ '),
     'flake8 run on a YAML plugin documentation file'),
]

LEVEL = re.compile(r'^(WARNING|ERROR|CRITICAL):')


def main():
    with open(sys.argv[1], encoding='utf-8', errors='replace') as f:
        lines = f.read().splitlines()

    problems = []
    ignored = []
    for line in lines:
        if not LEVEL.match(line):
            continue
        why = next((why for pattern, why in IGNORED if pattern.search(line)), None)
        if why:
            ignored.append((line, why))
        else:
            problems.append(line)

    for line, why in ignored:
        print('ignored (%s): %s' % (why, line))
    if not any('Running ansible-doc' in line or 'ansible-doc' in line for line in lines):
        problems.append('importer output does not show an ansible-doc run')
    if problems:
        print('FAIL: galaxy-importer reported %d problem(s):' % len(problems))
        for line in problems:
            print('    ' + line)
        return 1
    print('galaxy-importer: no warnings or errors about the collection')
    return 0


if __name__ == '__main__':
    sys.exit(main())
