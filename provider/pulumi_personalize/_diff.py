"""The generic ``diff``: normalise both sides, then decide per nested field, without network.

``olds`` are the previous *outputs* (the SDK hands those to ``diff``), so output-only keys are
dropped first; ``news`` are the checked inputs.  A change below an in-place path is an update;
any other change, or an unknown create-only value, replaces and names its top-level key.

A replacement is deleted first only when the new resource would collide with the old one: the
same name in the same region, or a resource the API allows once per parent (a dataset per group
and type, an event tracker per group).  Anything else is created first, so nothing goes offline
while its successor is built.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._aws import arn_region, default_region
from ._naming import is_autonamed
from ._props import canon, canon_json, has_unknown, is_unknown, strip_internal
from ._spec import Path, ResourceSpec
from ._target import canonical_target, parse_target, target_problem

__all__ = ["Decision", "diff_props", "normalise", "sort_tags"]

#: Provider-only keys that never cause a diff (``adoptArn`` only matters when the resource is created).
_NEVER_DIFF = frozenset({"timeouts", "namePrefix", "adoptArn"})


@dataclass(slots=True)
class Decision:
    """What ``diff`` decided: top-level keys that replace, and in-place paths that changed."""

    replaces: list[str] = field(default_factory=list)
    updates: list[Path] = field(default_factory=list)
    delete_before_replace: bool = False

    @property
    def changes(self) -> bool:
        return bool(self.replaces or self.updates)


def sort_tags(tags: Any) -> Any:
    """Tags in a canonical order (the API treats them as a set keyed by tagKey)."""
    if not isinstance(tags, list) or has_unknown(tags):
        return tags
    if not all(isinstance(t, Mapping) for t in tags):
        return tags
    return sorted(tags, key=lambda t: (str(t.get("tagKey")), str(t.get("tagValue"))))


def _set_default(props: dict[str, Any], path: Path, value: Any) -> None:
    node: Any = props
    for key in path[:-1]:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            return  # unknown or malformed: leave it to the comparison
        node = child
    node.setdefault(path[-1], copy.deepcopy(value))


def normalise(spec: ResourceSpec, props: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical props: None/empty dropped, whole floats as ints, defaults filled, tags sorted."""
    out: dict[str, Any] = canon(dict(props))
    for path, value in spec.defaults:
        _set_default(out, path, value)
    if "tags" in out:
        tags = sort_tags(out["tags"])
        if tags == []:
            del out["tags"]
        else:
            out["tags"] = tags
    if "target" in out:
        target = canonical_target(out["target"])
        if target is None:
            del out["target"]
        else:
            out["target"] = target
    return spec.normalise(out)


class _Walk:
    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec
        self.replaces: set[str] = set()
        self.updates: list[Path] = []

    def compare(self, path: Path, old: Any, new: Any) -> None:
        spec = self.spec
        if spec.is_in_place(path):
            if has_unknown(new) or canon_json(old) != canon_json(new):
                self.updates.append(path)
            return
        if spec.leads_to_in_place(path) and isinstance(old, Mapping | None) and isinstance(new, Mapping | None):
            old_map, new_map = old or {}, new or {}
            for key in sorted({*old_map, *new_map}, key=str):
                self.compare((*path, str(key)), old_map.get(key), new_map.get(key))
            return
        if is_unknown(new) or has_unknown(new) or canon_json(old) != canon_json(new):
            self.replaces.add(path[0])


def _target_region(props: Mapping[str, Any]) -> Any:
    """The region new props point at: the ``region`` prop, else where a client would go now."""
    region = props.get("region")
    if region is not None:
        return region
    target = props.get("target")
    if is_unknown(target) or target_problem(target) is not None:
        return None
    return default_region(parse_target(target))


def _region_changed(spec: ResourceSpec, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether the resource would move to another region: the prop, or the environment when there is none.

    The old region is the one in the resource's ARN, so a resource created without ``region`` is
    tied to where it really is, and a changed ``AWS_REGION`` shows up as a replacement.
    """
    new = _target_region(news)
    if is_unknown(new):
        return True
    old = arn_region(olds.get(spec.arn_key)) or olds.get("region")
    return isinstance(new, str) and isinstance(old, str) and new != old


def _same_known(old: Any, new: Any) -> bool:
    return new is not None and not has_unknown(new) and canon_json(old) == canon_json(new)


def _collides(spec: ResourceSpec, old: Mapping[str, Any], new: Mapping[str, Any], raw_old: Mapping[str, Any],
              raw_new: Mapping[str, Any]) -> bool:
    """Whether the replacement cannot exist beside the resource it replaces (so it is deleted first).

    An unknown name may turn out to be the same, so it collides; an unknown parent is a parent
    being created or replaced, which never holds the old resource.
    """
    name = raw_new.get(spec.name_key)
    if not is_autonamed(raw_new) and (is_unknown(name) or (name is not None and name == raw_old.get(spec.name_key))):
        return True
    return bool(spec.unique_within) and all(_same_known(old.get(k), new.get(k)) for k in spec.unique_within)


def diff_props(spec: ResourceSpec, olds: Mapping[str, Any] | None, news: Mapping[str, Any] | None) -> Decision:
    """Compare previous outputs with new checked inputs, field by field."""
    raw_old = strip_internal(olds)
    raw_new = strip_internal(news)
    outputs = spec.output_keys
    old = normalise(spec, {k: v for k, v in raw_old.items() if k not in outputs})
    new = normalise(spec, raw_new)
    walk = _Walk(spec)
    skip = set(_NEVER_DIFF) | {"region"}
    if is_autonamed(raw_old) and is_autonamed(raw_new):
        skip.add(spec.name_key)  # an autoname follows the other inputs (and survives aliases); never a change
    for key in sorted({*old, *new}):
        if key not in skip:
            walk.compare((key,), old.get(key), new.get(key))
    if _region_changed(spec, raw_old, raw_new):
        walk.replaces.add("region")
    if spec.replace_rule is not None:
        walk.replaces.update(spec.replace_rule(old, new))
    replaces = sorted(walk.replaces)
    delete_first = bool(replaces) and "region" not in replaces and _collides(spec, old, new, raw_old, raw_new)
    return Decision(replaces, walk.updates, delete_first)
