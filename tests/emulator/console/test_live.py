"""A version still training: the console shows its phase, elapsed time and HPO trial i of n, live."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from personalize_emulator import Emulator
from personalize_emulator.progress import TrainingProgress

from .conftest import Pages

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/live"
VERSION = "arn:aws:personalize:us-east-1:123456789012:solution/live/v1"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Pages, list[float]]]:
    """A version row in CREATE IN_PROGRESS on an emulator whose clock the test moves."""
    now = [1000.0]
    emulator = Emulator(tmp_path / "state", lifecycle="manual", clock=lambda: now[0])
    common = {"account": "123456789012", "region": "us-east-1"}
    emulator.store.insert(arn=GROUP, kind="dataset-group", name="live", parent=None,
                          body={"name": "live", "datasetGroupArn": GROUP, "status": "ACTIVE"}, **common)
    emulator.store.insert(arn=VERSION, kind="solution-version", name="live/v1", parent=None,
                          body={"solutionVersionArn": VERSION, "datasetGroupArn": GROUP,
                                "status": "CREATE IN_PROGRESS", "performHPO": True}, **common)
    yield Pages(emulator, {}), now
    emulator.close()


def test_an_in_flight_version_is_polled_and_shows_phase_elapsed_and_trial(live: tuple[Pages, list[float]]) -> None:
    pages, now = live
    text = pages.get("version", VERSION).text
    assert 'data-live="/_console/progress?arn=' in text and "waiting to start" in text
    progress = TrainingProgress(pages.emulator.store, VERSION, lambda: now[0])
    progress.line("HPO: starting trials 3-4")
    for trial in (1, 2):
        progress.fact("hpo_trial", {"trial": trial, "of": 5, "objective": "ndcg", "score": 0.1,
                                    "hyperparameters": {"k": "1"}})
    now[0] += 42.5
    text = pages.get("version", VERSION).text
    assert "HPO: starting trials 3-4" in text and "HPO trial 2 of 5" in text and "42.5 s" in text
    assert "2 of 5 trials" in text  # the chart draws the trials finished so far
    state = json.loads(pages.get("progress", VERSION).text)
    assert state == {"arn": VERSION, "status": "CREATE IN_PROGRESS", "failureReason": None,
                     "phase": "HPO: starting trials 3-4", "elapsed": 42.5, "trial": 2, "trials": 5, "live": True}


def test_a_group_with_work_in_flight_is_polled(live: tuple[Pages, list[float]]) -> None:
    pages, _ = live
    assert 'data-live="' not in pages.get("group", GROUP).text
    dataset = GROUP.replace(":dataset-group/", ":dataset/") + "/INTERACTIONS"
    pages.emulator.store.insert(arn=dataset, kind="dataset", account="123456789012", region="us-east-1",
                                name="d", parent=GROUP, body={"name": "d", "status": "CREATE PENDING"})
    assert 'data-live="/_console/progress?arn=' in pages.get("group", GROUP).text
    assert json.loads(pages.get("progress", GROUP).text)["live"] is True
