# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.okta_m2m contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one reconcile mechanism: find by natural key, compare, write only what differs, purge, check and diff.

An object kind (a custom role, a resource set, an app) describes how to find, create, update and delete
itself and which list-valued members it has (permissions, resources, keys, grants, role assignments).
ensure_object() and ensure_members() do the rest the same way for every module.

Private to the collection (not a public API): it may change in any release.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Hashable, Iterable, Sequence, TypeVar, Union
from urllib.parse import quote

from ansible_collections.saasops.okta_m2m.plugins.module_utils.okta_client import OktaApiError, OktaClient, OktaConfigError

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class ListDelta(Generic[Item]):
    """What to add, change and remove to turn a current list into a desired one (computed once, used everywhere)."""

    to_add: list[Item] = field(default_factory=list)
    to_update: list[tuple[Item, Item]] = field(default_factory=list)
    to_remove: list[Item] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.to_add or self.to_update or self.to_remove)


Purge = Union[bool, Callable[[Any], bool]]


def list_delta(
    current: Iterable[Item],
    desired: Iterable[Item],
    key: Callable[[Item], Hashable],
    purge: Purge,
    same: Callable[[Item, Item], bool] | None = None,
) -> ListDelta[Item]:
    """Compare by natural key; current items not desired are removed if purge is true, or if purge(item) is.

    to_update pairs (desired, current) whose keys match but whose content differs per same().
    """
    current_by_key = {key(item): item for item in current}
    desired_by_key: dict[Hashable, Item] = {}
    for item in desired:
        desired_by_key.setdefault(key(item), item)
    delta: ListDelta[Item] = ListDelta()
    for item_key, item in desired_by_key.items():
        existing = current_by_key.get(item_key)
        if existing is None:
            delta.to_add.append(item)
        elif same is not None and not same(item, existing):
            delta.to_update.append((item, existing))
    delta.to_remove = [item for item_key, item in current_by_key.items()
                       if item_key not in desired_by_key and (purge(item) if callable(purge) else purge)]
    return delta


def removal_delta(current: Iterable[Item], unwanted: Iterable[Item], key: Callable[[Item], Hashable]) -> ListDelta[Item]:
    """state=absent for listed items: remove those that exist."""
    unwanted_keys = {key(item) for item in unwanted}
    return ListDelta(to_remove=[item for item in current if key(item) in unwanted_keys])


def single_match(matches: Sequence[Item], noun: str, natural_key: str, hint: str = "") -> Item | None:
    """The one object a natural key names, None when there is none, an error when several match."""
    if len(matches) > 1:
        raise OktaConfigError(
            "%s %s is ambiguous: %d objects match%s" % (noun, natural_key, len(matches), "; " + hint if hint else "")
        )
    return matches[0] if matches else None


def find_by_label(client: OktaClient, path: str, items_key: str, label: str, allow_id: bool = False) -> dict[str, Any] | None:
    """The object of an /api/v1/iam collection (custom roles, resource sets) labelled label, or None.

    Okta reads path/{idOrLabel} as an id or a label, so one GET finds most objects. An object whose id happens to
    equal the label is not the one the label names: the list decides, and with allow_id (a reference to an object,
    not the object being managed) that object is taken when none has the label.

    A label holding ';' or a backslash is looked for in the list only. Okta's web container cannot read them in a
    path: it takes ';' for the start of path parameters and drops the rest, and refuses a backslash with an HTML 400
    (okta-sdk-java PR #1526 tests; docs/okta-api.md 2.1). That GET answers 404 (or the object labelled with what
    precedes ';'), and taking it for "missing" would create a second object with the label.
    """
    fallback = None
    if ";" not in label and "\\" not in label:
        found = client.get_optional("%s/%s" % (path, quote(label, safe="")))
        if found is None or found.get("label") == label:
            return found
        fallback = found if allow_id else None
    return next((item for item in client.paginate(path, items_key=items_key) if item.get("label") == label), fallback)


def is_uncertain_failure(error: OktaApiError) -> bool:
    """The write may have been applied although no success answer arrived (lost connection or server error)."""
    return error.status is None or error.status >= 500


