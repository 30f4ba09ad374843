"""What the generic provider machinery needs to know about one resource type.

Each resource module declares one :class:`ResourceSpec`; ``check``, ``diff``, waiting and outputs
are then the same code for every resource, driven by this data (the way botocore drives one walker
per protocol from its model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rules load regex and botocore's model: only when check first runs
    from personalize_api import Problem, UnknownPredicate
    from personalize_api.resource_types import ResourceType

__all__ = ["Path", "ReplaceRule", "ResourceSpec", "api_rules"]

Path = tuple[str, ...]
Rules = Callable[[Mapping[str, Any], "UnknownPredicate"], "list[Problem]"]
Normaliser = Callable[[dict[str, Any]], dict[str, Any]]
#: Extra replace decisions on normalised (old, new) props, for rules an in-place path cannot express.
ReplaceRule = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]

_COMMON_OUTPUTS = frozenset({"status", "creationDateTime", "lastUpdatedDateTime", "failureReason"})


def api_rules(operation: str) -> Rules:
    """The API's rules for ``operation``: the model's constraints plus its documented cross-field rules."""

    def rules(params: Mapping[str, Any], is_unknown: UnknownPredicate) -> list[Problem]:
        from personalize_api import check_request

        return check_request(operation, params, is_unknown=is_unknown)

    return rules


def _value_at(params: Mapping[str, Any], path: Path) -> Any:
    value: Any = params
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _hint_file_scheme(problem: Problem, params: Mapping[str, Any], operation: str) -> Problem:
    from personalize_api import FILE_SCHEME, Problem
    from personalize_api.extensions import FILE_LOCATIONS

    locations = FILE_LOCATIONS.get(operation, ())
    if (problem.path in locations and problem.rule == "pattern"
            and str(_value_at(params, tuple(str(p) for p in problem.path))).startswith(FILE_SCHEME)):
        return Problem(problem.path, problem.rule, problem.message + "; file:// locations work only with an "
                       "emulator target (target 'embedded' or an emulator URL): use s3:// on AWS")
    return problem


def _same(props: dict[str, Any]) -> dict[str, Any]:
    return props


@dataclass(frozen=True)
class ResourceSpec:
    """A resource type: its API names (from the contract), in-place fields, defaults and timeouts."""

    #: The API's names for it: operations, ARN member, Describe member, name member.
    api: ResourceType
    #: Members that together identify the resource within its parent besides its name (the API allows
    #: one dataset per group and type, one event tracker per group): a replacement then deletes first.
    unique_within: tuple[str, ...] = ()
    #: Paths that change in place; any other change replaces the resource.
    in_place: frozenset[Path] = frozenset({("tags",)})
    #: Values the API assumes when a member is absent (so absent == default in the diff).
    defaults: tuple[tuple[Path, Any], ...] = ()
    #: Output-only keys (besides the ARN and the common status/timestamps): never diffed.
    extra_outputs: frozenset[str] = frozenset()
    #: Whether CreateX takes ``tags`` (then Tag/UntagResource update them in place).
    taggable: bool = True
    #: Seconds to wait by default for create / update / delete (Pulumi custom timeouts override).
    timeouts: Mapping[str, float] = field(
        default_factory=lambda: {"create": 1200.0, "update": 1200.0, "delete": 1200.0}
    )
    #: Validation of the API params (shape + cross-field rules).
    rules: Rules | None = None
    #: Resource-specific normalisation for the diff (e.g. case-insensitive values).
    normalise: Normaliser = _same
    #: Changes to in-place paths that the API still cannot apply in place (see Campaign).
    replace_rule: ReplaceRule | None = None

    @property
    def type_name(self) -> str:
        return self.api.name

    @property
    def create_op(self) -> str:
        """The CreateX operation whose input members are the props."""
        return self.api.create_op

    @property
    def arn_key(self) -> str:
        """The output member holding the ARN (the resource id)."""
        return self.api.arn_member

    @property
    def describe_op(self) -> str:
        return self.api.describe_op

    @property
    def describe_key(self) -> str:
        """The DescribeX answer's member holding the resource."""
        return self.api.member

    @property
    def delete_op(self) -> str | None:
        """DeleteX, or None when the API has none (SolutionVersion, DatasetImportJob)."""
        return self.api.delete_op

    @property
    def name_key(self) -> str:
        """The member holding the resource's name (``jobName`` for import jobs)."""
        return self.api.name_member

    @property
    def output_keys(self) -> frozenset[str]:
        """Keys present only in outputs; the diff ignores them."""
        return _COMMON_OUTPUTS | self.extra_outputs | {self.arn_key}

    def validate(
        self, params: Mapping[str, Any], is_unknown: UnknownPredicate, *, emulator: bool = False
    ) -> list[Problem]:
        """Every problem of ``params`` as a CreateX request.

        With an emulator target, the emulator's documented extensions (``file://`` import
        locations) are allowed; against AWS such a value fails with a hint saying why.
        """
        from personalize_api import allow_emulator_extensions

        rules = self.rules or api_rules(self.create_op)
        problems = rules(params, is_unknown)
        if emulator:
            return allow_emulator_extensions(self.create_op, params, problems)
        return [_hint_file_scheme(p, params, self.create_op) for p in problems]

    def is_in_place(self, path: Path) -> bool:
        """Whether a change at ``path`` (or below it) can be applied without replacing."""
        return any(path[: len(p)] == p for p in self.in_place)

    def leads_to_in_place(self, path: Path) -> bool:
        """Whether some in-place path lies strictly below ``path`` (so the diff must descend)."""
        return any(len(p) > len(path) and p[: len(path)] == path for p in self.in_place)
