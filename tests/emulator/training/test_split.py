"""Personalize's split: 10% of users held out; their oldest 90% is input, newest 10% truth."""

from __future__ import annotations

import numpy as np

from personalize_emulator.training import TrainingData
from personalize_emulator.training.log import build_log
from personalize_emulator.training.settings import Settings
from personalize_emulator.training.split import holdout, per_event, personalize_split


def test_ten_percent_of_users_are_held_out(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    train_log, test = personalize_split(log, seed=0)
    assert len(test) == round(0.1 * log.n_users)
    assert not np.isin(train_log.user, test.user).any()
    assert len(train_log) + sum(int(log.counts()[u]) for u in test.user) == len(log)


def test_input_is_oldest_ninety_percent_and_truth_newest(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    _, test = personalize_split(log, seed=0)
    for q, user in enumerate(test.user):
        rows = slice(log.indptr[user], log.indptr[user + 1])
        n = log.indptr[user + 1] - log.indptr[user]
        n_truth = max(1, int(np.floor(0.1 * n + 0.5)))
        history = test.history(q)
        assert len(history) == n - n_truth
        assert history.tolist() == log.item[rows][: n - n_truth].tolist()
        assert set(test.truth(q).tolist()) == set(log.item[rows][n - n_truth:].tolist())
        assert test.last_time()[q] <= log.time[rows][n - n_truth]


def test_split_is_deterministic_per_seed(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    assert personalize_split(log, 3)[1].user.tolist() == personalize_split(log, 3)[1].user.tolist()
    assert personalize_split(log, 3)[1].user.tolist() != personalize_split(log, 4)[1].user.tolist()


def test_two_event_user_gives_one_input_and_one_truth(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    user = int(np.argmin(log.counts()))
    truth_rows, queries = holdout(log, np.array([user]))
    n = int(log.counts()[user])
    assert int(truth_rows.sum()) == max(1, int(np.floor(0.1 * n + 0.5)))
    assert len(queries.history(0)) == n - int(truth_rows.sum())


def test_per_event_queries_cover_every_held_out_event(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    users = np.array([3, 8])
    truth_rows, by_user = holdout(log, users)
    queries = per_event(log, users)
    assert len(queries) == int(truth_rows.sum())
    assert all(len(queries.truth(q)) == 1 for q in range(len(queries)))
    first = int(log.indptr[3])
    assert queries.history(0).tolist() == log.item[first:first + len(by_user.history(0))].tolist()
    assert len(queries.history(1)) == len(queries.history(0)) + 1 or int(queries.user[1]) == 8


def test_take_keeps_each_chosen_query_whole(small_data: TrainingData) -> None:
    _, queries = personalize_split(build_log(small_data, Settings()), seed=0)
    chosen = np.array([0, 3, len(queries) - 1])
    taken = queries.take(chosen)
    assert taken.user.tolist() == queries.user[chosen].tolist()
    for new, old in enumerate(chosen):
        assert taken.history(new).tolist() == queries.history(int(old)).tolist()
        assert taken.truth(new).tolist() == queries.truth(int(old)).tolist()
    assert taken.last_time().tolist() == queries.last_time()[chosen].tolist()