class Plan:
    """The writes one run makes; in check mode they are described and counted but never sent."""

    def __init__(self, check_mode: bool) -> None:
        self.check_mode = check_mode
        self.changes: list[str] = []

    def write(self, description: str, call: Callable[[], Result]) -> Result | None:
        self.changes.append(description)
        if self.check_mode:
            return None
        return call()

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class Member(Generic[Item]):
    """A list-valued part of an object reconciled item by item (permissions, resources, keys, grants, roles).

    Subclasses implement current(), add(), remove() and, where items can change in place, update().
    Items are plain dicts in Okta's own shape; key() gives the natural key and view() the diff form.
    """

    name = "items"
    noun = "item"

    def key(self, item: Item) -> Hashable:
        raise NotImplementedError

    def same(self, desired: Item, current: Item) -> bool:
        return True

    def view(self, item: Item) -> Any:
        return self.key(item)

    def current(self, client: OktaClient, parent: Any) -> list[Item]:
        raise NotImplementedError

    def reread(self, client: OktaClient, parent: Any) -> list[Item]:
        """current() straight from Okta, for when what the parent object carried may be stale."""
        return self.current(client, parent)

    def add(self, client: OktaClient, parent: Any, items: list[Item]) -> None:
        raise NotImplementedError

    def update(self, client: OktaClient, parent: Any, desired: Item, current: Item) -> None:
        raise OktaConfigError("%s %s cannot be changed in place" % (self.noun, self.view(desired)))

    def remove(self, client: OktaClient, parent: Any, items: list[Item]) -> None:
        raise NotImplementedError

    def add_surely(self, client: OktaClient, parent: Any, items: list[Item]) -> None:
        """add(), made safe to repeat: after a failure that leaves unknown what Okta applied, the current items are
        read again and only those still missing are added again (bounded by max_retries).

        A repeat that Okta refuses as a duplicate (the lost attempt did land) is settled by the same re-read.
        """
        retry = client.transport.retry
        attempt = 0
        while True:
            try:
                self.add(client, parent, items)
                return
            except OktaApiError as error:
                if not (is_uncertain_failure(error) or (attempt and error.status in (400, 409))):
                    raise
                present = {self.key(item) for item in self.reread(client, parent)}
                items = [item for item in items if self.key(item) not in present]
                attempt += 1
                if not items:
                    return
                if attempt > retry.max_retries:
                    raise
            client.transport.pause(retry.backoff(attempt), "adding %s again" % self.noun)

    def after_removal(self, item: Item) -> Item | None:
        """What a removed item becomes: gone (None), or still there in another state (a retired key)."""
        return None

    def remaining(self, current: list[Item], delta: ListDelta[Item]) -> list[Item]:
        """The current items as they are after delta's removals."""
        removed = {self.key(item) for item in delta.to_remove}
        kept = [item for item in current if self.key(item) not in removed]
        return kept + [after for after in map(self.after_removal, delta.to_remove) if after is not None]

    def align(self, current: list[Item], desired: list[Item]) -> list[Item]:
        """The desired items in the terms the current ones use, where one thing goes by two names (a key registered
        under a kid chosen in the console)."""
        return desired

    def check_delta(self, parent: Any, delta: ListDelta[Item], current: list[Item]) -> None:
        """Refuse, before any write, a delta that would leave the parent in a bad state (it never alters the delta)."""

    def describe(self, action: str, items: Sequence[Item]) -> str:
        return "%s %s %s" % (action, self.noun if len(items) == 1 else self.noun + "s", ", ".join(str(self.view(item)) for item in items))

    def apply(self, plan: Plan, client: OktaClient, parent: Any, delta: ListDelta[Item], current: list[Item]) -> None:
        """Additions first, then changes, then removals: a key is never retired before its successor is active."""
        self.check_delta(parent, delta, current)
        self.write(plan, client, parent, delta)

    def write(self, plan: Plan, client: OktaClient, parent: Any, delta: ListDelta[Item]) -> None:
        """The writes of an already checked delta, in apply()'s order."""
        if delta.to_add:
            plan.write(self.describe("add", delta.to_add), lambda: self.add_surely(client, parent, delta.to_add))
        for desired, existing in delta.to_update:
            plan.write(self.describe("update", [desired]), lambda d=desired, e=existing: self.update(client, parent, d, e))
        if delta.to_remove:
            plan.write(self.describe("remove", delta.to_remove), lambda: self.remove(client, parent, delta.to_remove))


