#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: in_process
short_description: Where this collection's modules run; not a task of its own
version_added: 1.0.0
description:
  - Documents the action plugin every module of this collection runs through (the C(action_plugin) of each module in
    the collection's C(meta/runtime.yml)). A task that names C(saasops.okta_m2m.in_process) itself fails.
  - When a module's task runs on the controller (connection C(local), no C(become), no C(async)), the module's code runs
    inside Ansible's worker process instead of a module process; no module payload is built, no new Python
    interpreter starts, and C(ansible_python_interpreter) does not matter. C(requests), C(cryptography) and C(PyJWT)
    must be installed in the Python that runs Ansible.
  - Anywhere else (a task delegated to a host reached through another connection, C(become), C(async)), the module
    runs as a module process on that host, as any module does, with those libraries installed there.
  - Both ways take the same options, apply the same C(module_defaults) and action groups, use the task's
    C(environment) (for example C(OKTA_API_TOKEN) or C(https_proxy)), and give the same results, messages, warnings,
    diffs, facts and check mode. C(no_log) values are hidden from the result in both.
  - A module run in the worker writes no syslog entry on the controller, where a module process would, and Ansible's
    output heads a failure C(Action failed) where it would say C(Module failed).
author:
  - saasops.okta_m2m developers (@saasops)
attributes:
  check_mode:
    description: Each module's own.
    support: full
  diff_mode:
    description: Each module's own.
    support: full
  action:
    description: The action plugin of every module of this collection.
    support: full
  async:
    description: A task with C(async) runs its module as a module process.
    support: full
options: {}
"""

EXAMPLES = r"""
- name: Runs in the controller's worker (the play's connection is local)
  saasops.okta_m2m.okta_admin_role_info:
    org_url: https://example.okta.com
    api_token: "{{ okta_api_token }}"
  register: roles
"""

RETURN = r"""
# The result is that of the module the task names.
"""
