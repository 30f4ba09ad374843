"""Training's domain errors.

``str(error)`` becomes a solution version's ``failureReason`` verbatim, so every message is a sentence
a user can act on: what was found, what is needed.
"""

from __future__ import annotations

__all__ = ["TrainingError", "TrainingStopped"]


class TrainingError(Exception):
    """Training cannot succeed; the message is the solution version's failureReason."""


class TrainingStopped(TrainingError):
    """``TrainingJob.should_stop()`` turned true (StopSolutionVersionCreation)."""
