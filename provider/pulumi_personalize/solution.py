"""Solution: a recipe plus training configuration in a dataset group.

Only ``performAutoTraining``, ``performIncrementalUpdate``, ``solutionConfig.autoTrainingConfig``,
``solutionConfig.eventsConfig`` (UpdateSolution) and ``tags`` change in place; the API documents
the rest of a solution as immutable, so any other change replaces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api

from ._aws import ProviderError, call
from ._diff import normalise
from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import Path, ResourceSpec
from .cli_input import load_cli_input, merge_cli_input

if TYPE_CHECKING:
    from personalize_api import Problem, UnknownPredicate

    from ._resource import Tags
    from .args import SolutionConfigArgs, SolutionConfigArgsDict

__all__ = ["SOLUTION", "Solution", "SolutionProvider"]

_AUTO_TRAINING: Path = ("solutionConfig", "autoTrainingConfig")
_EVENTS: Path = ("solutionConfig", "eventsConfig")


def _rules(params: Mapping[str, Any], is_unknown: UnknownPredicate) -> list[Problem]:
    from personalize_api import check_create_solution

    return check_create_solution(params, is_unknown=is_unknown)


def _normalise(props: dict[str, Any]) -> dict[str, Any]:
    """With AutoML, HPO always runs: the API documents ``performHPO`` as true then, and Describe says so."""
    if props.get("performAutoML") is True:
        props["performHPO"] = True
    return props


SOLUTION = ResourceSpec(
    api=api.SOLUTION,
    in_place=frozenset({("performAutoTraining",), ("performIncrementalUpdate",), _AUTO_TRAINING, _EVENTS,
                        ("tags",)}),
    defaults=(
        (("performHPO",), False),
        (("performAutoML",), False),
        (("performAutoTraining",), True),
        (("performIncrementalUpdate",), False),
        ((*_AUTO_TRAINING, "schedulingExpression"), "rate(7 days)"),
    ),
    extra_outputs=frozenset({"latestSolutionVersion", "latestSolutionUpdate", "autoMLResult"}),
    rules=_rules,
    normalise=_normalise,
)


class SolutionProvider(PersonalizeProvider):
    """Dynamic provider for :class:`Solution` (no arguments; pickled by reference)."""

    spec = SOLUTION

    def apply_update(self, client: Any, arn: str, *, olds: dict[str, Any], news: dict[str, Any],
                     fields: list[Path], timeout: float) -> None:
        new = normalise(self.spec, news)
        request: dict[str, Any] = {"solutionArn": arn}
        update_config: dict[str, Any] = {}
        for path in fields:
            if path == _AUTO_TRAINING:
                update_config["autoTrainingConfig"] = new["solutionConfig"]["autoTrainingConfig"]
            elif path == _EVENTS:
                events = new.get("solutionConfig", {}).get("eventsConfig")
                update_config["eventsConfig"] = events or {"eventParametersList": []}
            else:
                request[path[0]] = new[path[0]]
        if update_config:
            request["solutionUpdateConfig"] = update_config
        call(client, "UpdateSolution", **request)
        self.wait_for_update(client, arn, "latestSolutionUpdate", "Solution update", timeout)

    def in_use(self, client: Any, arn: str, exc: ProviderError) -> ProviderError:
        """Name the campaigns that keep the solution alive, and the two ways out.

        The engine deletes a Solution with an explicit name before creating its replacement.  It
        asks each dependent whether it must go first, but a Campaign whose version ARN is unknown
        answers "update" (the same answer a retrain needs), so the campaign is still there.
        """
        try:
            listed = call(client, "ListCampaigns", solutionArn=arn).get("campaigns") or []
        except ProviderError:
            listed = []
        campaigns = ", ".join(str(c.get("campaignArn")) for c in listed) or "a campaign"
        return ProviderError(exc.code, f"{exc.message} Still serving its versions: {campaigns}. Pulumi deletes a "
                             "Solution with an explicit name before creating its replacement and cannot tell that "
                             "the campaign must go first: either drop the Solution's explicit name (its replacement "
                             "is then created first and the campaign moves to it in the same update), or delete the "
                             "campaign first (pulumi destroy --target <campaign URN>) and run pulumi up again",
                             arn=arn)


class Solution(PersonalizeResource, module="personalize", name="Solution"):
    """An Amazon Personalize solution (``CreateSolution``); ``id`` is its ARN."""

    solution_arn: pulumi.Output[str]
    name: pulumi.Output[str]
    latest_solution_version: pulumi.Output[dict[str, Any]]
    latest_solution_update: pulumi.Output[dict[str, Any]]
    auto_ml_result: pulumi.Output[dict[str, Any]]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        dataset_group_arn: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        recipe_arn: pulumi.Input[str] | None = None,
        perform_auto_ml: pulumi.Input[bool] | None = None,
        perform_hpo: pulumi.Input[bool] | None = None,
        perform_auto_training: pulumi.Input[bool] | None = None,
        perform_incremental_update: pulumi.Input[bool] | None = None,
        event_type: pulumi.Input[str] | None = None,
        solution_config: pulumi.Input[SolutionConfigArgs | SolutionConfigArgsDict] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {
            "dataset_group_arn": dataset_group_arn, "name": name, "recipe_arn": recipe_arn,
            "perform_auto_ml": perform_auto_ml, "perform_hpo": perform_hpo,
            "perform_auto_training": perform_auto_training,
            "perform_incremental_update": perform_incremental_update, "event_type": event_type,
            "solution_config": solution_config, "tags": tags, "target": target, "region": region,
            **extra,
        }
        super().__init__(SolutionProvider(), resource_name, props, opts)

    @classmethod
    def from_cli_input(
        cls,
        path: str | FilePath,
        resource_name: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **overrides: Any,
    ) -> Solution:
        """A Solution from an ``aws personalize create-solution --cli-input-json/yaml`` document.

        Keyword arguments (snake_case) override the document's top-level keys, as the CLI's explicit
        options do.  The resource name defaults to the document's ``name``.  Validation is the same
        as for any Solution: unknown keys, ``hpoObjective`` and every API rule fail ``check``.
        """
        props = merge_cli_input(load_cli_input(path), overrides)
        if resource_name is None:
            doc_name = props.get("name")
            if not isinstance(doc_name, str):
                raise ValueError(f"{path}: no 'name' in the document; pass resource_name=")
            resource_name = doc_name
        return cls(resource_name, opts, **props)
