"""The generic ``diff``: normalise both sides, then decide per nested field, without network.

``olds`` are the previous *outputs* (the SDK hands those to ``diff``), so output-only keys are
dropped first; ``news`` are the checked inputs.  A change below an in-place path is an update;
any other change, or an unknown create-only value, replaces and names its top-level key.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._props import canon, canon_json, has_unknown, is_unknown, strip_internal
from ._spec import Path, ResourceSpec

__all__ = ["Decision", "diff_props", "normalise", "sort_tags"]

#: Provider-only keys that never cause a diff.
_NEVER_DIFF = frozenset({"timeouts", "namePrefix"})


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
    if out.get("target") == "aws":
        del out["target"]
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


def _region_of(props: Mapping[str, Any], arn_key: str) -> str | None:
    region = props.get("region")
    if isinstance(region, str):
        return region
    from personalize_emulator.rules import parse_arn

    arn = props.get(arn_key)
    parsed = parse_arn(arn) if isinstance(arn, str) else None
    return parsed.region if parsed else None


def _region_changed(spec: ResourceSpec, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    new = news.get("region")
    if is_unknown(new):
        return True
    old = _region_of(olds, spec.arn_key)
    if new is None:
        if olds.get("region") is None:
            return False
        new = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return new is not None and old is not None and new != old


def _autonamed(props: Mapping[str, Any]) -> bool:
    prefix = props.get("namePrefix")
    return isinstance(prefix, str) and bool(prefix)


def diff_props(spec: ResourceSpec, olds: Mapping[str, Any] | None, news: Mapping[str, Any] | None) -> Decision:
    """Compare previous outputs with new checked inputs, field by field."""
    raw_old = strip_internal(olds)
    raw_new = strip_internal(news)
    outputs = spec.output_keys
    old = normalise(spec, {k: v for k, v in raw_old.items() if k not in outputs})
    new = normalise(spec, raw_new)
    walk = _Walk(spec)
    skip = set(_NEVER_DIFF) | {"region"}
    if _autonamed(raw_old) and _autonamed(raw_new) and raw_old.get("namePrefix") == raw_new.get("namePrefix"):
        skip.add(spec.name_key)  # an autoname follows the other inputs; it never causes a change
    for key in sorted({*old, *new}):
        if key not in skip:
            walk.compare((key,), old.get(key), new.get(key))
    if _region_changed(spec, raw_old, raw_new):
        walk.replaces.add("region")
    if spec.replace_rule is not None:
        walk.replaces.update(spec.replace_rule(old, new))
    replaces = sorted(walk.replaces)
    explicit_name = raw_new.get(spec.name_key) is not None and not _autonamed(raw_new)
    return Decision(replaces, walk.updates, bool(replaces) and explicit_name)
