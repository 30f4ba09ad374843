"""The lifecycle suite's world: one trained base pipeline on the embedded emulator, driven over gRPC.

Everything goes through the SDK's own provider server (``python -m pulumi.dynamic``), as the
engine drives it, with :class:`pulumi_personalize.testing.Deployment` applying the engine's step
rules.  The base pipeline (group, schema, dataset, import, popularity solution, version, campaign)
is created once per module; each corpus config then lives in a deployment of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lifecycle_corpus import World

from pulumi_personalize.quickstart import run_pipeline, write_interactions
from pulumi_personalize.testing import Deployment, ProviderServer


@pytest.fixture(scope="module")
def world(provider_server: ProviderServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("lifecycle")
    target = f"embedded:{folder / 'state'}"
    csv_uri = write_interactions(folder / "interactions.csv").as_uri()
    base = Deployment(provider_server)
    outs = run_pipeline(base, target=target, data_location=csv_uri)
    arns: dict[str, Any] = {
        "group": outs["group"]["datasetGroupArn"], "schema": outs["schema"]["schemaArn"],
        "dataset": outs["dataset"]["datasetArn"], "solution": outs["solution"]["solutionArn"],
        "version": outs["version"]["solutionVersionArn"], "campaign": outs["campaign"]["campaignArn"],
    }
    yield World(provider_server, target, csv_uri, base, arns)
    base.destroy()
