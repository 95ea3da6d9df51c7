# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs saasops.okta_m2m.okta_preflight in the controller process when its task runs on the controller."""

from __future__ import annotations

from ansible_collections.saasops.okta_m2m.plugins.modules import okta_preflight
from ansible_collections.saasops.okta_m2m.plugins.plugin_utils.in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    module = okta_preflight
