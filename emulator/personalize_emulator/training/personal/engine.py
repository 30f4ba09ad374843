"""Training user-personalization and personalized-ranking models.

1. Hold out the newest 10% of each training user's interactions (the same protocol as the
   evaluation, on training users only), then the 10% before that, and fit the numpy signals on
   what remains (so no ranker label leaks into a feature).
2. Build candidates and features for both held-out cuts, label the candidates found in the
   held-out part, and fit the LightGBM lambdarank ranker.
3. The signals are refit on all of the log given (the training users' full histories) and keep the
   ranker: that model is the one evaluated. The served model refits the signals again on every
   user's data and keeps the same ranker (the features mean the same thing on more data); only the
   EASE weights and PureSVD factors (the dense solves) are kept from the evaluated model.

trainingMode=UPDATE refits the signals on the current data (new items and interactions) and keeps
the previous FULL version's ranker, as Personalize's incremental update does without full retraining.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..artifacts import read_manifest
from ..engine import Engine, FitContext
from ..errors import TrainingError
from ..log import Log
from ..model import Fitted
from ..split import Queries, holdout
from ..threads import thread_budget
from .fallback import PopularityCheck
from .features import FeatureBuilder
from .histories import Histories
from .knobs import Knobs, knobs_for
from .metadata import build_metadata, objective_values
from .model import BATCH_CELLS, PersonalModel, StoredHistories
from .ranker import Ranker, prior_only, train_ranker
from .signals import Signals, fit_signals

__all__ = ["Examples", "PersonalEngine"]


def stored(log: Log) -> StoredHistories:
    return StoredHistories(log.users, log.indptr, log.item.astype(np.int64), log.time, log.weight)


def _signals(log: Log, knobs: Knobs, threads: int, reuse_ease: Signals | None = None) -> Signals:
    return fit_signals(log, window=knobs.window, decay=knobs.decay, ease_items=knobs.ease_items,
                       ease_regularisation=knobs.ease_regularisation, factors=knobs.factors,
                       reuse_ease=reuse_ease, threads=thread_budget(threads))


def _ranker_users(log: Log, knobs: Knobs, seed: int) -> np.ndarray:
    """Users whose held-out interactions train the ranker.

    Users with fewer than two interactions cannot be split; ``min/max_user_history_length_percentile``
    leave out users whose history is shorter/longer than those percentiles (their interactions still
    feed the candidate generators). Above ``knobs.ranker_users`` eligible users a seeded sample of
    that many trains it: building examples and boosting cost grow with the users, the ranker's
    quality stops growing long before (see :class:`.knobs.Knobs`).
    """
    counts = log.counts()
    active = counts[counts > 0]
    if len(active) == 0:
        return np.zeros(0, dtype=np.int64)
    low = np.quantile(active, knobs.min_history_percentile)
    high = np.quantile(active, knobs.max_history_percentile)
    users = np.flatnonzero((counts >= max(2.0, low)) & (counts <= max(2.0, high)))
    if len(users) > knobs.ranker_users:
        users = np.sort(np.random.default_rng(seed).choice(users, knobs.ranker_users, replace=False))
    return users


def _ranker_data(log: Log, knobs: Knobs, seed: int) -> tuple[Log, list[Queries]]:
    """Held-out queries of the ranker users and the log the signals are fitted on.

    Each ranker user gives ``knobs.ranker_cuts`` queries: their newest tenth as truth, then the tenth
    before it (with the newest tenth removed). The signals never see any of those truths.
    """
    users = _ranker_users(log, knobs, seed)
    query_sets = []
    remaining = log
    for _ in range(max(1, knobs.ranker_cuts)):
        users = users[remaining.counts()[users] >= 2]
        truth_rows, queries = holdout(remaining, users)
        query_sets.append(queries)
        remaining = remaining.take(~truth_rows)
    return remaining, query_sets


@dataclass
class Examples:
    """Ranker examples gathered batch by batch: features, labels (found in the held-out truth), group sizes."""

    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    groups: list[np.ndarray] = field(default_factory=list)

    def add(self, builder: FeatureBuilder, queries: Queries, user_codes: np.ndarray,
            check: PopularityCheck | None = None) -> None:
        """Candidates and features of ``queries``, in batches (``check`` also sees each batch's scores).

        Queries whose truth is not among their candidates teach lambdarank nothing and are dropped.
        """
        n_items = builder.signals.n_items
        histories = Histories.of(queries, user_codes)
        span = np.int64(n_items)
        truth_keys = np.repeat(np.arange(len(queries), dtype=np.int64), np.diff(queries.truth_indptr)) * span \
            + queries.truth_item
        batch = max(1, BATCH_CELLS // max(n_items, 1))
        for start in range(0, len(queries), batch):
            stop = min(start + batch, len(queries))
            part = histories.slice(start, stop)
            scores = builder.scores(part)
            if check is not None:
                check.add(scores, queries.take(np.arange(start, stop)))
            candidates = builder.build(part, scores=scores)
            hit = np.isin((candidates.query + start) * span + candidates.item, truth_keys)
            sizes = candidates.group_sizes(stop - start)
            found = np.bincount(candidates.query, weights=hit, minlength=stop - start) > 0
            useful = np.repeat(found, sizes)
            self.features.append(candidates.features[useful])
            self.labels.append(hit[useful])
            self.groups.append(sizes[found & (sizes > 0)])

    def joined(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All batches joined; the batches are dropped at once, so the ranker never runs beside a second
        copy (~115-125 MB of features from 1M to 10M events: 1.1-1.3M candidates of 3,000 users)."""
        joined = np.concatenate(self.features), np.concatenate(self.labels), np.concatenate(self.groups)
        self.features.clear()
        self.labels.clear()
        return joined


class PersonalEngine(Engine):
    """aws-user-personalization(-v2) and aws-personalized-ranking(-v2)."""

    def __init__(self, recipe_type: str) -> None:
        self.recipe_type = recipe_type

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        knobs = knobs_for(ctx)
        signal_log, query_sets = _ranker_data(log, knobs, ctx.seed)
        ctx.progress(f"fitting candidate generators on {len(signal_log):,} interactions")
        signals = _signals(signal_log, knobs, ctx.threads)
        metadata = build_metadata(ctx.data, log.items, ctx.settings)
        builder = FeatureBuilder(signals, metadata, knobs.recency_steps, knobs.candidates_per_source)
        # The first cut's scores build its ranker examples and check the generators against popularity.
        first = query_sets[0]
        ctx.checkpoint(f"building ranker examples from {len(first):,} held-out histories and checking the "
                       "candidate generators against popularity on them")
        examples, check = Examples(), PopularityCheck(signals.popularity)
        examples.add(builder, first, metadata.user_codes(log.users[first.user]), check)
        verdict = check.verdict()
        ctx.progress(verdict.line())
        ranker = prior_only(builder.feature_names, ctx.threads) if verdict.falls_back else \
            self._ranker(ctx, knobs, builder, query_sets[1:], log, examples=examples)
        objective = self._objective(ctx, log)
        ctx.progress(f"refitting candidate generators on all {len(log):,} interactions")
        # The prior ranks by popularity whatever EASE and PureSVD say, so a fallback keeps theirs.
        kept = signals if verdict.falls_back else None
        builder = replace(builder, signals=_signals(log, knobs, ctx.threads, reuse_ease=kept))
        return PersonalModel(recipe=ctx.recipe.name, recipe_type=self.recipe_type, items=log.items,
                             builder=builder, ranker=ranker, histories=stored(log),
                             objective=objective, objective_weight=ctx.settings.objective_weight)

    def configuration(self, ctx: FitContext) -> Hashable:
        """The knobs: hyperparameter values that map to the same knobs train the same model."""
        return knobs_for(ctx)

    def _ranker(self, ctx: FitContext, knobs: Knobs, builder: FeatureBuilder, query_sets: list[Queries],
                log: Log, *, examples: Examples) -> Ranker:
        """The remaining cuts' ranker examples, then LightGBM."""
        more = sum(len(q) for q in query_sets)
        if more:
            ctx.checkpoint(f"building ranker examples from {more:,} more held-out histories")
        for queries in query_sets:
            examples.add(builder, queries, builder.metadata.user_codes(log.users[queries.user]))
        features, labels, groups = examples.joined()
        ctx.checkpoint(f"training the LightGBM ranker on {len(labels):,} candidates "
                       f"({int(labels.sum()):,} positives)")
        ranker = train_ranker(features, labels, groups,
                              builder.feature_names, settings=knobs.ranker, seed=ctx.seed, threads=ctx.threads)
        del features
        ctx.progress(f"ranker: {ranker.trees} trees" if ranker.trees else
                     "ranker: boosting did not beat the popularity prior on held-out users; using the prior")
        return ranker

    def _objective(self, ctx: FitContext, log: Log) -> np.ndarray | None:
        attribute = ctx.settings.objective_attribute
        if attribute is None:
            return None
        values = objective_values(ctx.data, log.items, attribute)
        if values is None:
            raise TrainingError(f"optimizationObjective.itemAttribute {attribute!r} must name a numeric column "
                                "of the Items dataset.")
        return values

    def refit(self, fitted: Fitted, log: Log, ctx: FitContext) -> Fitted:
        assert isinstance(fitted, PersonalModel)
        ctx.progress(f"refitting candidate generators on all {len(log):,} interactions")
        signals = _signals(log, knobs_for(ctx), ctx.threads, reuse_ease=fitted.builder.signals)
        return fitted.with_signals(signals, stored(log))

    def update(self, previous: Path, log: Log, ctx: FitContext) -> Fitted:
        manifest = read_manifest(previous)
        if manifest.get("kind") != PersonalModel.kind:
            raise TrainingError("trainingMode UPDATE needs a previous FULL version of a user-personalization "
                                "solution; create a FULL solution version first.")
        old = PersonalModel.load(previous, manifest)
        metadata = build_metadata(ctx.data, log.items, ctx.settings)
        if metadata.feature_names != old.builder.metadata.feature_names:
            raise TrainingError("The Items or Users dataset columns changed since the last FULL training; "
                                "create a solution version with trainingMode FULL.")
        ctx.progress("trainingMode UPDATE: refitting candidate generators, keeping the FULL version's ranker")
        knobs = knobs_for(ctx)
        builder = FeatureBuilder(_signals(log, knobs, ctx.threads), metadata, knobs.recency_steps,
                                 knobs.candidates_per_source)
        return PersonalModel(recipe=ctx.recipe.name, recipe_type=self.recipe_type, items=log.items,
                             builder=builder, ranker=old.ranker, histories=stored(log),
                             objective=self._objective(ctx, log), objective_weight=ctx.settings.objective_weight)
