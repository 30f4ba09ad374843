"""Evaluation of parsed filters against a small dataset group's data."""

from __future__ import annotations

import numpy as np
import pytest

from personalize_emulator.errors import InvalidInputException
from personalize_emulator.filters import compile_expression
from personalize_emulator.filters.data import FilterData, index_data
from personalize_emulator.filters.evaluate import Request, item_mask
from personalize_emulator.filters.values import resolve_values
from personalize_emulator.training.data import Interactions, Table, TrainingData

ITEMS = ["i1", "i2", "i3", "i4", "i5"]


@pytest.fixture(scope="module")
def data() -> FilterData:
    """u1 clicked i1 and bought i2; u2 watched i3.  Items have GENRE (categorical) and PRICE; i5 has no row."""
    log = Interactions(
        user_id=np.array(["u1", "u1", "u2"]), item_id=np.array(["i1", "i2", "i3"]),
        timestamp=np.array([1, 2, 3], dtype=np.int64), event_type=np.array(["Click", "buy", "watch"]),
        event_value=np.full(3, np.nan),
    )
    items = Table(key=np.array(["i1", "i2", "i3", "i4"]), columns={
        "GENRE": np.array(["comedy|drama", "horror", "comedy", ""]),
        "PRICE": np.array([5.0, 20.0, 12.5, np.nan]),
    }, categorical=frozenset({"GENRE"}))
    users = Table(key=np.array(["u1", "u2"]),
                  columns={"AGE": np.array([17.0, 40.0]), "TIER": np.array(["free", "gold"])})
    return index_data(TrainingData(log, items, users))


def survivors(data: FilterData, text: str, *, user: str | None = "u1", item: str | None = None,
              values: dict[str, str] | None = None, recorded: tuple[tuple[str, str, float], ...] = ()) -> list[str]:
    tree = compile_expression(text)
    mask = item_mask(tree, data, Request(user, item, resolve_values(tree, values), recorded))
    return [i for i, keep in zip(ITEMS, mask.mask(ITEMS), strict=True) if keep]


@pytest.mark.parametrize(("text", "expected"), [
    ('INCLUDE ItemID WHERE Items.GENRE IN ("comedy")', ["i1", "i3"]),
    ('EXCLUDE ItemID WHERE Items.GENRE IN ("comedy")', ["i2", "i4", "i5"]),
    ('INCLUDE ItemID WHERE Items.GENRE NOT IN ("drama")', ["i2", "i3"]),
    ('INCLUDE ItemID WHERE Items.PRICE < 12.5', ["i1"]),
    ('INCLUDE ItemID WHERE Items.PRICE <= 12.5', ["i1", "i3"]),
    ('INCLUDE ItemID WHERE Items.PRICE = 20', ["i2"]),
    ('INCLUDE ItemID WHERE Items.PRICE > 5', ["i2", "i3"]),
    ('INCLUDE ItemID WHERE Items.PRICE >= 5', ["i1", "i2", "i3"]),
    ('INCLUDE ItemID WHERE Items.PRICE IN (20)', ["i2"]),
    ('INCLUDE ItemID WHERE Items.GENRE IN ("comedy") AND Items.PRICE > 10', ["i3"]),
    ('INCLUDE ItemID WHERE Items.GENRE IN ("horror") OR Items.PRICE < 10 AND Items.GENRE IN ("drama")', ["i1", "i2"]),
    ('INCLUDE ItemID WHERE Items.MISSING IN ("x")', []),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")', ["i3", "i4", "i5"]),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)', ["i3", "i4", "i5"]),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', ["i2", "i3", "i4", "i5"]),
    ('INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click")', ["i2"]),
    ('INCLUDE ItemID WHERE Items.GENRE IN ("comedy") | INCLUDE ItemID WHERE Items.GENRE IN ("horror")',
     ["i1", "i2", "i3"]),
    ('INCLUDE ItemID WHERE Items.GENRE IN ("comedy") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")', ["i3"]),
    ('EXCLUDE ItemID WHERE Items.GENRE IN ("horror") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
     ["i3", "i4", "i5"]),
])
def test_conditions_and_chains(data: FilterData, text: str, expected: list[str]) -> None:
    assert survivors(data, text) == expected


