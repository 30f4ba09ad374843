"""The LightGBM ``lambdarank`` re-ranker: training, scoring, text (de)serialisation.

Boosting starts from a popularity prior (the log of the item's interaction count, passed as
``init_score``) and runs a fixed number of rounds with a small learning rate and large leaves; then
the boosted model must beat the prior alone by two standard errors on held-out queries, or the
prior is kept. So on data where nothing beats popularity (a grocery basket log) the model ranks by
popularity rather than by noise. (Early stopping on a small held-out set was tried and dropped: the
chosen number of trees swung with noise.) LightGBM is imported inside functions so importing the
training package stays cheap. Training is deterministic (fixed seeds, ``deterministic=True``,
bounded threads); the model is stored as LightGBM text, never pickled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import TrainingError

__all__ = ["PRIOR_FEATURE", "Ranker", "RankerSettings", "train_ranker"]

PRIOR_FEATURE = "popularity_prior"
HELD_OUT = 0.1  # share of the training queries kept back to check the booster against the prior
SIGNIFICANCE = 2.0  # standard errors by which boosting must beat the prior on held-out queries


@dataclass(frozen=True, slots=True)
class RankerSettings:
    """What the documented hyperparameters set on the ranker (see :mod:`.knobs`)."""

    num_leaves: int = 31
    rounds: int = 200
    learning_rate: float = 0.03
    min_data_in_leaf: int = 100


class Ranker:
    """A booster plus the prior it was boosted from."""

    def __init__(self, text: str, prior_column: int, threads: int = 1) -> None:
        self.text = text
        self.prior_column = prior_column
        self.threads = max(1, threads)
        self.booster: Any = None
        if text:
            import lightgbm as lgb

            self.booster = lgb.Booster(model_str=text)

    @property
    def trees(self) -> int:
        """Boosted trees on top of the prior (0: the model is the popularity prior)."""
        return int(self.booster.num_trees()) if self.booster is not None else 0

    def predict(self, features: np.ndarray) -> np.ndarray:
        scores = features[:, self.prior_column].astype(np.float64)
        if self.booster is not None:
            scores = scores + np.asarray(self.booster.predict(features, num_threads=self.threads), dtype=np.float64)
        return scores


def _params(settings: RankerSettings, seed: int, threads: int) -> dict[str, Any]:
    return {
        "objective": "lambdarank",
        "lambdarank_truncation_level": 25,
        "num_leaves": settings.num_leaves,
        "learning_rate": settings.learning_rate,
        "min_data_in_leaf": settings.min_data_in_leaf,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "num_threads": max(1, threads),
        "seed": seed,
        "deterministic": True,
        "force_col_wise": True,
        "verbosity": -1,
    }


def train_ranker(features: np.ndarray, labels: np.ndarray, groups: np.ndarray, names: tuple[str, ...], *,
                 settings: RankerSettings, seed: int, threads: int) -> Ranker:
    """Fit a lambdarank booster; rows sorted by query, ``groups`` = the queries' sizes."""
    import lightgbm as lgb

    if int(groups.sum()) != len(labels):
        raise ValueError("group sizes must add up to the number of rows")
    if not labels.any():
        raise TrainingError("No held-out interaction of the training users was among the candidates, so the "
                            "ranker has nothing to learn from; import more interactions per user.")
    prior = names.index(PRIOR_FEATURE)
    # Queries: 90% train the booster, 10% check the result against the prior.
    check_query = np.random.default_rng(seed).random(len(groups)) >= 1 - HELD_OUT
    if check_query.sum() < 2 or check_query.all():
        check_query = np.arange(len(groups)) % 10 == 0

    def dataset(query: np.ndarray) -> Any:
        rows = np.repeat(query, groups)
        return lgb.Dataset(features[rows], label=labels[rows].astype(np.float32), group=groups[query],
                           init_score=features[rows, prior], feature_name=list(names), free_raw_data=True)

    booster = lgb.train(_params(settings, seed, threads), dataset(~check_query), num_boost_round=settings.rounds)
    ranker = Ranker(booster.model_to_string(), prior, threads)
    rows = np.repeat(check_query, groups)
    check_features, check_labels = features[rows], labels[rows]
    gain = (_ndcg(ranker.predict(check_features), check_labels, groups[check_query])
            - _ndcg(check_features[:, prior], check_labels, groups[check_query]))
    if gain.mean() <= SIGNIFICANCE * gain.std() / np.sqrt(len(gain)):
        # Boosting did not clearly beat the popularity prior on unseen queries: keep the prior.
        ranker = Ranker("", prior, threads)
    return ranker


def _ndcg(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray, k: int = 10) -> np.ndarray:
    """NDCG@k of each query group (rows sorted by query)."""
    query = np.repeat(np.arange(len(groups)), groups)
    order = np.lexsort((-scores, query))
    starts = np.repeat(np.cumsum(groups) - groups, groups)
    position = np.empty(len(scores), dtype=np.int64)
    position[order] = np.arange(len(scores)) - starts
    gains = np.where((position < k) & (labels > 0), 1.0 / np.log2(position + 2.0), 0.0)
    dcg = np.bincount(query, weights=gains, minlength=len(groups))
    positives = np.minimum(np.bincount(query, weights=labels > 0, minlength=len(groups)), k).astype(np.int64)
    ideal = np.concatenate(([0.0], np.cumsum(1.0 / np.log2(np.arange(2, k + 2)))))[positives]
    ndcg: np.ndarray = np.divide(dcg, ideal, out=np.zeros_like(dcg), where=ideal > 0)
    return ndcg
