"""Training inputs: event filters, eventsConfig weights, the documented minimums."""

from __future__ import annotations

import numpy as np
import pytest

from personalize_emulator.training import TrainingData, TrainingError
from personalize_emulator.training.log import build_log, select_rows
from personalize_emulator.training.settings import EventRule, Settings, parse_settings

from .conftest import synthetic_data


def test_event_type_keeps_one_type(small_data: TrainingData) -> None:
    keep, _ = select_rows(small_data, Settings(event_type="click"))
    assert set(small_data.interactions.event_type[keep].tolist()) == {"click"}


def test_event_value_threshold_keeps_values_at_or_above(small_data: TrainingData) -> None:
    keep, _ = select_rows(small_data, Settings(event_value_threshold=4.0))
    values = small_data.interactions.event_value
    assert keep.sum() == (values >= 4.0).sum()
    assert values[keep].min() == 4.0


def test_events_config_weights_and_drops_unlisted_types(small_data: TrainingData) -> None:
    rules = (EventRule("purchase", None, 1.0), EventRule("click", 3.0, 0.25))
    keep, weight = select_rows(small_data, Settings(event_rules=rules))
    types = small_data.interactions.event_type
    assert set(weight[keep & (types == "click")].tolist()) == {0.25}
    assert set(weight[keep & (types == "purchase")].tolist()) == {1.0}
    assert not (keep & (types == "click") & (small_data.interactions.event_value < 3.0)).any()


def test_parse_settings_reads_the_api_shape() -> None:
    settings = parse_settings({
        "eventType": "click",
        "solutionConfig": {
            "eventValueThreshold": "2.5",
            "eventsConfig": {"eventParametersList": [{"eventType": "click", "weight": 0.5}]},
            "optimizationObjective": {"itemAttribute": "PRICE", "objectiveSensitivity": "HIGH"},
            "trainingDataConfig": {"excludedDatasetColumns": {"Items": ["PRICE"]}},
        },
    }, None)
    assert settings.event_type == "click"
    assert settings.event_value_threshold == 2.5
    assert settings.event_rules == (EventRule("click", None, 0.5),)
    assert settings.objective_attribute == "PRICE" and settings.objective_weight > 0.5
    assert settings.columns_for("items", ("GENRE", "PRICE")) == ("GENRE",)


def test_minimum_interactions_names_the_numbers() -> None:
    data = synthetic_data(n_users=30, events_per_user=(10, 12))
    pattern = r"at least 1,000 interactions.*found \d+ interactions and 30 such"
    with pytest.raises(TrainingError, match=pattern):
        build_log(data, Settings())


def test_minimum_users_after_filtering() -> None:
    data = synthetic_data(n_users=20, events_per_user=(60, 60))
    with pytest.raises(TrainingError, match=r"25 users.*found 1,200 interactions and 20 such users"):
        build_log(data, Settings())


def test_filters_apply_before_the_minimums(small_data: TrainingData) -> None:
    with pytest.raises(TrainingError, match="eventValueThreshold 99"):
        build_log(small_data, Settings(event_value_threshold=99.0))


def test_log_is_sorted_by_user_then_time(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    assert np.all(np.diff(log.user) >= 0)
    for u in range(0, log.n_users, 17):
        assert np.all(np.diff(log.time[log.indptr[u]:log.indptr[u + 1]]) >= 0)
    assert log.n_items == 120  # the Items dataset's catalogue is included
