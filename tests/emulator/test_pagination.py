"""maxResults / nextToken over every List* call the emulator answers: stable, no duplicates, no loss."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_api import DOMAIN_RECIPES, RECIPES, recipe_arn
from personalize_emulator import Emulator
from personalize_emulator.service import implemented

N = 5
SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
#: List operation -> (boto3 method, response member, ARN member of a summary)
LISTS = {
    "ListDatasetGroups": ("list_dataset_groups", "datasetGroups", "datasetGroupArn"),
    "ListSchemas": ("list_schemas", "schemas", "schemaArn"),
    "ListDatasets": ("list_datasets", "datasets", "datasetArn"),
    "ListDatasetImportJobs": ("list_dataset_import_jobs", "datasetImportJobs", "datasetImportJobArn"),
    "ListSolutions": ("list_solutions", "solutions", "solutionArn"),
    "ListSolutionVersions": ("list_solution_versions", "solutionVersions", "solutionVersionArn"),
    "ListCampaigns": ("list_campaigns", "campaigns", "campaignArn"),
    "ListEventTrackers": ("list_event_trackers", "eventTrackers", "eventTrackerArn"),
    "ListRecipes": ("list_recipes", "recipes", "recipeArn"),
    "ListFilters": ("list_filters", "Filters", "filterArn"),
    "ListBatchInferenceJobs": ("list_batch_inference_jobs", "batchInferenceJobs", "batchInferenceJobArn"),
}


@dataclass
class World:
    """N of every listable resource: N groups, each with a dataset, a tracker and a filter; N of the rest."""

    aws: Any
    arns: dict[str, list[str]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, kit: SimpleNamespace) -> Iterator[World]:
    root = tmp_path_factory.mktemp("pagination")
    csv = kit.CsvMaker(root / "data")()
    emulator = Emulator(root / "state", lifecycle="instant")
    aws = kit.clients_for(aws_access_key_id="testing", aws_secret_access_key="testing")
    for client in (aws.personalize, aws.runtime, aws.events):
        emulator.attach(client)
    p = aws.personalize
    arns: dict[str, list[str]] = {op: [] for op in LISTS}
    for i in range(N):
        group = p.create_dataset_group(name=f"g{i}")["datasetGroupArn"]
        schema = p.create_schema(name=f"s{i}", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
        dataset = p.create_dataset(name=f"d{i}", datasetGroupArn=group, schemaArn=schema,
                                   datasetType="Interactions")["datasetArn"]
        tracker = p.create_event_tracker(name=f"t{i}", datasetGroupArn=group)["eventTrackerArn"]
        made = p.create_filter(name=f"f{i}", datasetGroupArn=group, filterExpression=SEEN)
        arns["ListFilters"].append(made["filterArn"])
        arns["ListDatasetGroups"].append(group)
        arns["ListSchemas"].append(schema)
        arns["ListDatasets"].append(dataset)
        arns["ListEventTrackers"].append(tracker)
    first_group, first_dataset = arns["ListDatasetGroups"][0], arns["ListDatasets"][0]
    for i in range(N):
        job = p.create_dataset_import_job(jobName=f"j{i}", datasetArn=first_dataset,
                                          dataSource={"dataLocation": csv.as_uri()})
        arns["ListDatasetImportJobs"].append(job["datasetImportJobArn"])
        arns["ListSolutions"].append(p.create_solution(name=f"sol{i}", datasetGroupArn=first_group,
                                                       recipeArn=kit.POPULARITY)["solutionArn"])
    first_solution = arns["ListSolutions"][0]
    for i in range(N):
        version = p.create_solution_version(solutionArn=first_solution)["solutionVersionArn"]
        arns["ListSolutionVersions"].append(version)
        arns["ListCampaigns"].append(p.create_campaign(name=f"c{i}", solutionVersionArn=version)["campaignArn"])
    (root / "batch-in").mkdir()
    (root / "batch-in" / "u.json").write_text('{"userId": "u1"}\n')
    for i in range(N):
        arns["ListBatchInferenceJobs"].append(p.create_batch_inference_job(
            jobName=f"b{i}", solutionVersionArn=arns["ListSolutionVersions"][0], roleArn=kit.ROLE,
            jobInput={"s3DataSource": {"path": (root / "batch-in").as_uri() + "/"}},
            jobOutput={"s3DataDestination": {"path": (root / f"batch-out-{i}").as_uri() + "/"}},
        )["batchInferenceJobArn"])
    arns["ListRecipes"] = [r.arn for r in RECIPES.values() if r.available] + [recipe_arn(n) for n in DOMAIN_RECIPES]
    yield World(aws, arns)
    emulator.close()


def _walk(client: Any, operation: str, page_size: int, **params: Any) -> list[list[str]]:
    method, member, key = LISTS[operation]
    pages: list[list[str]] = []
    token: str | None = None
    while True:
        answer = getattr(client, method)(maxResults=page_size, **params, **({"nextToken": token} if token else {}))
        pages.append([entry[key] for entry in answer[member]])
        token = answer.get("nextToken")
        if token is None:
            return pages
        assert len(pages) < 100, "pagination does not end"


def test_every_implemented_list_call_is_covered() -> None:
    answered = {op for _service, op in implemented() if op.startswith("List") and op != "ListTagsForResource"}
    assert answered == set(LISTS)


@pytest.mark.parametrize("operation", sorted(LISTS))
@pytest.mark.parametrize("page_size", [1, 2, 100])
def test_pages_cover_everything_once(world: World, operation: str, page_size: int) -> None:
    pages = _walk(world.aws.personalize, operation, page_size)
    flat = [arn for page in pages for arn in page]
    assert flat == world.arns[operation]  # oldest first, nothing twice, nothing missing
    assert all(len(page) == page_size for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= page_size
    assert _walk(world.aws.personalize, operation, page_size) == pages  # the same again


@pytest.mark.parametrize("operation", sorted(LISTS))
def test_boto3_paginators(world: World, operation: str) -> None:
    method, member, key = LISTS[operation]
    paginator = world.aws.personalize.get_paginator(method)
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [entry[key] for page in pages for entry in page[member]] == world.arns[operation]


#: Filtered list -> (filter member, list holding the parents, list whose i-th entry belongs to parent i or 0)
FILTERS = {
    "ListDatasets": ("datasetGroupArn", "ListDatasetGroups", "one each"),
    "ListEventTrackers": ("datasetGroupArn", "ListDatasetGroups", "one each"),
    "ListFilters": ("datasetGroupArn", "ListDatasetGroups", "one each"),
    "ListDatasetImportJobs": ("datasetArn", "ListDatasets", "all in the first"),
    "ListSolutions": ("datasetGroupArn", "ListDatasetGroups", "all in the first"),
    "ListSolutionVersions": ("solutionArn", "ListSolutions", "all in the first"),
    "ListCampaigns": ("solutionArn", "ListSolutions", "all in the first"),
    "ListBatchInferenceJobs": ("solutionVersionArn", "ListSolutionVersions", "all in the first"),
}


@pytest.mark.parametrize("operation", sorted(FILTERS))
def test_filters_by_parent(world: World, operation: str) -> None:
    member, parents, layout = FILTERS[operation]
    for index, parent in enumerate(world.arns[parents]):
        found = [arn for page in _walk(world.aws.personalize, operation, 2, **{member: parent}) for arn in page]
        if layout == "one each":
            assert found == [world.arns[operation][index]]
        else:
            assert found == (world.arns[operation] if index == 0 else [])


def test_pagination_is_stable_while_resources_come_and_go(aws: Any, kit: SimpleNamespace) -> None:
    names = [f"g{i}" for i in range(7)]
    for name in names:
        aws.personalize.create_dataset_group(name=name)
    first = aws.personalize.list_dataset_groups(maxResults=3)
    assert [g["name"] for g in first["datasetGroups"]] == ["g0", "g1", "g2"]
    aws.personalize.delete_dataset_group(datasetGroupArn=first["datasetGroups"][1]["datasetGroupArn"])  # seen
    aws.personalize.delete_dataset_group(
        datasetGroupArn=f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:dataset-group/g4")  # not seen yet
    aws.personalize.create_dataset_group(name="late")
    seen = [g["name"] for g in first["datasetGroups"]]
    token = first["nextToken"]
    while token:
        page = aws.personalize.list_dataset_groups(maxResults=3, nextToken=token)
        seen += [g["name"] for g in page["datasetGroups"]]
        token = page.get("nextToken")
    assert seen == ["g0", "g1", "g2", "g3", "g5", "g6", "late"]
