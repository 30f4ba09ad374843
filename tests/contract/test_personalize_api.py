"""The contract package: every exported name loads, and the resource names it derives are the model's."""

from __future__ import annotations

import pytest

import personalize_api
from personalize_api import service_model
from personalize_api.resource_types import RESOURCE_TYPES, ResourceType


@pytest.mark.parametrize("name", personalize_api.__all__)
def test_every_exported_name_loads(name: str) -> None:
    assert getattr(personalize_api, name) is not None


@pytest.mark.parametrize("resource", RESOURCE_TYPES, ids=lambda r: r.name)
def test_derived_names_are_the_models(resource: ResourceType) -> None:
    model = service_model("personalize")
    create = model.operation_model(resource.create_op)
    describe = model.operation_model(resource.describe_op)
    assert resource.arn_member in create.output_shape.members
    assert resource.name_member in create.input_shape.members
    assert resource.member in describe.output_shape.members
    assert resource.arn_member in describe.output_shape.members[resource.member].members
    assert resource.arn_member in describe.input_shape.members


def test_only_the_api_s_deletable_types_have_a_delete_op() -> None:
    undeletable = {r.name for r in RESOURCE_TYPES if r.delete_op is None}
    assert undeletable == {"BatchInferenceJob", "DatasetImportJob", "SolutionVersion"}
    assert ResourceType("DatasetGroup").kind == "dataset-group"
