"""``personalize-emulator serve`` options: quotas can be raised or lowered, bad options exit 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from personalize_emulator.cli import main


@pytest.mark.parametrize(("option", "message"), [
    ("campaign=3", "invalid option quotas.campaign"),
    ("campaigns=x", "valid integer"),
    ("campaigns", "--quota takes NAME=N"),
])
def test_bad_quota_options_exit_2_with_a_reason(option: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--quota", option, "--port", "0"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_a_lowered_quota_answers_limit_exceeded(serve: Callable[..., Any]) -> None:
    server = serve(extra=["--quota", "dataset_groups=1"])
    p = server.clients().personalize
    p.create_dataset_group(name="first")
    with pytest.raises(p.exceptions.LimitExceededException) as exc:
        p.create_dataset_group(name="second")
    assert "quota of 1 dataset groups" in exc.value.response["Error"]["Message"]


@pytest.mark.parametrize("speed", ["0", "-2"])
def test_a_clock_speed_must_be_positive(speed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--clock-speed", speed, "--port", "0"]) == 2
    assert "invalid option clock_speed: Input should be greater than 0" in capsys.readouterr().err
