"""Deciding early, before the ranker is trained, that a log only supports popularity.

On a log where no candidate generator predicts a user's next items better than plain popularity (a
grocery basket log), the LightGBM ranker ends up keeping its popularity prior anyway (the check in
:func:`.ranker.train_ranker`), after the most expensive half of training: building features for
every held-out history and boosting on them. So each generator's ranking is scored against
popularity's on the ranker's first held-out cut (the newest tenth of training users' interactions:
no test user is seen), from the very scores its ranker examples are built from, batch by batch
(:class:`PopularityCheck`). When none beats popularity by :data:`SIGNIFICANCE` standard errors of
NDCG@10, training falls back to the prior there and then, before the second cut and the booster,
and says so in the training log.

This is a filter in front of the ranker's own check, not a replacement: a log where one generator
clearly wins still trains the ranker, which can then still fall back. A log where no generator
wins alone but their combination (or item/user metadata) would have won is a case this gives up on
for cost; the training log names the best generator's gain so that is visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..metrics import hit_matrix, ndcg_per_query
from ..model import best_per_row
from ..split import Queries

__all__ = ["GENERATORS", "PopularityCheck", "Verdict"]

#: The candidate generators whose rankings are compared with popularity.
GENERATORS = ("seq_forward", "seq_symmetric", "seq_last", "ease", "ease_recent", "svd", "recent_popularity")
SIGNIFICANCE = 2.0  # the same bar the ranker's own check uses
K = 10


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether to skip the ranker, with the evidence for the training log."""

    falls_back: bool
    best: str
    gain: float  # the best generator's mean NDCG@10 minus popularity's
    standard_error: float
    popularity: float  # popularity's NDCG@10 on the sample
    queries: int

    def line(self) -> str:
        evidence = (f"best generator {self.best}: NDCG@10 {self.gain:+.4f} +- {self.standard_error:.4f} over "
                    f"popularity's {self.popularity:.4f} on {self.queries:,} held-out histories")
        if self.falls_back:
            return ("no candidate generator beat popularity (" + evidence + "); falling back to popularity "
                    "without training the ranker")
        return "candidate generators beat popularity (" + evidence + "); training the ranker"


def _top(scores: np.ndarray, popularity: np.ndarray) -> np.ndarray:
    """Each row's :data:`K` best items; popularity breaks ties (as the prior does in the ranker)."""
    return best_per_row(scores.astype(np.float64) + 1e-9 * popularity, K)[0]


class PopularityCheck:
    """Each generator's NDCG@10 and popularity's, per query, added one batch of queries at a time."""

    def __init__(self, popularity: np.ndarray) -> None:
        self.popularity = popularity / max(float(popularity.max(initial=0.0)), 1.0)
        self.per_query: dict[str, list[np.ndarray]] = {name: [] for name in ("popularity", *GENERATORS)}

    def add(self, scores: dict[str, np.ndarray], queries: Queries) -> None:
        """Rank the catalogue by each of a batch's dense score matrices (one row per query)."""
        ranked = {"popularity": np.broadcast_to(self.popularity, (len(queries), len(self.popularity)))}
        ranked.update((name, scores[name]) for name in GENERATORS)
        for name, matrix in ranked.items():
            hits = hit_matrix(_top(matrix, self.popularity), queries.truth_indptr, queries.truth_item)
            self.per_query[name].append(ndcg_per_query(hits, np.diff(queries.truth_indptr), K))

    def verdict(self) -> Verdict:
        """The best generator's gain over popularity, and whether it is significant."""
        base = np.concatenate(self.per_query["popularity"]) if self.per_query["popularity"] else np.zeros(0)
        best, best_gain, best_se = "", -np.inf, 0.0
        for name in GENERATORS:
            gain = np.concatenate(self.per_query[name]) - base if len(base) else np.zeros(1)
            mean, se = float(gain.mean()), float(gain.std() / np.sqrt(max(len(gain), 1)))
            if mean - SIGNIFICANCE * se > best_gain - SIGNIFICANCE * best_se or not best:
                best, best_gain, best_se = name, mean, se
        falls_back = len(base) > 0 and best_gain <= SIGNIFICANCE * best_se
        return Verdict(falls_back=falls_back, best=best, gain=best_gain, standard_error=best_se,
                       popularity=float(base.mean()) if len(base) else 0.0, queries=len(base))
