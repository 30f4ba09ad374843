"""Fixtures for the provider tests: valid base props, the gRPC provider server, fast waits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

DSG_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"
RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"


@pytest.fixture
def solution_props() -> dict[str, Any]:
    """A valid CreateSolution request as props (explicit name)."""
    return {"name": "my-solution", "datasetGroupArn": DSG_ARN, "recipeArn": RECIPE}


@pytest.fixture(scope="session")
def provider_server() -> Iterator[Any]:
    """The SDK's own provider server (``python -m pulumi.dynamic``), driven over gRPC."""
    from pulumi_personalize.testing import ProviderServer

    with ProviderServer(timeout=120) as server:
        yield server


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits and retries without sleeping; the requested delays are recorded."""
    from pulumi_personalize import _aws, _wait

    slept: list[float] = []
    monkeypatch.setattr(_aws, "sleep", slept.append)
    monkeypatch.setattr(_wait, "sleep", slept.append)
    return slept
