"""The emulator's configuration: account, quotas, file roots, worker bounds.

Quotas default to Amazon Personalize's documented per-region defaults (Developer Guide, "Quotas")
and can be raised or lowered per emulator, the way a quota increase would.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .pacing import Progression

__all__ = ["CHECK_RESPONSES_ENV", "Quotas", "Settings"]

#: ``1`` turns :attr:`Settings.check_responses` on by default (the test suite sets it).
CHECK_RESPONSES_ENV = "PERSONALIZE_EMULATOR_CHECK_RESPONSES"


class Quotas(BaseModel):
    """Documented default quotas; exceeding one answers LimitExceededException."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dataset_groups: int = Field(500, ge=0, description="active dataset groups per region")
    schemas: int = Field(500, ge=0, description="schemas per region")
    datasets: int = Field(500, ge=0, description="active datasets per region")
    event_trackers: int = Field(500, ge=0, description="active event trackers per region")
    solutions: int = Field(500, ge=0, description="active solutions per region")
    solutions_per_dataset_group: int = Field(10, ge=0, description="active solutions per dataset group")
    campaigns: int = Field(5, ge=0, description="active campaigns per region")
    solution_versions_in_progress: int = Field(20, ge=0, description="pending or in-progress versions per region")
    filters_per_dataset_group: int = Field(10, ge=0, description="filters per dataset group")
    #: 10 in the English guide, 20 in the current (translated) page: the larger, so nothing AWS accepts is refused.
    filter_fields_per_dataset_group: int = Field(20, ge=0, description="distinct fields read by a group's filters")
    batch_inference_jobs_in_progress: int = Field(5, ge=0,
                                                  description="pending or in-progress batch inference jobs per region")


class Settings(BaseModel):
    """How one emulator instance behaves."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account_id: str = Field("123456789012", pattern=r"^\d{12}$")
    default_region: str = "us-east-1"
    quotas: Quotas = Quotas()
    #: Directories ``file://`` imports may read; None allows any path (in-process modes only).
    allow_file_roots: tuple[Path, ...] | None = None
    #: Concurrent training/import jobs.
    training_workers: int = Field(default_factory=lambda: max(1, min(4, (os.cpu_count() or 2) // 2)), ge=1)
    #: Threads one training job may use (numpy/LightGBM).
    training_threads: int = Field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)), ge=1)
    #: Seed for every training job, so results repeat.
    seed: int = 0
    #: How background statuses advance (see :mod:`.pacing`): after ``describes`` Describe/List answers
    #: showed them, or ``seconds`` later.
    progression: Progression = Progression()
    #: Validate every response against its output shape (an InternalFailure on a violation).  The test
    #: suite turns it on through the environment, so a subprocess server checks its answers too.
    check_responses: bool = Field(default_factory=lambda: os.environ.get(CHECK_RESPONSES_ENV) == "1")
    #: Emulated seconds per real second (see :mod:`.clock`): 3600 makes an hour of schedules pass in a
    #: second.  Tests usually keep 1 and move time with ``Emulator.advance``.
    clock_speed: float = Field(1.0, gt=0)
    #: Largest request body accepted (bytes).
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)
