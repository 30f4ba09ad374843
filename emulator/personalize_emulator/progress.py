"""A training's live progress, recorded on its solution version through the store.

Why: training reports its milestones only to the log, so a console (or a test) could not tell how
far a version has got, nor what HPO tried once it finished.  :class:`TrainingProgress` is the one
place that turns training's ``progress`` lines and ``report`` facts into a small record kept in the
version row's ``internal["progress"]`` (never in the API-visible body, which must match AWS):

``{"started", "updated", "phase", "lines": [[t, line], ...], "hpo": {...}, "automl": {...}}``

Each call is one short write transaction on that row alone; lines are capped so the record stays
small however long the training runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from .store import Store

__all__ = ["MAX_LINES", "PROGRESS", "TrainingProgress"]

log = logging.getLogger("personalize_emulator.training")

#: The key of the record in a solution version's ``internal``.
PROGRESS = "progress"
#: The newest lines kept (older ones are dropped; the log has them all).
MAX_LINES = 60


class TrainingProgress:
    """Records one solution version's training progress; pass :meth:`line` and :meth:`fact` to training."""

    def __init__(self, store: Store, arn: str, clock: Callable[[], float]) -> None:
        self.store = store
        self.arn = arn
        self.clock = clock
        started = clock()

        def start(record: dict[str, Any]) -> None:
            record.clear()  # a resubmitted version starts its record afresh
            record.update(started=started, phase="starting", lines=[])

        self._update(start)

    def line(self, text: str) -> None:
        """A human-readable milestone: logged, and shown as the current phase."""
        log.info("%s: %s", self.arn, text)

        def apply(record: dict[str, Any]) -> None:
            record["phase"] = text
            record["lines"] = [*record.get("lines", []), [self.clock(), text]][-MAX_LINES:]

        self._update(apply)

    def fact(self, kind: str, facts: Mapping[str, Any]) -> None:
        """A milestone as data: HPO trials and AutoML candidates, for charts."""
        data = dict(facts)
        if "score" in data:
            data["score"] = float(data["score"])

        def apply(record: dict[str, Any]) -> None:
            if kind == "hpo_trial":
                hpo = record.setdefault("hpo", {"trials": []})
                hpo.update(objective=data["objective"], of=data["of"])
                hpo["trials"].append({k: data[k] for k in ("trial", "score", "hyperparameters")})
            elif kind == "hpo_best":
                hpo = record.setdefault("hpo", {"trials": []})
                hpo["best"] = data["trial"]
                if data.get("reason"):
                    hpo["reason"] = data["reason"]  # why that trial (HPO keeps the defaults unless clearly beaten)
            elif kind == "automl_candidate":
                automl = record.setdefault("automl", {"candidates": []})
                automl.update(metric=data["metric"], of=data["of"])
                automl["candidates"].append({k: data[k] for k in ("candidate", "recipeArn", "score")})
            elif kind == "automl_best":
                record.setdefault("automl", {"candidates": []})["best"] = data["recipeArn"]

        self._update(apply)

    def _update(self, apply: Callable[[dict[str, Any]], Any]) -> None:
        with self.store.write() as conn:
            row = self.store.lock_row(conn, self.arn)
            if row is None:
                return
            record = row.internal.setdefault(PROGRESS, {})
            apply(record)
            record["updated"] = self.clock()
            self.store.save(row, conn)