class Kind:
    """An Okta object found by a natural key (a role or resource set label, an app label or client id)."""

    noun = "object"
    fields: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()
    # Okta refuses a second object with the same natural key (true of role and resource set labels, not of app
    # labels): a create may then be repeated safely, and two runs cannot both create one.
    unique_key = True

    def find(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def namesakes(self, client: OktaClient, desired: dict[str, Any]) -> list[dict[str, Any]]:
        """Every object with the desired natural key; needed only by kinds whose key Okta does not keep unique."""
        raise NotImplementedError

    def check_create(self, desired: dict[str, Any]) -> None:
        """Refuse, before any write and in check mode too, a create that Okta would refuse."""

    def create(self, client: OktaClient, desired: dict[str, Any]) -> dict[str, Any]:
        """Create with everything desired, members included."""
        raise NotImplementedError

    def update(self, client: OktaClient, current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, client: OktaClient, current: dict[str, Any]) -> None:
        raise NotImplementedError

    def title(self, desired: dict[str, Any]) -> str:
        """How a change names the object, e.g. 'custom admin role "Zluri"'."""
        return "%s %r" % (self.noun, desired.get(self.fields[0]) if self.fields else "")

    def view(self, obj: dict[str, Any]) -> dict[str, Any]:
        """The compared fields of an Okta object, in the module's own terms."""
        return {name: obj.get(name) for name in self.fields}

    def differs(self, current: dict[str, Any], desired: dict[str, Any]) -> list[str]:
        view = self.view(current)
        return [name for name in self.fields if desired.get(name) is not None and view.get(name) != desired[name]]

    def check_update(self, current: dict[str, Any], desired: dict[str, Any], changed_fields: list[str]) -> None:
        """Refuse, before any write and in check mode too, an update that would lose something in use (keys that Okta
        deletes when an app switches to a JWKS URL, say)."""

    def consequences(self, current: dict[str, Any], desired: dict[str, Any], changed_fields: list[str]) -> list[str]:
        """What Okta does by itself when these fields change (it deletes an app's client secrets, say): the change
        and its diff say so."""
        return []

    def members_added_by_update(self, changed_fields: list[str]) -> tuple[str, ...]:
        """Members whose missing items update() writes together with these fields, because Okta accepts the fields
        only with them (an app switched to private_key_jwt must carry its keys in the same PUT)."""
        return ()


@dataclass
class Outcome:
    """What a reconcile did, ready for exit_json."""

    changed: bool
    changes: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    obj: dict[str, Any] | None
    # This run created obj and kept it (not in check mode, and not when another run's namesake was kept instead).
    created: bool = False
    # Each managed member's items as read from Okta before any write, by member name (none for an object this run created).
    read_members: dict[str, list[Any]] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        """The object's compared fields after the run, with its Okta id once it exists."""
        view = dict(self.after or {})
        if self.obj and self.obj.get("id"):
            view["id"] = self.obj["id"]
        return view

    def result(self, diff_wanted: bool, **extra: Any) -> dict[str, Any]:
        result: dict[str, Any] = {"changed": self.changed, "changes": self.changes}
        if diff_wanted:
            result["diff"] = {"before": self.before or {}, "after": self.after or {}}
        result.update(extra)
        return result


def _member_views(kind: Kind, current_members: dict[str, list[Any]]) -> dict[str, Any]:
    return {member.name: sorted((member.view(item) for item in current_members.get(member.name, [])), key=str) for member in kind.members}


def ensure_object(
    client: OktaClient,
    kind: Kind,
    desired: dict[str, Any],
    state: str,
    check_mode: bool,
    purge: dict[str, bool] | None = None,
) -> Outcome:
    """Bring one object to the desired state, writing only what differs.

    desired holds the compared fields plus, per member name, the desired items (or None to leave that
    member alone). purge says per member whether unlisted current items are removed.
    """
    plan = Plan(check_mode)
    current = kind.find(client, desired)
    current_members = {m.name: m.current(client, current) for m in kind.members if current is not None and desired.get(m.name) is not None}
    before = dict(kind.view(current), **_member_views(kind, current_members)) if current is not None else None

    if state == "absent":
        if current is not None:
            plan.write("delete %s" % kind.title(desired), lambda: kind.delete(client, current))
        return Outcome(plan.changed, plan.changes, before, None, None)

    if current is None:
        kind.check_create(desired)
        created, adopted = plan.write("create %s" % kind.title(desired), lambda: _create_or_adopt(client, kind, desired)) or (None, False)
        if not adopted:
            after = {name: desired.get(name) for name in kind.fields}
            after.update({m.name: sorted((m.view(item) for item in desired.get(m.name) or []), key=str) for m in kind.members})
            return Outcome(plan.changed, plan.changes, None, after, created, created is not None)
        # What the create left behind is not known to match desired: reconcile it as an existing object.
        current = created
        current_members = {m.name: m.current(client, current) for m in kind.members if desired.get(m.name) is not None}
        before = dict(kind.view(current), **_member_views(kind, current_members))

    # Every member's delta is computed and checked before the first write, so a refused delta writes nothing.
    managed = [member for member in kind.members if desired.get(member.name) is not None]
    desired = dict(desired, **{member.name: member.align(current_members[member.name], desired[member.name]) for member in managed})
    deltas = {member.name: list_delta(current_members[member.name], desired[member.name], member.key, (purge or {}).get(member.name, True), member.same)
              for member in managed}
    for member in managed:
        member.check_delta(current, deltas[member.name], current_members[member.name])
    changed_fields = kind.differs(current, desired)
    if changed_fields:
        kind.check_update(current, desired, changed_fields)

    obj = current
    after = dict(before or {})
    if changed_fields:
        carried = [member for member in managed if member.name in kind.members_added_by_update(changed_fields) and deltas[member.name].to_add]
        description = "update %s %s" % (kind.title(desired), ", ".join(changed_fields))
        description += "".join(" with " + member.describe("add", deltas[member.name].to_add) for member in carried)
        consequences = kind.consequences(current, desired, changed_fields)
        description += "".join("; Okta %s" % consequence for consequence in consequences)
        obj = plan.write(description, lambda: kind.update(client, current, desired)) or current
        after.update({name: desired[name] for name in changed_fields})
        if consequences:
            after["okta_consequences"] = consequences
        for member in carried:
            deltas[member.name].to_add = []
    for member in managed:
        existing = current_members[member.name]
        delta = deltas[member.name]
        member.write(plan, client, current, delta)
        after[member.name] = _merge_views(member, member.remaining(existing, delta), desired[member.name])
    return Outcome(plan.changed, plan.changes, before, after, obj, read_members=current_members)


def _merge_views(member: Member, kept: list[Any], wanted: list[Any]) -> list[Any]:
    views = {member.key(item): member.view(item) for item in kept}
    views.update({member.key(item): member.view(item) for item in wanted})
    return sorted(views.values(), key=str)


def _create_or_adopt(client: OktaClient, kind: Kind, desired: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create, never making a second object; returns (object, adopted) where adopted means another create's object.

    When the answer is lost or says nothing (a connection cut, a 5xx, a timeout), the object is looked for: if the
    create landed it is adopted, if not the create is sent again (bounded by max_retries). For kinds whose natural
    key Okta does not keep unique, a create that succeeded is followed by one look for namesakes another run made
    at the same moment: every run keeps the oldest, and the run that made a newer one deletes it.
    """
    retry = client.transport.retry
    attempt = 0
    while True:
        try:
            created = kind.create(client, desired)
            break
        except OktaApiError as error:
            # On a repeat, a refusal can mean the lost attempt landed after all (a unique label is taken).
            if not (is_uncertain_failure(error) or (attempt and error.status in (400, 409))):
                raise
            adopted = _look_after_failure(client, kind, desired)
            if adopted is not None:
                return adopted, True
            attempt += 1
            if attempt > retry.max_retries:
                raise
        client.transport.pause(retry.backoff(attempt), "creating %s again" % kind.title(desired))
    if kind.unique_key:
        return created, False
    others = [obj for obj in kind.namesakes(client, desired) if obj.get("id") != created.get("id")]
    oldest = min([created] + others, key=lambda obj: (obj.get("created") or "", obj.get("id") or ""))
    if oldest is created:
        return created, False
    kind.delete(client, created)
    return oldest, True


def _look_after_failure(client: OktaClient, kind: Kind, desired: dict[str, Any]) -> dict[str, Any] | None:
    """Find what a failed create may have made. Lists that may lag behind a create (kinds without a unique key are
    found by listing) get three looks, one, two and four seconds apart, before the create is sent again."""
    looks = 1 if kind.unique_key else 4
    for look in range(looks):
        found = kind.find(client, desired)
        if found is not None or look == looks - 1:
            return found
        client.transport.pause(float(2 ** look), "looking for %s after a failed create" % kind.title(desired))
    return None


def ensure_members(
    client: OktaClient,
    member: Member,
    parent: Any,
    items: list[Any],
    state: str,
    exclusive: Purge,
    check_mode: bool,
    known_current: list[Any] | None = None,
) -> Outcome:
    """Items of one collection on a parent (an app's keys, grants, role assignments).

    present adds missing items and removes the unlisted ones exclusive selects (all, when it is true); absent
    removes listed items.
    A parent of None does not exist (yet): it holds nothing, so only a check-mode run may plan additions to it.
    known_current: the items the caller knows the parent holds without reading them (none, on a parent this run
    created), which saves the read.
    """
    plan = Plan(check_mode)
    if known_current is not None:
        current = list(known_current)
    else:
        current = member.current(client, parent) if parent is not None else []
    items = member.align(current, items)
    if state == "absent":
        delta = removal_delta(current, items, member.key)
    else:
        delta = list_delta(current, items, member.key, exclusive, member.same)
    member.apply(plan, client, parent, delta, current)
    before = sorted((member.view(item) for item in current), key=str)
    after = _merge_views(member, member.remaining(current, delta), items if state == "present" else [])
    return Outcome(plan.changed, plan.changes, {member.name: before}, {member.name: after}, parent)
