# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaConfigError, RetryPolicy
from ansible_collections.saasops.okta_m2m.plugins.module_utils.reconcile import (
    Kind,
    Member,
    ensure_members,
    ensure_object,
    list_delta,
    removal_delta,
    single_match,
)


def test_list_delta_with_and_without_purge() -> None:
    delta = list_delta(["a", "b", "c"], ["b", "c", "d"], key=lambda x: x, purge=True)
    assert (delta.to_add, delta.to_remove) == (["d"], ["a"])
    delta = list_delta(["a", "b"], ["b", "d"], key=lambda x: x, purge=False)
    assert (delta.to_add, delta.to_remove) == (["d"], [])
    assert not list_delta(["a"], ["a", "a"], key=lambda x: x, purge=True)


def test_list_delta_updates_items_whose_content_differs() -> None:
    current = [{"k": 1, "v": "old"}, {"k": 2, "v": "same"}]
    desired = [{"k": 1, "v": "new"}, {"k": 2, "v": "same"}]
    delta = list_delta(current, desired, key=lambda i: i["k"], purge=True, same=lambda d, c: d["v"] == c["v"])
    assert delta.to_update == [(desired[0], current[0])]
    assert not delta.to_add and not delta.to_remove


def test_removal_delta() -> None:
    assert removal_delta(["a", "b"], ["b", "z"], key=lambda x: x).to_remove == ["b"]


def test_single_match() -> None:
    assert single_match([], "app", "'x'") is None
    assert single_match([1], "app", "'x'") == 1
    with pytest.raises(OktaConfigError, match="ambiguous: 2 objects"):
        single_match([1, 2], "app", "'x'")


class Pauses:
    """The part of a Transport the mechanism uses between attempts: its retry policy and its bounded pause."""

    def __init__(self) -> None:
        self.retry = RetryPolicy(max_retries=2)
        self.paused: list[str] = []

    def pause(self, seconds: float, reason: str) -> None:
        self.paused.append(reason)


