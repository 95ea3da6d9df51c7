# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keys that are never added silently, keys that stay retired (Okta remembers them), finishes that keep the newest key, the
50-key limit, and the promotion of a rotated key file."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.apps import ServiceAppKind
from ansible_collections.saasops.okta_m2m.plugins.module_utils.jwks import (
    MAX_KEYS_PER_APP,
    JwkMember,
    adopt_registered_kid,
    ensure_local_key,
    load_local_key,
    promote_key,
)
from ansible_collections.saasops.okta_m2m.plugins.module_utils.keys import generate_rsa_key, jwk_thumbprint, private_key_pem, write_private_key_file
from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaConfigError
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import Plan, list_delta, removal_delta


def public_jwk(kid: str) -> dict[str, Any]:
    key = ensure_local_key(None, private_key_pem(generate_rsa_key(2048)).decode("ascii"), None, 2048, kid, True)
    return dict(key.public_jwk)


CONSOLE_KEY = dict(public_jwk("console-2025"), id="pks1", status="ACTIVE", created="2025-03-01T10:00:00.000Z")
OURS = public_jwk("ours")


def delta_for(member: JwkMember, current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> Any:
    return list_delta(current, wanted, member.key, False, member.same)


def test_a_key_is_not_added_beside_active_keys_unless_asked() -> None:
    guarded = JwkMember(beside_other_keys=False)
    with pytest.raises(OktaConfigError, match=r"already holds the ACTIVE key console-2025 \(registered 2025-03-01.*key ours is not among them"):
        guarded.check_delta({}, delta_for(guarded, [CONSOLE_KEY], [OURS]), [CONSOLE_KEY])
    allowed = JwkMember(beside_other_keys=True)
    allowed.check_delta({}, delta_for(allowed, [CONSOLE_KEY], [OURS]), [CONSOLE_KEY])


def test_the_guard_lets_a_first_key_in_and_a_key_beside_retired_ones() -> None:
    guarded = JwkMember(beside_other_keys=False)
    guarded.check_delta({}, delta_for(guarded, [], [OURS]), [])
    inactive_console = dict(CONSOLE_KEY, status="INACTIVE")
    guarded.check_delta({}, delta_for(guarded, [inactive_console], [OURS]), [inactive_console])


def test_a_retired_key_comes_back_only_on_purpose_whatever_kid_it_is_brought_under() -> None:
    retired = dict(OURS, kid="zluri-2025", id="pks2", status="INACTIVE", created="2025-01-01T00:00:00.000Z", lastUpdated="2026-01-01T00:00:00.000Z")
    current = [retired, CONSOLE_KEY]
    member = JwkMember(beside_other_keys=True)
    aligned = member.align(current, [OURS])
    assert [key["kid"] for key in aligned] == ["zluri-2025"]
    delta = list_delta(current, aligned, member.key, False, member.same)
    assert delta.to_update and not delta.to_add
    with pytest.raises(OktaConfigError, match=r"key zluri-2025 \(registered 2025-01-01T00:00:00.000Z, retired 2026-01-01T00:00:00.000Z\) was retired"
                                              r".*ACTIVE \(console-2025 .*O\(reactivate_retired_keys\)=true"):
        member.check_delta({}, delta, current)
    JwkMember(reactivate_retired=True).check_delta({}, delta, current)
    with pytest.raises(OktaConfigError, match=r"O\(reactivate_retired_keys\)"):
        JwkMember(option_for={"public_keys": "key_path"}).check_delta({}, delta, current)


def key(kid: str, created: str, status: str = "ACTIVE") -> dict[str, Any]:
    return dict(public_jwk(kid), id="pks-" + kid, status=status, created=created)


OLD = key("old", "2026-01-01T10:00:00.000Z")
NEW = key("new", "2026-06-01T10:00:00.000Z")


def purge_delta(member: JwkMember, current: list[dict[str, Any]], keep: dict[str, Any]) -> Any:
    return list_delta(current, [keep], member.key, JwkMember.purge_active, member.same)


def test_a_finish_retires_older_keys_and_keeps_retired_ones_as_they_are() -> None:
    member = JwkMember(beside_other_keys=False)
    retired = key("older", "2025-01-01T10:00:00.000Z", "INACTIVE")
    current = [retired, OLD, NEW]
    delta = purge_delta(member, current, NEW)
    assert [item["kid"] for item in delta.to_remove] == ["old"]
    member.check_delta({}, delta, current)
    assert [item["status"] for item in member.remaining(current, delta)] == ["INACTIVE", "ACTIVE", "INACTIVE"]
    assert member.describe("remove", delta.to_remove) == "retire (deactivate, kept INACTIVE) key old"


@pytest.mark.parametrize("created", ["2026-06-01T10:00:00.000Z", "2026-06-01T10:00:00.000Z".replace("06-01", "07-01")])
def test_a_finish_never_retires_a_key_as_new_as_the_one_it_keeps(created: str) -> None:
    member = JwkMember(beside_other_keys=False)
    handed_over = key("handed-over", created)
    current = [NEW, handed_over]
    with pytest.raises(OktaConfigError, match=r"key handed-over \(registered %s\) is not older than the key this run keeps \(new "
                                              r".*state=absent kid=handed-over" % created):
        member.check_delta({}, purge_delta(member, current, NEW), current)


def test_a_delete_by_kid_may_remove_the_newest_key() -> None:
    member = JwkMember(delete=True)
    current = [OLD, NEW]
    delta = removal_delta(current, [{"kid": "new"}], member.key)
    member.check_delta({}, delta, current)
    assert member.remaining(current, delta) == [OLD]


def test_a_full_app_makes_room_by_deleting_its_oldest_retired_keys() -> None:
    retired = [key("r%02d" % day, "2025-01-%02dT00:00:00.000Z" % day, "INACTIVE") for day in range(1, 30)]
    retired += [key("s%02d" % day, "2025-02-%02dT00:00:00.000Z" % day, "INACTIVE") for day in range(1, 21)]
    current = retired + [OLD]
    assert len(current) == MAX_KEYS_PER_APP
    member = JwkMember(beside_other_keys=True)
    delta = delta_for(member, current, [public_jwk("next")])
    member.check_delta({}, delta, current)
    assert [item["kid"] for item in member.make_room] == ["r01"]
    plan = Plan(check_mode=True)
    member.write(plan, None, {"id": "0oa1"}, delta)  # type: ignore[arg-type]
    assert plan.changes[0].startswith("delete the oldest retired key r01 (registered 2025-01-01T00:00:00.000Z) to stay within Okta's 50 keys")
    assert "r01" not in [item["kid"] for item in member.remaining(current, delta)]


def test_a_full_app_of_active_keys_is_refused() -> None:
    current = [key("a%02d" % number, "2025-01-01T00:00:00.000Z") for number in range(MAX_KEYS_PER_APP)]
    member = JwkMember(beside_other_keys=True)
    with pytest.raises(OktaConfigError, match=r"at most 50 keys per app, and the app holds 50 ACTIVE keys; retire keys first \(O\(purge_public_keys\)=true\)"):
        member.check_delta({}, delta_for(member, current, [public_jwk("next")]), current)


class PutRecorder:
    """Answers the app read and records the PUT the switch to private_key_jwt sends."""

    def __init__(self, app: dict[str, Any]) -> None:
        self.app = app
        self.sent: list[tuple[str, str, Any]] = []

    def get(self, path: str, params: Any = None) -> dict[str, Any]:
        self.sent.append(("GET", path, None))
        return self.app

    def put(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(("PUT", path, body))
        return body


CONSOLE_APP = {
    "id": "0oa1", "name": "oidc_client", "label": "Zluri", "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
    "credentials": {"oauthClient": {"client_id": "0oa1", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "s3cr3t"}},
    "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"], "dpop_bound_access_tokens": True}},
}
DESIRED = {"label": "Zluri", "dpop_bound_access_tokens": False, "status": "ACTIVE", "token_endpoint_auth_method": "private_key_jwt",
           "grant_types": ["client_credentials"], "jwks": [OURS]}


