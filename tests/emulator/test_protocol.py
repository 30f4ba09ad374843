"""Responses are serialised in one place, against the operation's output shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from personalize_emulator import Emulator
from personalize_emulator.errors import InternalFailure
from personalize_emulator.protocol import encode_result
from personalize_emulator.settings import Settings

_CONTROL = {"content-type": "application/x-amz-json-1.1"}


def test_an_answer_outside_its_shape_is_an_internal_failure() -> None:
    expected = r"DescribeSchema answered outside its output shape: .*schema\.name: value must be a string"
    with pytest.raises(InternalFailure, match=expected):
        encode_result("personalize", "DescribeSchema", {"schema": {"name": 5}}, check=True)


def test_unchecked_answers_are_serialised_as_they_are() -> None:
    response = encode_result("personalize", "DescribeSchema", {"schema": {"name": "s"}})
    assert (response.status, json.loads(response.body)) == (200, {"schema": {"name": "s"}})


def test_the_suite_runs_every_emulator_with_checked_answers(tmp_path: Path) -> None:
    """tests/conftest.py turns the check on through the environment (subprocess servers included)."""
    assert Settings().check_responses
    with Emulator(tmp_path, lifecycle="instant") as emulator:
        headers = {**_CONTROL, "x-amz-target": "AmazonPersonalize.ListDatasetGroups"}
        answer = emulator.handle("POST", "/", headers, b"{}")
    assert (answer.status, json.loads(answer.body)) == (200, {"datasetGroups": []})


def test_a_violation_reaches_the_client_as_a_500(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Emulator(tmp_path, lifecycle="instant", settings=Settings(check_responses=True)) as emulator:
        monkeypatch.setattr(emulator, "call", lambda *_a, **_k: {"datasetGroups": [{"status": 1}]})
        headers = {**_CONTROL, "x-amz-target": "AmazonPersonalize.ListDatasetGroups"}
        answer = emulator.handle("POST", "/", headers, b"{}")
    body = json.loads(answer.body)
    assert (answer.status, body["__type"]) == (500, "InternalFailure")
    assert "datasetGroups[0].status" in body["message"]
