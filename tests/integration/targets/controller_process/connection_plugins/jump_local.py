# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A jump host that is this machine: a connection that is not the controller's own, and needs no network."""

from __future__ import annotations

DOCUMENTATION = """
name: jump_local
short_description: Stand-in for a jump host, executing on this machine (tests only)
description:
  - Runs commands like ansible.builtin.local, under another transport name, so that a task delegated to a host
    with this connection is executed as on any remote host (module payload, new interpreter).
author: saasops.okta_m2m developers (@saasops)
extends_documentation_fragment:
  - connection_pipelining
"""

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    transport = "jump_local"
