# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages name options as the caller knows them: a role's variables, or the module's own options."""

from __future__ import annotations

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_config import name_options


def test_options_are_named_by_the_callers_names_or_their_own() -> None:
    text = "set O(remove_super_admin)=true or leave it out of O(roles); O(label) is fine"
    assert name_options(text) == "set remove_super_admin=true or leave it out of roles; label is fine"
    named = name_options(text, {"remove_super_admin": "zluri_okta_remove_super_admin", "roles": "zluri_okta_standard_roles"})
    assert named == "set zluri_okta_remove_super_admin=true or leave it out of zluri_okta_standard_roles; label is fine"


def test_text_without_references_is_left_alone() -> None:
    assert name_options("Okta said O (not an option) and 0(1)", {"x": "y"}) == "Okta said O (not an option) and 0(1)"


def test_an_option_with_its_value_may_have_words_of_its_own() -> None:
    names = {"add_beside_active_keys=true": "-e zluri_okta_rotation=start", "remove_super_admin": "zluri_okta_remove_super_admin"}
    assert name_options("(O(add_beside_active_keys)=true)", names) == "(-e zluri_okta_rotation=start)"
    assert name_options("O(add_beside_active_keys)=false", names) == "add_beside_active_keys=false"
    assert name_options("set O(remove_super_admin)=true", names) == "set zluri_okta_remove_super_admin=true"