def test_a_client_secret_app_switches_to_private_key_jwt_in_one_put_that_carries_the_key() -> None:
    kind = ServiceAppKind()
    assert kind.differs(CONSOLE_APP, DESIRED) == ["dpop_bound_access_tokens", "token_endpoint_auth_method"]
    assert kind.members_added_by_update(kind.differs(CONSOLE_APP, DESIRED)) == ("jwks",)
    client = PutRecorder(CONSOLE_APP)
    kind.update(client, CONSOLE_APP, DESIRED)  # type: ignore[arg-type]
    put = [body for method, _path, body in client.sent if method == "PUT"]
    assert len(put) == 1
    credentials = put[0]["credentials"]["oauthClient"]
    assert credentials["token_endpoint_auth_method"] == "private_key_jwt" and "client_secret" not in credentials
    assert [key["kid"] for key in put[0]["settings"]["oauthClient"]["jwks"]["keys"]] == ["ours"]
    assert put[0]["settings"]["oauthClient"]["dpop_bound_access_tokens"] is False


def test_the_switch_keeps_keys_the_app_already_has() -> None:
    app = dict(CONSOLE_APP, settings={"oauthClient": dict(CONSOLE_APP["settings"]["oauthClient"], jwks={"keys": [CONSOLE_KEY]})})
    client = PutRecorder(app)
    ServiceAppKind().update(client, app, DESIRED)  # type: ignore[arg-type]
    body = client.sent[-1][2]
    assert [key["kid"] for key in body["settings"]["oauthClient"]["jwks"]["keys"]] == ["console-2025", "ours"]
    assert "id" not in body["settings"]["oauthClient"]["jwks"]["keys"][0]


