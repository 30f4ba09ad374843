"""Automatic training under an emulated clock: the first run, the schedule, skips, restarts, updates.

Each test builds a dataset group with a small popularity-count solution (the fastest recipe) on an
instant emulator, then moves time with ``Emulator.advance``: an automatic version trains inside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from personalize_emulator import Emulator
from personalize_emulator.settings import Settings

HOUR = 3600.0
DAY = 86400.0


@dataclass
class Auto:
    """A pipeline up to an ACTIVE solution (no version yet) on an emulator the test moves in time."""

    emulator: Emulator
    pipeline: Any
    tracker: str = ""

    @property
    def aws(self) -> Any:
        return self.pipeline.aws

    @property
    def solution(self) -> str:
        return str(self.pipeline.arns["solution"])

    def versions(self) -> list[dict[str, Any]]:
        """The solution's versions, oldest first, fully described."""
        summaries = self.aws.personalize.list_solution_versions(solutionArn=self.solution)["solutionVersions"]
        arns = [s["solutionVersionArn"] for s in summaries]
        found = [self.aws.describe("version", arn) for arn in arns]
        return sorted(found, key=lambda v: v["creationDateTime"])

    def automatic(self) -> list[dict[str, Any]]:
        return [v for v in self.versions() if v["trainingType"] == "AUTOMATIC"]

    def new_data(self, item: str = "fresh", users: int = 3) -> None:
        """Streamed interactions, the data a scheduled run needs to go ahead."""
        if not self.tracker:
            self.tracker = self.aws.personalize.create_event_tracker(
                name="tracker", datasetGroupArn=self.pipeline.arns["dataset_group"])["trackingId"]
        now = self.emulator.clock.now()
        for user in range(users):
            self.aws.events.put_events(trackingId=self.tracker, userId=f"fan{user}", sessionId=f"s{user}",
                                       eventList=[{"eventType": "click", "itemId": item, "sentAt": now}] * 10)


@pytest.fixture
def auto(attached: Callable[..., Any], make_csv: Any, kit: Any, tmp_path: Path) -> Callable[..., Auto]:
    """Factory: ``auto(**create_solution_kwargs)`` builds the pipeline on a fresh instant emulator."""

    def make(*, data_dir: Path | None = None, **solution: Any) -> Auto:
        made = attached(data_dir=data_dir or tmp_path / "auto-state")
        pipeline = kit.Pipeline(made.aws)
        pipeline.dataset_group()
        pipeline.dataset()
        data = make_csv(users=40, per_user=25, items=100, spread=True)  # 1,000 rows, flat popularity
        assert pipeline.import_data(data.as_uri())["status"] == "ACTIVE"
        pipeline.solution(**solution)
        return Auto(made.emulator, pipeline)

    return make


def _stamp(value: Any) -> float:
    return float(value.timestamp())


def test_the_first_automatic_version_trains_an_hour_after_active(auto: Callable[..., Auto]) -> None:
    run = auto()
    active = _stamp(run.aws.describe("solution", run.solution)["lastUpdatedDateTime"])
    run.emulator.advance(HOUR - 60)
    assert run.versions() == []
    run.emulator.advance(60)
    (version,) = run.versions()
    assert version["status"] == "ACTIVE", version.get("failureReason")
    assert (version["trainingType"], version["trainingMode"], version["status"]) == ("AUTOMATIC", "FULL", "ACTIVE")
    assert _stamp(version["creationDateTime"]) == pytest.approx(active + HOUR, abs=2)
    latest = run.aws.describe("solution", run.solution)["latestSolutionVersion"]
    assert (latest["solutionVersionArn"], latest["trainingType"]) == (version["solutionVersionArn"], "AUTOMATIC")


