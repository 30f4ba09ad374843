"""Nothing in botocore's model goes unenforced: for every constrained member of CreateSolution and
UpdateSolution, a violating value makes ``check`` fail naming that member."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
import regex

from pulumi_personalize import SolutionProvider

DSG_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"
Path = tuple[str | int, ...]

MODEL = botocore.session.get_session().get_service_model("personalize")


def _bad_string(meta: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "max" in meta:
        yield "max", "a" * (meta["max"] + 1)
    if meta.get("min", 0) >= 1:
        yield "min", ""
    pattern = meta.get("pattern")
    if pattern:
        bad = next(v for v in ("!", "-", "1", " x") if not regex.compile(pattern).fullmatch(v))
        yield "pattern", bad


def violations(shape: Any, path: Path = ()) -> Iterator[tuple[Path, str, Any]]:
    """(path, constraint, violating value) for every constraint below ``shape``."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if path:
            yield path, "type", "not-an-object"
        for name, member in shape.members.items():
            yield from violations(member, (*path, name))
        return
    if kind == "list":
        yield path, "type", "not-a-list"
        if "max" in meta:
            yield path, "max_items", [None] * (meta["max"] + 1)
        yield from violations(shape.member, (*path, 0))
        return
    if kind == "map":
        yield path, "type", "not-a-map"
        if "max" in meta:
            yield path, "max_items", {f"K{i}": None for i in range(meta["max"] + 1)}
        for rule, key in _bad_string(shape.key.metadata):
            yield path, f"key_{rule}", {key: None}
        for sub, rule, value in violations(shape.value, (*path, "K")):
            yield sub, rule, value
        return
    if kind == "string":
        yield path, "type", 12345
        for rule, value in _bad_string(meta):
            yield path, rule, value
        if shape.enum:
            yield path, "enum", "NOT_A_VALUE"
    elif kind in ("integer", "long", "double", "float"):
        yield path, "type", "x"
        if "min" in meta:
            yield path, "min", meta["min"] - 1
        if "max" in meta:
            yield path, "max", meta["max"] + 1
    elif kind == "boolean":
        yield path, "type", "yes"


def put(props: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    node: Any = props
    for here, nxt in itertools.pairwise(path):
        if isinstance(here, int):
            while len(node) <= here:
                node.append({} if not isinstance(nxt, int) else [])
            node = node[here]
        else:
            node = node.setdefault(here, [] if isinstance(nxt, int) else {})
    last = path[-1]
    if isinstance(last, int):
        node.append(value)
    else:
        node[last] = value
    return props


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def create_cases() -> list[tuple[Path, str, Any]]:
    shape = MODEL.operation_model("CreateSolution").input_shape
    return [c for c in violations(shape) if c[0]]


def update_cases() -> list[tuple[Path, str, Any]]:
    """UpdateSolution's members, as the provider props that carry them (solutionArn is the id)."""
    shape = MODEL.operation_model("UpdateSolution").input_shape
    cases = []
    for path, rule, value in violations(shape):
        if not path or path[0] == "solutionArn" or path == ("solutionUpdateConfig",):
            continue
        prop_path = ("solutionConfig", *path[1:]) if path[0] == "solutionUpdateConfig" else path
        cases.append((prop_path, rule, value))
    return cases


def _base() -> dict[str, Any]:
    return {"name": "s", "datasetGroupArn": DSG_ARN, "recipeArn": UP}


@pytest.mark.parametrize(("path", "rule", "value"), create_cases(),
                         ids=[f"{dotted(p)}-{r}" for p, r, _ in create_cases()])
def test_create_solution_constraint_is_enforced(path: Path, rule: str, value: Any) -> None:
    props = put(_base(), path, value)
    failures = [(f.property, f.reason) for f in SolutionProvider().check({}, props).failures]
    assert any(p == path[0] and reason.startswith(dotted(path)) for p, reason in failures), failures


@pytest.mark.parametrize(("path", "rule", "value"), update_cases(),
                         ids=[f"{dotted(p)}-{r}" for p, r, _ in update_cases()])
def test_update_solution_constraint_is_enforced(path: Path, rule: str, value: Any) -> None:
    props = put(_base(), path, value)
    failures = [(f.property, f.reason) for f in SolutionProvider().check({}, props).failures]
    assert any(p == path[0] and reason.startswith(dotted(path)) for p, reason in failures), failures


def test_the_walk_covers_every_constraint_kind() -> None:
    rules = {rule for _, rule, _ in create_cases()}
    assert {"type", "max", "min", "pattern", "enum", "max_items", "key_pattern", "key_max"} <= rules
    assert len(create_cases()) > 100
