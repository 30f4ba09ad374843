"""The emulated clock: one source of "now" that tests advance and servers can run faster."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from personalize_emulator import Emulator, mock_personalize
from personalize_emulator.clock import Clock
from personalize_emulator.pacing import Progression
from personalize_emulator.settings import Settings

HOUR = 3600.0
DAY = 86400.0


def _stamp(value: Any) -> float:
    return float(value.timestamp())


def test_the_clock_moves_only_forward_and_stamps_new_resources(attached: Callable[..., Any]) -> None:
    made = attached()
    before = made.emulator.clock.now()
    assert made.emulator.advance(2 * DAY) >= before + 2 * DAY
    arn = made.aws.personalize.create_dataset_group(name="later")["datasetGroupArn"]
    created = _stamp(made.aws.describe("dataset_group", arn)["creationDateTime"])
    assert created >= before + 2 * DAY
    with pytest.raises(ValueError, match="only moves forward"):
        made.emulator.advance(-1)


def test_mock_personalize_yields_an_emulator_that_advances() -> None:
    with mock_personalize(instant=True) as emu:
        start = emu.clock.now()
        assert emu.advance(HOUR) >= start + HOUR


def test_the_clock_speed_setting_scales_real_time(tmp_path: Path) -> None:
    with Emulator(tmp_path / "fast", lifecycle="instant", settings=Settings(clock_speed=1000)) as emu:
        start = emu.clock.now()
        time.sleep(0.05)
        assert emu.clock.now() - start >= 40  # 50 ms of real time at 1000x


def test_a_clock_follows_its_source_scaled_and_advanced() -> None:
    now = [100.0]
    clock = Clock(lambda: now[0], speed=10)
    now[0] += 2
    assert clock.now() == 120.0
    assert clock.advance(5) == 125.0
    clock.resume_from(110.0)  # never back
    assert clock() == 125.0
    clock.resume_from(200.0)
    assert clock() == 200.0
    with pytest.raises(ValueError, match="clock speed must be positive"):
        Clock(speed=0)


def test_advancing_the_clock_opens_pacing_deadlines(attached: Callable[..., Any]) -> None:
    """Pacing reads the same clock: time moved by advance() counts as time passed."""
    made = attached(lifecycle="background",
                    settings=Settings(progression=Progression(describes=1000, seconds=60)))
    arn = made.aws.personalize.create_dataset_group(name="paced")["datasetGroupArn"]
    time.sleep(0.2)
    assert made.aws.describe("dataset_group", arn)["status"] == "CREATE PENDING"
    made.emulator.advance(61)
    deadline = time.monotonic() + 10
    while made.aws.describe("dataset_group", arn)["status"] != "CREATE IN_PROGRESS":
        assert time.monotonic() < deadline, "the gate did not open after the clock passed its deadline"
        time.sleep(0.02)
