"""Personalize's status strings (with their spaces) and the moves between them.

botocore's model documents statuses only in prose, so they are written once here: the emulator's
lifecycle moves resources through :data:`TRANSITIONS`, the provider waits for :data:`ACTIVE` and
stops waiting at :data:`NEVER_ACTIVE`.
"""

from __future__ import annotations

__all__ = [
    "ACTIVE",
    "CREATE_FAILED",
    "CREATE_IN_PROGRESS",
    "CREATE_PENDING",
    "CREATE_STOPPED",
    "CREATE_STOPPING",
    "CREATING",
    "DELETE_IN_PROGRESS",
    "DELETE_PENDING",
    "IN_FLIGHT",
    "JOB_CREATING",
    "JOB_IN_PROGRESS",
    "JOB_PENDING",
    "NEVER_ACTIVE",
    "TRANSITIONS",
    "UPDATE_IN_PROGRESS",
]

CREATE_PENDING = "CREATE PENDING"
CREATE_IN_PROGRESS = "CREATE IN_PROGRESS"
ACTIVE = "ACTIVE"
CREATE_FAILED = "CREATE FAILED"
CREATE_STOPPING = "CREATE STOPPING"
CREATE_STOPPED = "CREATE STOPPED"
DELETE_PENDING = "DELETE PENDING"
DELETE_IN_PROGRESS = "DELETE IN_PROGRESS"
#: A campaign update's status while it deploys (``latestCampaignUpdate.status``): AWS's own solution
#: "Maintaining personalized experiences with ML" shows it there, although botocore's model documents
#: CREATE PENDING > CREATE IN_PROGRESS for campaign updates.  Whether a pending status precedes it is
#: not documented; the emulator shows none.
UPDATE_IN_PROGRESS = "UPDATE IN_PROGRESS"

#: A batch job's statuses while it runs: botocore's model documents PENDING > IN PROGRESS > ACTIVE |
#: CREATE FAILED for batch inference jobs, unlike every other resource (the live strings are not
#: confirmed; the model's are used).
JOB_PENDING = "PENDING"
JOB_IN_PROGRESS = "IN PROGRESS"
JOB_CREATING = (JOB_PENDING, JOB_IN_PROGRESS)

#: Statuses of a resource still being created.
CREATING = (CREATE_PENDING, CREATE_IN_PROGRESS)

#: Statuses from which a create never reaches ACTIVE.
NEVER_ACTIVE = frozenset({CREATE_FAILED, CREATE_STOPPED, CREATE_STOPPING, DELETE_PENDING, DELETE_IN_PROGRESS})

#: Statuses of work not finished yet: a restart must resume or fail them, never leave them.
IN_FLIGHT = (CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_STOPPING, DELETE_PENDING, DELETE_IN_PROGRESS,
             UPDATE_IN_PROGRESS, JOB_PENDING, JOB_IN_PROGRESS)

#: Allowed moves. Creation ends ACTIVE or CREATE FAILED; training may be stopped; deletion ends in
#: the row being removed (no status).
TRANSITIONS: dict[str, frozenset[str]] = {
    CREATE_PENDING: frozenset({CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_STOPPED, DELETE_PENDING}),
    CREATE_IN_PROGRESS: frozenset({ACTIVE, CREATE_FAILED, CREATE_STOPPING, DELETE_PENDING}),
    CREATE_STOPPING: frozenset({CREATE_STOPPED, CREATE_FAILED}),
    ACTIVE: frozenset({DELETE_PENDING}),
    CREATE_FAILED: frozenset({DELETE_PENDING}),
    CREATE_STOPPED: frozenset({DELETE_PENDING}),
    DELETE_PENDING: frozenset({DELETE_IN_PROGRESS}),
    DELETE_IN_PROGRESS: frozenset(),
    UPDATE_IN_PROGRESS: frozenset({ACTIVE, CREATE_FAILED}),
    JOB_PENDING: frozenset({JOB_IN_PROGRESS, CREATE_FAILED}),
    JOB_IN_PROGRESS: frozenset({ACTIVE, CREATE_FAILED}),
}
