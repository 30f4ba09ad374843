"""The generic ``check``: validation without network, one failure per problem, and autonaming.

Pure functions over property bags; the provider classes only wrap the result in ``CheckResult``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._diff import diff_props
from ._durations import timeout_problems
from ._naming import PROVIDER_KEYS, autoname, is_autonamed
from ._props import is_unknown, strip_internal
from ._spec import ResourceSpec
from ._target import parse_target, region_problem, target_problem, uses_emulator

__all__ = ["Failure", "check_props", "choose_name"]

Failure = tuple[str, str]


def _provider_key_failures(props: Mapping[str, Any]) -> list[Failure]:
    failures: list[Failure] = []
    checks = (
        ("target", target_problem),
        ("region", region_problem),
        ("namePrefix", _prefix_problem),
    )
    for key, problem_of in checks:
        value = props.get(key)
        if value is None or is_unknown(value):
            continue
        problem = problem_of(value)
        if problem:
            failures.append((key, f"{key}: {problem}"))
    timeouts = props.get("timeouts")
    if timeouts is not None and not is_unknown(timeouts):
        failures.extend(("timeouts", reason) for reason in timeout_problems(timeouts))
    return failures


def _prefix_problem(value: Any) -> str | None:
    return None if isinstance(value, str) and value else f"must be a non-empty string; got {value!r}"


def choose_name(spec: ResourceSpec, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Any:
    """The name to use when the program gave none: keep the old autoname unless the change replaces.

    The old autoname is kept even when the prefix changed: renaming the logical resource (with
    ``aliases``) must not rename, and so replace, the physical one.  A replacement gets a fresh name
    so create-before-delete never collides with the old resource.
    """
    prefix = news.get("namePrefix")
    if not isinstance(prefix, str) or not prefix:
        return None
    old_name = olds.get(spec.name_key)
    if isinstance(old_name, str) and is_autonamed(olds):  # a new prefix (a rename with aliases) keeps the name
        candidate = {**news, spec.name_key: old_name}
        if not diff_props(spec, olds, candidate).replaces:
            return old_name
    return autoname(prefix)


def check_props(
    spec: ResourceSpec, olds: Mapping[str, Any] | None, news: Mapping[str, Any] | None
) -> tuple[dict[str, Any], list[Failure]]:
    """(checked inputs, failures). Never raises on any JSON-like input, unknowns included."""
    old = strip_internal(olds)
    inputs = strip_internal(news)
    failures = _provider_key_failures(inputs)
    if inputs.get(spec.name_key) is None:
        name = choose_name(spec, old, inputs)
        if name is not None:
            inputs[spec.name_key] = name
    params = {k: v for k, v in inputs.items() if k not in PROVIDER_KEYS}
    target = inputs.get("target")
    emulator = is_unknown(target) or (target_problem(target) is None and uses_emulator(parse_target(target)))
    failures.extend((p.top_level, p.reason) for p in spec.validate(params, is_unknown, emulator=emulator))
    return inputs, failures