def test_the_switch_without_any_key_is_refused_before_the_put() -> None:
    client = PutRecorder(CONSOLE_APP)
    with pytest.raises(OktaConfigError, match="give public_keys"):
        ServiceAppKind().update(client, CONSOLE_APP, dict(DESIRED, jwks=None))  # type: ignore[arg-type]
    assert [method for method, _path, _body in client.sent] == ["GET"]


def test_promote_moves_the_new_key_onto_the_retired_one_atomically_and_is_idempotent(tmp_path: Path) -> None:
    old, new = str(tmp_path / "key.pem"), str(tmp_path / "key-next.pem")
    write_private_key_file(old, private_key_pem(generate_rsa_key(2048)))
    local = ensure_local_key(new, None, None, 2048, None, False)
    assert promote_key(local, new, False) is None
    assert promote_key(local, old, True) is not None and os.path.exists(new)
    assert "replacing the retired key" in str(promote_key(local, old, False))
    assert not os.path.exists(new) and stat.S_IMODE(os.stat(old).st_mode) == 0o600
    assert ensure_local_key(old, None, None, 2048, None, True).kid == local.kid
    write_private_key_file(new, private_key_pem(local.key))
    assert "already" in str(promote_key(local, old, False)) and not os.path.exists(new)


def test_a_key_the_app_holds_under_a_console_kid_is_that_key_not_a_new_one() -> None:
    console_named = dict(OURS, kid="console-2025", id="pks9", status="ACTIVE")
    member = JwkMember(beside_other_keys=False)
    aligned = member.align([console_named], [OURS])
    assert [key["kid"] for key in aligned] == ["console-2025"]
    delta = delta_for(member, [console_named], aligned)
    assert not delta
    member.check_delta({}, delta, [console_named])


def test_the_local_key_adopts_the_kid_the_app_holds_it_under() -> None:
    local = ensure_local_key(None, private_key_pem(generate_rsa_key(2048)).decode("ascii"), None, 2048, None, True)
    thumbprint = local.kid
    adopt_registered_kid(local, [dict(CONSOLE_KEY), dict(local.public_jwk, kid="inactive-name", status="INACTIVE"),
                                 dict(local.public_jwk, kid="console-name", status="ACTIVE")])
    assert local.kid == "console-name" and local.public_jwk["kid"] == "console-name"
    other = ensure_local_key(None, private_key_pem(generate_rsa_key(2048)).decode("ascii"), None, 2048, None, True)
    adopt_registered_kid(other, [CONSOLE_KEY])
    assert other.kid != thumbprint and other.kid == jwk_thumbprint(other.public_jwk)


def test_loading_a_key_never_generates_one(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.pem")
    assert load_local_key(missing, None, None, None) is None
    assert not os.path.exists(missing)
    generated = ensure_local_key(missing, None, None, 2048, None, False)
    assert generated.generated and os.path.exists(missing)
    loaded = load_local_key(missing, None, None, None)
    assert loaded is not None and not loaded.generated and loaded.kid == generated.kid
