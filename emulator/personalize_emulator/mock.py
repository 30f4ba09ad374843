"""``mock_personalize``: every boto3 Personalize client in the process talks to an emulator.

Like moto, it hooks botocore's ``before-send`` event for clients created while it is active (also
the clients of ``boto3.DEFAULT_SESSION``).  Our handler is registered *first*, so it answers ahead
of moto's stubber, and while it is active it asks moto (when moto is loaded) to pass the Personalize
services through: moto keeps S3 and IAM, its own partial Personalize backend never sees a request.
Inside ``mock_aws()`` an import job reads ``s3://`` data from moto's S3.
"""

from __future__ import annotations

import os
from contextlib import ContextDecorator
from pathlib import Path

from .emulator import Emulator
from .lifecycle import LifecycleMode
from .settings import Settings
from .transport import EVENTS, MOCK_ID, activate, deactivate, dispatch

__all__ = ["mock_personalize"]

_FAKE_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


class mock_personalize(ContextDecorator):  # noqa: N801 - named like moto's mock_aws
    """Route Personalize clients to an in-process emulator.

    ``data_dir`` keeps state between runs (a temporary directory otherwise); ``instant=True`` makes
    every lifecycle finish inside the request that started it (deterministic tests), while the
    default ``lifecycle="background"`` moves resources through their statuses on worker threads as
    AWS does, so code under test must wait for ACTIVE exactly as it would against AWS.
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        instant: bool = False,
        lifecycle: LifecycleMode | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.lifecycle: LifecycleMode = lifecycle or ("instant" if instant else "background")
        self.settings = settings
        self.emulator: Emulator | None = None
        self._saved_env: dict[str, str | None] = {}

    def __enter__(self) -> Emulator:
        emulator = Emulator(self.data_dir, lifecycle=self.lifecycle, settings=self.settings)
        self.emulator = emulator
        if activate(emulator):
            self._fake_environment()
        self._hook_default_session()
        return emulator

    def __exit__(self, *_exc: object) -> None:
        emulator = self.emulator
        if emulator is not None:
            deactivate(emulator)
        self._restore_environment()
        if emulator is not None:
            emulator.close()
        self.emulator = None

    def _fake_environment(self) -> None:
        changes = dict(_FAKE_ENV)
        if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
            changes["AWS_DEFAULT_REGION"] = "us-east-1"
        for key, value in changes.items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value

    def _restore_environment(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    @staticmethod
    def _hook_default_session() -> None:
        import boto3

        session = boto3.DEFAULT_SESSION
        if session is None:
            return
        events = session._session.get_component("event_emitter")
        for event in EVENTS:
            events.register_first(event, dispatch, unique_id=f"{MOCK_ID}-{event}")
