"""From the recipe's documented hyperparameters to the model's knobs.

=================================== ===========================================================
hyperparameter (recipe, default)    what it sets here
=================================== ===========================================================
hidden_dimension (v1, 149)          model capacity: the PureSVD rank (``hidden_dimension / 2``,
                                    8..128), LightGBM ``num_leaves = hidden_dimension / 5``
                                    (7..51) and ``(50 + hidden_dimension) / 3`` boosting rounds
                                    (at least 20) at a learning rate of 0.1
bptt (v1, 32)                       how far back in a user's sequence the model looks: item pairs
                                    up to ``bptt`` events apart feed the sequential co-occurrence
                                    (each further step weighs 0.85x less), and a history event
                                    ``k`` steps back weighs ``exp(-k / (bptt / 2))``
recency_mask (v1, True)             False turns that history decay off: a user's whole history
                                    weighs the same
apply_recency_bias (v2, true)       the same switch for the -v2 recipes
min/max_user_history_length_        users whose history is shorter / longer than these
percentile (v1, 0.0 / 0.99)         percentiles are not used as ranker training examples (their
                                    interactions still feed the candidate generators)
=================================== ===========================================================

The v2 recipes use the v1 defaults for the knobs they do not document. Not hyperparameters (fixed):
EASE on the 2,500 most popular items with L2 weight 250, 80 candidates per generator, two held-out
cuts per training user for the ranker's examples, from at most 3,000 training users (a seeded
sample above that: on the 1M-event planted log, 3,000 users scored NDCG@10 0.7263 against 0.7223
with all 8,938, in 55 s instead of 82 s and 869 MB instead of 1,056 MB peak).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import FitContext
from .ranker import RankerSettings

__all__ = ["Knobs", "knobs_for"]


@dataclass(frozen=True, slots=True)
class Knobs:
    window: int
    decay: float
    recency_steps: float
    ranker: RankerSettings
    min_history_percentile: float
    max_history_percentile: float
    ease_items: int = 2500
    ease_regularisation: float = 250.0
    factors: int = 64
    ranker_cuts: int = 2
    ranker_users: int = 3000
    candidates_per_source: int = 80


def _number(ctx: FitContext, name: str, default: float) -> float:
    if ctx.settings.hyperparameters.get(name) is None and ctx.recipe.hyperparameter(name) is None:
        return default
    return ctx.float_hyperparameter(name)


def _flag(ctx: FitContext, name: str, default: bool) -> bool:
    value = ctx.settings.hyperparameters.get(name)
    return default if value is None else value.strip().lower() == "true"


def knobs_for(ctx: FitContext) -> Knobs:
    """The knobs for the solution's (possibly HPO-chosen) hyperparameters."""
    hidden = int(_number(ctx, "hidden_dimension", 149))
    bptt = int(_number(ctx, "bptt", 32))
    recency = _flag(ctx, "recency_mask", True) and _flag(ctx, "apply_recency_bias", True)
    leaves = max(7, min(51, hidden // 5))
    return Knobs(
        window=max(1, bptt),
        decay=0.85,
        recency_steps=max(1.0, bptt / 2.0) if recency else 0.0,
        ranker=RankerSettings(num_leaves=leaves, rounds=max(20, (50 + hidden) // 3)),
        factors=max(8, min(128, hidden // 2)),

        min_history_percentile=_number(ctx, "min_user_history_length_percentile", 0.0),
        max_history_percentile=_number(ctx, "max_user_history_length_percentile", 0.99),
    )