class Store:
    """An in-memory org holding one kind of labelled object with a list of tags."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.writes: list[str] = []
        self.fail_next_create_after_applying = False
        self.failures_before_create: list[OktaApiError] = []
        self.failures_before_add: list[OktaApiError] = []
        self.transport = Pauses()


class TagMember(Member):
    name = "tags"
    noun = "tag"

    def key(self, item: str) -> str:
        return item

    def current(self, client: Store, parent: dict[str, Any]) -> list[str]:
        return list(client.objects[parent["label"]]["tags"])

    def add(self, client: Store, parent: dict[str, Any], items: list[str]) -> None:
        if client.failures_before_add:
            raise client.failures_before_add.pop(0)
        client.writes.append("add " + ",".join(items))
        client.objects[parent["label"]]["tags"].extend(items)

    def remove(self, client: Store, parent: dict[str, Any], items: list[str]) -> None:
        client.writes.append("remove " + ",".join(items))
        for item in items:
            client.objects[parent["label"]]["tags"].remove(item)


class ThingKind(Kind):
    noun = "thing"
    fields = ("label", "description")
    members = (TagMember(),)

    def find(self, client: Store, desired: dict[str, Any]) -> dict[str, Any] | None:
        return client.objects.get(desired["label"])

    def create(self, client: Store, desired: dict[str, Any]) -> dict[str, Any]:
        if client.failures_before_create:
            raise client.failures_before_create.pop(0)
        client.writes.append("create")
        client.objects[desired["label"]] = {"id": "t1", "label": desired["label"], "description": desired["description"], "tags": list(desired["tags"])}
        if client.fail_next_create_after_applying:
            raise OktaApiError("lost answer", status=502)
        return client.objects[desired["label"]]

    def update(self, client: Store, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        client.writes.append("update")
        current["description"] = desired["description"]
        return current

    def delete(self, client: Store, current: dict[str, Any]) -> None:
        client.writes.append("delete")
        del client.objects[current["label"]]


def desired(description: str = "d", tags: list[str] | None = None) -> dict[str, Any]:
    return {"label": "x", "description": description, "tags": ["a", "b"] if tags is None else tags}


def run(store: Store, want: dict[str, Any], state: str = "present", check: bool = False, purge: bool = True) -> Any:
    return ensure_object(store, ThingKind(), want, state, check, purge={"tags": purge})  # type: ignore[arg-type]


def test_check_mode_reports_the_same_change_without_writing() -> None:
    store = Store()
    checked = run(store, desired(), check=True)
    assert checked.changed and store.writes == []
    applied = run(store, desired())
    assert applied.changed == checked.changed and applied.changes == checked.changes
    assert store.writes == ["create"]
    assert applied.after == {"label": "x", "description": "d", "tags": ["a", "b"]}
    assert applied.before is None
    assert applied.created and not checked.created
    assert not run(store, desired()).created


def test_converged_object_makes_no_write() -> None:
    store = Store()
    run(store, desired())
    store.writes.clear()
    again = run(store, desired())
    assert not again.changed and store.writes == []
    assert again.before == again.after


def test_field_and_member_changes_with_diff() -> None:
    store = Store()
    run(store, desired())
    store.writes.clear()
    outcome = run(store, desired("new", ["b", "c"]))
    assert store.writes == ["update", "add c", "remove a"]
    assert outcome.before == {"label": "x", "description": "d", "tags": ["a", "b"]}
    assert outcome.after == {"label": "x", "description": "new", "tags": ["b", "c"]}


def test_without_purge_unlisted_items_stay() -> None:
    store = Store()
    run(store, desired(tags=["a", "b"]))
    outcome = run(store, desired(tags=["c"]), purge=False)
    assert outcome.after["tags"] == ["a", "b", "c"]
    assert store.objects["x"]["tags"] == ["a", "b", "c"]


def test_absent_twice() -> None:
    store = Store()
    run(store, desired())
    first = run(store, desired(), state="absent")
    second = run(store, desired(), state="absent")
    assert first.changed and not second.changed
    assert store.objects == {}


def test_lost_create_answer_adopts_the_created_object() -> None:
    store = Store()
    store.fail_next_create_after_applying = True
    outcome = run(store, desired())
    assert outcome.obj["id"] == "t1"
    assert store.writes == ["create"]


def test_member_only_reconcile() -> None:
    store = Store()
    run(store, desired(tags=["a"]))
    parent = store.objects["x"]
    member = TagMember()
    outcome = ensure_members(store, member, parent, ["b"], "present", exclusive=False, check_mode=False)  # type: ignore[arg-type]
    assert outcome.changed and store.objects["x"]["tags"] == ["a", "b"]
    outcome = ensure_members(store, member, parent, ["b"], "present", exclusive=True, check_mode=True)  # type: ignore[arg-type]
    assert outcome.changes == ["remove tag a"] and store.objects["x"]["tags"] == ["a", "b"]
    outcome = ensure_members(store, member, parent, ["a", "z"], "absent", exclusive=False, check_mode=False)  # type: ignore[arg-type]
    assert store.objects["x"]["tags"] == ["b"]
    assert outcome.before == {"tags": ["a", "b"]} and outcome.after == {"tags": ["b"]}


class UnreadableTagMember(TagMember):
    def current(self, client: Store, parent: dict[str, Any]) -> list[str]:
        raise AssertionError("the tags were read although the caller knew them")


def test_members_the_caller_knows_are_not_read() -> None:
    store = Store()
    run(store, desired(tags=[]))
    store.writes.clear()
    outcome = ensure_members(store, UnreadableTagMember(), store.objects["x"], ["a"], "present", exclusive=False,  # type: ignore[arg-type]
                             check_mode=False, known_current=[])
    assert store.writes == ["add a"] and outcome.before == {"tags": []} and outcome.after == {"tags": ["a"]}


def test_a_create_that_failed_before_okta_applied_it_is_sent_again() -> None:
    store = Store()
    store.failures_before_create = [OktaApiError("reset", status=None), OktaApiError("busy", status=503)]
    outcome = run(store, desired())
    assert store.writes == ["create"] and outcome.obj["id"] == "t1"
    assert len(store.transport.paused) == 2


def test_a_create_that_keeps_failing_gives_up_after_max_retries() -> None:
    store = Store()
    store.failures_before_create = [OktaApiError("busy", status=503) for _attempt in range(3)]
    with pytest.raises(OktaApiError, match="busy"):
        run(store, desired())
    assert store.objects == {}


def test_a_refusal_is_not_repeated() -> None:
    store = Store()
    store.failures_before_create = [OktaApiError("bad", status=400)]
    with pytest.raises(OktaApiError, match="bad"):
        run(store, desired())
    assert store.transport.paused == []


def test_additions_after_a_lost_answer_add_only_what_is_missing() -> None:
    store = Store()
    run(store, desired(tags=["a"]))
    store.writes.clear()
    store.failures_before_add = [OktaApiError("reset", status=None)]
    run(store, desired(tags=["a", "b"]))
    assert store.writes == ["add b"]


class NamesakeKind(ThingKind):
    """Labels are not unique: another run created a namesake a moment before this one."""

    unique_key = False

    def __init__(self, earlier: dict[str, Any]) -> None:
        self.earlier = earlier

    def create(self, client: Store, desired: dict[str, Any]) -> dict[str, Any]:
        return dict(super().create(client, desired), created="2026-01-01T00:00:05.000Z")

    def namesakes(self, client: Store, desired: dict[str, Any]) -> list[dict[str, Any]]:
        return [self.earlier, client.objects[desired["label"]]]

    def delete(self, client: Store, current: dict[str, Any]) -> None:
        client.writes.append("delete " + current["id"])
        client.objects[current["label"]] = self.earlier


def test_a_namesake_made_at_the_same_moment_is_settled_on_the_oldest() -> None:
    store = Store()
    earlier = {"id": "t0", "label": "x", "description": "other", "tags": [], "created": "2026-01-01T00:00:00.000Z"}
    outcome = ensure_object(store, NamesakeKind(earlier), desired(), "present", False, purge={"tags": True})  # type: ignore[arg-type]
    assert store.writes == ["create", "delete t1", "update", "add a,b"]
    assert outcome.obj["id"] == "t0" and not outcome.created
    assert outcome.after == {"label": "x", "description": "d", "tags": ["a", "b"]}


class RefusingTagMember(TagMember):
    """Refuses any delta that adds the tag 'bad' (as a key guard refuses a key beside keys in use)."""

    def check_delta(self, parent: Any, delta: Any, current: list[str]) -> None:
        if "bad" in delta.to_add:
            raise OktaConfigError("refused")


class GuardedThingKind(ThingKind):
    members = (RefusingTagMember(),)


def test_a_refused_member_delta_writes_nothing_not_even_the_field_update() -> None:
    store = Store()
    run(store, desired())
    store.writes.clear()
    with pytest.raises(OktaConfigError, match="refused"):
        ensure_object(store, GuardedThingKind(), desired("new description", ["a", "b", "bad"]), "present", False,  # type: ignore[arg-type]
                      purge={"tags": True})
    assert store.writes == []
    assert store.objects["x"]["description"] == "d"


class CarryingThingKind(ThingKind):
    """Its update writes the missing tags too whenever the description changes (as an app switched to private_key_jwt
    carries its keys in the same PUT)."""

    def members_added_by_update(self, changed_fields: list[str]) -> tuple[str, ...]:
        return ("tags",) if "description" in changed_fields else ()

    def update(self, client: Store, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        client.writes.append("update with tags")
        current["description"] = desired["description"]
        current["tags"].extend(tag for tag in desired["tags"] if tag not in current["tags"])
        return current


@pytest.mark.parametrize("check", [True, False])
def test_members_an_update_carries_are_not_added_again(check: bool) -> None:
    store = Store()
    run(store, desired(tags=["a"]))
    store.writes.clear()
    outcome = ensure_object(store, CarryingThingKind(), desired("new", ["a", "b"]), "present", check, purge={"tags": True})  # type: ignore[arg-type]
    assert outcome.changes == ["update thing 'x' description with add tag b"]
    assert store.writes == ([] if check else ["update with tags"])
    assert outcome.after["tags"] == ["a", "b"]
