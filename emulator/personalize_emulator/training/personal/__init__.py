"""USER_PERSONALIZATION and PERSONALIZED_RANKING: numpy candidates re-ranked by LightGBM.

Recipes: aws-user-personalization, aws-user-personalization-v2, aws-personalized-ranking,
aws-personalized-ranking-v2 (the ranking recipes score the given inputList with the same model).
See :mod:`.knobs` for how the documented hyperparameters map onto the model, :mod:`.signals` for
the candidate generators, :mod:`.features` for the ranker's features and :mod:`.engine` for the
training procedure.
"""

from __future__ import annotations

from .engine import PersonalEngine
from .model import PersonalModel

__all__ = ["PersonalEngine", "PersonalModel"]
