# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight's action plugin, found by its name: the in_process plugin, imported by the strategy before it forks.

okta_preflight runs through in_process like every module (meta/runtime.yml). This file adds only an effect on time:
ansible-core's strategy looks an action plugin up by the task's name in its main process, before it forks the task's
worker, and routing by plugin_routing is resolved in the worker. So this name makes the main process import
in_process, and with it the Okta client, requests, cryptography and PyJWT, at the first pre-flight task; every worker
forked after it inherits them instead of importing them again (0.05 to 0.1 s of CPU per module task). The zluri_okta
role starts with the pre-flight.
"""

from __future__ import annotations

from ansible_collections.saasops.okta_m2m.plugins.action.in_process import ActionModule

__all__ = ["ActionModule"]