def test_event_types_match_case_insensitively_and_per_user(data: FilterData) -> None:
    text = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("CLICK", "Watch")'
    assert survivors(data, text, user="u1") == ["i2", "i3", "i4", "i5"]
    assert survivors(data, text, user="u2") == ["i1", "i2", "i4", "i5"]
    assert survivors(data, text, user="stranger") == ITEMS
    assert survivors(data, text, user=None) == ITEMS


def test_recorded_events_count_at_once(data: FilterData) -> None:
    text = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
    assert survivors(data, text, user="stranger", recorded=(("i4", "view", 9.0),)) == [*ITEMS[:3], "i5"]


def test_only_the_newest_100_interactions_per_event_type_count() -> None:
    n = 150
    log = Interactions(user_id=np.array(["u"] * n), item_id=np.array([f"x{k}" for k in range(n)]),
                       timestamp=np.arange(n, dtype=np.int64), event_type=np.array(["view"] * n),
                       event_value=np.full(n, np.nan))
    data = index_data(TrainingData(log))
    tree = compile_expression('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("view")')
    mask = item_mask(tree, data, Request("u", None, {})).mask([f"x{k}" for k in range(n)])
    assert mask.tolist() == [True] * 50 + [False] * 100


def test_placeholders(data: FilterData) -> None:
    text = "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"
    assert survivors(data, text, values={"GENRE": '"horror","drama"'}) == ["i1", "i2"]
    assert survivors(data, "INCLUDE ItemID WHERE Items.PRICE <= $PRICE", values={"PRICE": '"12.5"'}) == ["i1", "i3"]
    assert survivors(data, "INCLUDE ItemID WHERE Items.PRICE <= $PRICE", values={"PRICE": "12.5"}) == ["i1", "i3"]
    with pytest.raises(InvalidInputException) as exc:
        survivors(data, "INCLUDE ItemID WHERE Items.PRICE <= $PRICE", values={"PRICE": '"1","2"'})
    assert exc.value.message == "filterValues.PRICE: Items.PRICE compares with one number; got 2 values."
    with pytest.raises(InvalidInputException) as exc:
        survivors(data, "INCLUDE ItemID WHERE Items.PRICE <= $PRICE", values={"PRICE": '"cheap"'})
    assert exc.value.message == "filterValues.PRICE: Items.PRICE compares with a number; got 'cheap'."


def test_omitted_exclude_placeholder_drops_its_condition(data: FilterData) -> None:
    text = 'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) AND Items.PRICE > 10'
    assert survivors(data, text) == ["i1", "i4", "i5"]
    assert survivors(data, text, values={"GENRE": '"comedy"'}) == ["i1", "i2", "i4", "i5"]
    assert survivors(data, "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)") == ITEMS


def test_if_current_user(data: FilterData) -> None:
    text = 'EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE < $ADULT'
    assert survivors(data, text, user="u1", values={"ADULT": "18"}) == ["i1", "i3", "i4", "i5"]
    assert survivors(data, text, user="u2", values={"ADULT": "18"}) == ITEMS
    assert survivors(data, text, user="nobody", values={"ADULT": "18"}) == ITEMS
    assert survivors(data, text, user="u1") == ITEMS  # omitted EXCLUDE placeholder in IF: skipped
    tiers = 'INCLUDE ItemID WHERE Items.PRICE < 10 IF CurrentUser.TIER IN ("free") AND CurrentUser.AGE >= 10'
    assert survivors(data, tiers, user="u1") == ["i1"]
    assert survivors(data, tiers, user="u2") == ITEMS


def test_current_item(data: FilterData) -> None:
    text = "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE"
    assert survivors(data, text, item="i3") == ["i1"]
    assert survivors(data, "INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE", item="i3") == ["i1", "i3"]
    assert survivors(data, "INCLUDE ItemID WHERE Items.PRICE > CurrentItem.PRICE", item="i1") == ["i2", "i3"]
    assert survivors(data, "INCLUDE ItemID WHERE Items.PRICE > CurrentItem.PRICE", item="i5") == []
