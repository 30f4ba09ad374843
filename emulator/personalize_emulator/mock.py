"""``mock_personalize``: every boto3 Personalize client in the process talks to an emulator.

Like moto, it hooks botocore's ``before-send`` event for clients created while it is active (also
the clients of ``boto3.DEFAULT_SESSION``).  Our handler is registered *first*, so it answers ahead
of moto's stubber, and while it is active it asks moto (when moto is loaded) to pass the Personalize
services through: moto keeps S3 and IAM, its own partial Personalize backend never sees a request.
Inside ``mock_aws()`` an import job reads ``s3://`` data from moto's S3.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import ContextDecorator
from pathlib import Path
from typing import Any

from botocore.handlers import BUILTIN_HANDLERS, REGISTER_FIRST

from .emulator import Emulator
from .lifecycle import LifecycleMode
from .settings import Settings
from .transport import ANSWERED, EVENTS, respond

__all__ = ["MOCK_ID", "mock_personalize"]

_MOTO_SERVICES = ("personalize", "personalize-runtime", "personalize-events")
#: moto has no runtime/events backend, so passing services through does not cover them: its stubber
#: would compute a "404 Not yet implemented" for every such request (botocore keeps our answer, the
#: first one, but moto must not even look).  Their hosts are passed through by URL as well.
_MOTO_URLS = (r"https?://personalize(-runtime|-events)?\.[^/]+\.amazonaws\.com",)
_FAKE_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}

#: unique_id prefix of the handler registered on ``boto3.DEFAULT_SESSION``.
MOCK_ID = "personalize-mock"

_active: list[Emulator] = []
_lock = threading.Lock()


def _moto_passthrough() -> dict[str, list[str]] | None:
    """moto's passthrough settings (``services`` and ``urls``), when moto is loaded."""
    config = sys.modules.get("moto.core.config")
    if config is None:
        return None
    core = config.default_user_config.setdefault("core", {})
    passthrough: dict[str, list[str]] = core.setdefault("passthrough", {})
    passthrough.setdefault("services", [])
    passthrough.setdefault("urls", [])
    return passthrough


def _dispatch(request: Any, **_kwargs: Any) -> Any:
    """The process-wide handler: answers only while a mock is active."""
    if not _active or getattr(request, ANSWERED, False):
        return None
    passthrough = _moto_passthrough()
    if passthrough is not None:
        for key, ours in (("services", _MOTO_SERVICES), ("urls", _MOTO_URLS)):
            passthrough[key].extend(value for value in ours if value not in passthrough[key])
    return respond(_active[-1], request)


def _install() -> None:
    for event in EVENTS:
        spec = (event, _dispatch, REGISTER_FIRST)
        if spec not in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.append(spec)


_install()


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
        with _lock:
            if not _active:
                self._fake_environment()
            _active.append(emulator)
        self._hook_default_session()
        return emulator

    def __exit__(self, *_exc: object) -> None:
        emulator = self.emulator
        with _lock:
            if emulator in _active:
                _active.remove(emulator)
            if not _active:
                passthrough = _moto_passthrough()
                if passthrough is not None:
                    for key, ours in (("services", _MOTO_SERVICES), ("urls", _MOTO_URLS)):
                        passthrough[key][:] = [value for value in passthrough[key] if value not in ours]
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
            events.register_first(event, _dispatch, unique_id=f"{MOCK_ID}-{event}")
