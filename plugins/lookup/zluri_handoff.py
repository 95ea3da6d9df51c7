# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: zluri_handoff
short_description: Read the hand-off bundle zluri_connection wrote last
version_added: 1.0.0
author:
  - saasops.okta_m2m developers (@saasops)
description:
  - Reads the hand-off bundle that M(saasops.okta_m2m.zluri_connection) wrote at a path on the controller, as that
    module reads it before it writes a new one.
  - The C(saasops.okta_m2m.zluri_okta) role uses it to find the app by the id the last hand-off recorded, to refuse keys
    a finished rotation retired, and to check that a finishing rotation keeps the key Zluri was given.
options:
  _terms:
    description: Paths of hand-off bundles.
    required: true
    type: list
    elements: path
notes:
  - A missing file, or one that is not a JSON bundle, gives an empty dictionary.
  - The bundle never holds a secret unless it was written with O(saasops.okta_m2m.zluri_connection#module:embed_private_key=true);
    then its C(form) holds the private key PEM, so do not print what this lookup returns.
seealso:
  - module: saasops.okta_m2m.zluri_connection
"""

EXAMPLES = r"""
- name: The app id the last hand-off recorded
  ansible.builtin.debug:
    msg: "{{ (query('saasops.okta_m2m.zluri_handoff', '/var/lib/zluri-okta/acme/zluri-handoff.json') | first).get('okta', {}).get('app_id') }}"
"""

RETURN = r"""
_raw:
  description: One bundle per path (C(form), C(okta), C(verification), ...), or an empty dictionary.
  type: list
  elements: dict
"""

from ansible.plugins.lookup import LookupBase  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.saasops.okta_m2m.plugins.module_utils.zluri import read_bundle  # noqa: E402  pylint: disable=wrong-import-position


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [read_bundle(path) or {} for path in terms]