def test_scheduled_runs_need_new_data_and_follow_the_rate(auto: Callable[..., Auto]) -> None:
    run = auto(solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(2 days)"}})
    run.emulator.advance(HOUR)
    assert len(run.automatic()) == 1
    run.emulator.advance(2 * DAY)
    assert len(run.automatic()) == 1  # nothing arrived since the last training: the run is skipped
    run.new_data()
    run.emulator.advance(DAY)
    assert len(run.automatic()) == 1  # not due yet
    run.emulator.advance(DAY)
    first, second = run.automatic()
    gap = _stamp(second["creationDateTime"]) - _stamp(first["creationDateTime"])
    assert gap == pytest.approx(4 * DAY, abs=2)  # due every 2 days; the one at day 2 was skipped


def test_one_long_advance_runs_each_due_time_in_turn(auto: Callable[..., Auto]) -> None:
    run = auto(solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(1 day)"}})
    run.emulator.advance(3 * DAY)  # first run at +1 h; later ones skipped (no new data)
    assert len(run.automatic()) == 1


def test_a_manual_version_in_the_first_hour_skips_the_first_run(auto: Callable[..., Auto]) -> None:
    run = auto()
    run.emulator.advance(10 * 60)
    manual = run.pipeline.version()
    assert manual["trainingType"] == "MANUAL"
    run.emulator.advance(HOUR)
    assert run.automatic() == []
    run.new_data()
    run.emulator.advance(7 * DAY)
    (automatic,) = run.automatic()
    assert _stamp(automatic["creationDateTime"]) == pytest.approx(
        _stamp(run.aws.describe("solution", run.solution)["creationDateTime"]) + HOUR + 7 * DAY, abs=5)


def test_a_manual_version_after_the_first_hour_does_not_skip(auto: Callable[..., Auto]) -> None:
    run = auto()
    run.emulator.advance(HOUR - 1)
    run.emulator.advance(1)
    assert len(run.automatic()) == 1


def test_a_restart_does_not_train_twice(auto: Callable[..., Auto], attached: Callable[..., Any],
                                        tmp_path: Path) -> None:
    run = auto(data_dir=tmp_path / "kept")
    run.emulator.advance(HOUR)
    assert len(run.automatic()) == 1
    run.new_data()  # so only the persisted schedule, not the lack of new data, can hold the next run back
    later = run.emulator.clock.now()
    run.emulator.close()
    again = attached(data_dir=tmp_path / "kept")
    assert again.emulator.clock.now() >= later  # emulated time is part of the data dir's state
    again.emulator.advance(HOUR)
    summaries = again.aws.personalize.list_solution_versions(solutionArn=run.solution)["solutionVersions"]
    assert [s["trainingType"] for s in summaries] == ["AUTOMATIC"]


def test_update_solution_changes_the_schedule(auto: Callable[..., Auto]) -> None:
    run = auto()
    run.emulator.advance(HOUR)
    run.aws.personalize.update_solution(solutionArn=run.solution, solutionUpdateConfig={
        "autoTrainingConfig": {"schedulingExpression": "rate(1 day)"}})
    solution = run.aws.describe("solution", run.solution)
    assert solution["solutionConfig"]["autoTrainingConfig"] == {"schedulingExpression": "rate(1 day)"}
    run.new_data()
    run.emulator.advance(DAY)
    assert len(run.automatic()) == 2  # a day after the update, not seven
    run.aws.personalize.update_solution(solutionArn=run.solution, performAutoTraining=False)
    run.new_data("fresher")
    run.emulator.advance(30 * DAY)
    assert len(run.automatic()) == 2


def test_a_deleted_solution_takes_its_schedule_with_it(auto: Callable[..., Auto]) -> None:
    run = auto()
    run.emulator.advance(60)
    assert run.emulator.store.meta_keys("autotrain:") == [f"autotrain:{run.solution}"]
    run.aws.personalize.delete_solution(solutionArn=run.solution)
    run.emulator.advance(HOUR)
    assert run.emulator.store.meta_keys("autotrain:") == []


def test_turning_automatic_training_on_starts_within_the_hour(auto: Callable[..., Auto]) -> None:
    run = auto(performAutoTraining=False)
    run.emulator.advance(10 * DAY)
    assert run.versions() == []
    run.aws.personalize.update_solution(solutionArn=run.solution, performAutoTraining=True)
    run.emulator.advance(HOUR)
    assert len(run.automatic()) == 1


def test_a_latest_campaign_serves_each_new_automatic_version(auto: Callable[..., Auto]) -> None:
    run = auto()
    run.emulator.advance(HOUR)
    campaign = run.aws.personalize.create_campaign(
        name="follows", solutionVersionArn=f"{run.solution}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True})["campaignArn"]
    run.new_data("rising-star", users=5)

    def top() -> str:
        return str(run.aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")["itemList"][0]["itemId"])

    assert top() != "rising-star"  # popularity-count learns new events only by training
    run.emulator.advance(7 * DAY)
    assert len(run.automatic()) == 2
    assert top() == "rising-star"


def test_background_emulators_train_on_schedule_as_a_fast_clock_runs(
        attached: Callable[..., Any], make_csv: Any, kit: Any) -> None:
    made = attached(lifecycle="background", settings=Settings(clock_speed=20_000))
    pipeline = kit.Pipeline(made.aws)
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(make_csv(users=40, per_user=25, items=100, spread=True).as_uri())
    solution = pipeline.solution()
    deadline = time.monotonic() + 20
    while not made.aws.personalize.list_solution_versions(solutionArn=solution)["solutionVersions"]:
        assert time.monotonic() < deadline, "no automatic version after an emulated hour"
        time.sleep(0.05)
    (summary,) = made.aws.personalize.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert summary["trainingType"] == "AUTOMATIC"
    assert made.aws.wait("version", summary["solutionVersionArn"])["status"] == "ACTIVE"


@pytest.mark.slow
def test_serve_clock_speed_runs_schedules(serve: Callable[..., Any], make_csv: Any, kit: Any,
                                          tmp_path: Path) -> None:
    data = make_csv(users=40, per_user=25, items=100, spread=True)
    server = serve(tmp_path / "served", data.parent, extra=["--clock-speed", "20000",
                                                            "--progression-describes", "0"])
    pipeline = kit.Pipeline(server.clients())
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(data.as_uri())
    solution = pipeline.solution()
    personalize = pipeline.aws.personalize
    deadline = time.monotonic() + 30
    while not personalize.list_solution_versions(solutionArn=solution)["solutionVersions"]:
        assert time.monotonic() < deadline, "no automatic version after an emulated hour"
        time.sleep(0.1)
    (summary,) = personalize.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert summary["trainingType"] == "AUTOMATIC"
