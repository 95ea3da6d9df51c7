#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: okta_chain
short_description: Run several of this collection's modules in one task, each seeing the results of the ones before
version_added: 1.1.0
description:
  - Runs a list of steps, each a module of this collection with its arguments, in order, in one task. A step's
    arguments are templated when its turn comes, with the results of the earlier steps as variables named by their
    O(steps[].register), so a step can use what an earlier step found as it would a registered variable.
  - Ansible spends a forked worker and a fresh templating of the arguments on every task and every host; a chain of
    seven steps spends it once. On many orgs at once this is most of the controller's CPU. The role
    P(saasops.okta_m2m.zluri_okta#role) converges an org with one chain.
  - On the controller (a local connection without become) each module runs in the controller process, as the modules'
    own tasks do; on a host reached through another connection each runs there as a module process.
  - Each step gets the C(module_defaults) of its module and of the module's action groups, as its own task would.
  - Facts a step returns (C(ansible_facts), such as the DPoP nonce Okta last sent) are facts for the steps after it,
    and the task returns them all, as the steps' own tasks would.
  - The chain stops at the first step that fails; the task fails with that step's name and message.
  - In check mode every step runs in check mode. With diff on, the task shows the diff of each step that changed something, under the step's name.
author:
  - saasops.okta_m2m developers (@saasops)
attributes:
  check_mode:
    description: In check mode every step runs in check mode; the task reports what a real run would change.
    support: full
  diff_mode:
    description: Shows the diff of each step that changed something, under the step's name.
    support: full
  action:
    description: Runs as an action plugin; on the controller the modules run in the controller process.
    support: full
  async:
    description: Runs only while the task runs.
    support: none
options:
  steps:
    description:
      - The steps, run in order.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - What the step does, as a task name would say it. May be a template.
        type: str
      module:
        description:
          - A module of this collection, by short name (V(okta_service_app)) or fully qualified name.
          - Exactly one of O(steps[].module) and O(steps[].that) is required.
        type: str
      args:
        description:
          - The module's arguments, or a template that gives them. Templated just before the step runs; V(omit) leaves
            an argument out.
        type: raw
        default: {}
      register:
        description:
          - The variable name the later steps see this step's result by, and its key in RV(steps).
        type: str
      when:
        description:
          - A condition, or a list of conditions that must all hold, for the step to run. Otherwise its result is
            C(skipped).
        type: raw
      check_mode:
        description:
          - Run this step in check mode whatever the task's mode. Such a step changes nothing and does not make the task
            C(changed), but it can fail the chain (for example a pre-flight that the objects a later step needs exist).
        type: bool
        default: false
      that:
        description:
          - A condition, or a list of conditions that must all hold; the chain fails with O(steps[].fail_msg) at the
            first that does not.
        type: raw
      fail_msg:
        description:
          - The message of a failed O(steps[].that). May be a template.
        type: str
        default: Assertion failed
notes:
  - Each step's result is what its module returned; its warnings and deprecations are also the task's, so Ansible shows them.
  - The chain runs no module of another collection; compose those as tasks of their own.
"""

EXAMPLES = r"""
- name: Ensure a reporting app with its key and its scopes, in one task
  saasops.okta_m2m.okta_chain:
    steps:
      - name: Ensure the key pair
        module: okta_app_jwk
        args:
          key_path: /etc/okta/zluri/reporting-key.pem
        register: key
      - name: Ensure the API Services app with the key
        module: okta_service_app
        args:
          label: Reporting
          public_keys:
            - "{{ key.public_jwk }}"
        register: app
      - name: Grant the Okta API scopes
        module: okta_scope_grant
        args:
          app_client_id: "{{ app.client_id }}"
          app_scopes: [okta.logs.read, okta.apps.read]
      - name: Check the app authenticates with its key and requires DPoP
        that:
          - app.app.token_endpoint_auth_method == 'private_key_jwt'
          - app.app.dpop_bound_access_tokens
        fail_msg: the app {{ app.client_id }} is not bound to its key
  module_defaults:
    group/saasops.okta_m2m.okta:
      org_url: https://example.okta.com
      api_token: "{{ okta_api_token }}"
  register: reporting
"""

RETURN = r"""
steps:
  description:
    - The result of each step with a O(steps[].register), under that name, as its module returned it. A step whose
      O(steps[].when) did not hold has C(skipped=true); a step after a failed one has no entry.
  returned: always
  type: dict
  sample:
    key:
      changed: false
      kid: 2zW1nD9qoXgJ0nF6Qd3qZr3gN0n9pY2oXgJ0nF6Qd3q
check_mode:
  description:
    - Whether the steps ran in check mode (the task's mode; a step's own O(steps[].check_mode) aside), so that what
      they report is what they would change.
  returned: always
  type: bool
  sample: false
timings:
  description:
    - When each step that was reached started and how long it took, in order, so a slow step can be told from the rest.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The step's name.
      type: str
    register:
      description: The step's O(steps[].register), if it has one.
      type: str
    module:
      description: The step's module; none for a check.
      type: str
    started:
      description: When the step started, in seconds since the epoch.
      type: float
    seconds:
      description: How long the step took, in seconds.
      type: float
  sample:
    - {name: Ensure the key pair, register: key, module: okta_app_jwk, started: 1796212800.25, seconds: 0.004}
failed_step:
  description:
    - The name of the step that failed.
  returned: failure
  type: str
  sample: Ensure the API Services app with the key
"""
