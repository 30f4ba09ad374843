"""One emulated Amazon Personalize: its state directory, its workers and its request entry points.

The same object serves the HTTP server, the provider's embedded target (:meth:`Emulator.shared` and
:meth:`Emulator.attach`) and ``mock_personalize``.  On start it recovers from a crash: creations and
deletions with nothing to compute resume, while imports and trainings that were interrupted end
``CREATE FAILED`` with a reason, so nothing stays in progress forever.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PersonalizeError
from .lifecycle import (
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    IN_FLIGHT,
    BackgroundRunner,
    LifecycleMode,
    ManualRunner,
    make_runner,
    move,
)
from .pacing import observed_in
from .protocol import HttpResponse, encode_error, encode_result, parse_request
from .settings import Settings
from .store import Row, Store

if TYPE_CHECKING:
    from .training import Model

__all__ = ["Emulator"]

log = logging.getLogger(__name__)

_HEAVY_KINDS = frozenset({"dataset-import-job", "solution-version"})
_MODEL_CACHE = 16


class InternalFailure(PersonalizeError):
    """A bug in the emulator: answered as AWS does (500 InternalFailure), and logged."""

    code = "InternalFailure"
    status = 500


class _OwnerLock:
    """An exclusive lock on the data dir, held for the emulator's lifetime.

    Only the holder recovers unfinished jobs at start: a second process on the same directory (say a
    Pulumi program reading recommendations while the provider process runs) must not fail jobs that
    a live process is still running.  The OS drops the lock when its holder dies, even by kill -9.
    """

    def __init__(self, path: Path) -> None:
        self._handle: Any = None
        try:
            import fcntl
        except ImportError:  # not POSIX: no cross-process lock, every process recovers
            self.acquired = True
            return
        handle = path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            self.acquired = False
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        self.acquired = True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class Emulator:
    """A local Amazon Personalize on ``data_dir`` (a temporary directory when None)."""

    _shared: dict[Path, Emulator] = {}
    _shared_lock = threading.Lock()

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        lifecycle: LifecycleMode = "background",
        settings: Settings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="personalize-emulator-")
            data_dir = self._temp.name
        self.data_dir = Path(data_dir).expanduser().resolve()
        if not self.data_dir.exists():
            self.data_dir.mkdir(parents=True, mode=0o700)
        os.chmod(self.data_dir, 0o700)
        self.settings = settings or Settings()
        self.clock = clock
        self.lifecycle = lifecycle
        self.store = Store(self.data_dir / "state.sqlite3")
        self.runner = make_runner(lifecycle, training_workers=self.settings.training_workers,
                                  progression=self.settings.progression)
        self._models: OrderedDict[str, Model] = OrderedDict()
        self._models_lock = threading.Lock()
        self._closed = False
        self._owner = _OwnerLock(self.data_dir / "owner.lock")
        if self._owner.acquired:
            self.recover()
        else:
            log.info("%s is in use by another live emulator process; leaving its jobs to it", self.data_dir)

    # -- construction helpers -------------------------------------------------------------------
    @classmethod
    def shared(cls, data_dir: str | Path, **kwargs: Any) -> Emulator:
        """The process-wide emulator for ``data_dir`` (created on first use, background lifecycle)."""
        key = Path(data_dir).expanduser().resolve()
        with cls._shared_lock:
            emulator = cls._shared.get(key)
            if emulator is None or emulator._closed:
                emulator = cls(key, **kwargs)
                cls._shared[key] = emulator
            return emulator

    def attach(self, client: Any) -> Any:
        """Route one boto3 client (personalize, -runtime or -events) to this emulator, in-process."""
        from .transport import InProcessTransport

        InProcessTransport(self).register(client.meta.events)
        return client

    # -- requests -------------------------------------------------------------------------------
    def call(self, service: str, operation: str, params: Mapping[str, Any], *, region: str | None = None,
             account: str | None = None) -> dict[str, Any]:
        """Run one operation on already-decoded parameters; raises :class:`PersonalizeError`."""
        from .service import Context, handler_for, validate_request

        handler = handler_for(service, operation)
        validate_request(service, operation, params)
        context = Context(self, account or self.settings.account_id, region or self.settings.default_region)
        result = handler(context, dict(params)) or {}
        if isinstance(self.runner, BackgroundRunner) and operation.startswith(("Describe", "List")):
            self.runner.pacer.observe(observed_in(params, result))  # what the client has now seen
        return result

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> HttpResponse:
        """Answer one HTTP request (``headers`` with lower-case keys). Never raises."""
        service = "personalize"
        try:
            request = parse_request(method, path, headers, body)
            service = request.service
            result = self.call(request.service, request.operation, request.params, region=request.region)
            return encode_result(service, result)
        except PersonalizeError as error:
            return encode_error(service, error)
        except Exception as exc:
            log.exception("internal failure answering %s %s", method, path)
            return encode_error(service, InternalFailure(f"The emulator failed on this request: {exc}"))

    def warm(self) -> None:
        """Load now what the first requests would load lazily (handler modules, botocore's models,
        the training package that loads served models), so a server that says it is ready answers
        its first request as fast as any other.  The requests read only; their errors are expected.
        """
        json_headers = {"content-type": "application/x-amz-json-1.1"}
        self.handle("POST", "/", {**json_headers, "x-amz-target": "AmazonPersonalize.ListDatasetGroups"},
                    b'{"maxResults": 1}')
        self.handle("POST", "/", {**json_headers, "x-amz-target": "AmazonPersonalize.ListRecipes"}, b"{}")
        rest = {"content-type": "application/json"}
        self.handle("POST", "/recommendations", rest, b'{"campaignArn": "arn:aws:personalize:::campaign/warm"}')
        self.handle("POST", "/events", rest, b"{}")
        from . import training  # noqa: F401  (GetRecommendations loads models through it)

    # -- models ---------------------------------------------------------------------------------
    def model(self, version: Row) -> Model:
        """The loaded model of an ACTIVE solution version (kept in a small LRU cache)."""
        with self._models_lock:
            model = self._models.get(version.arn)
            if model is not None:
                self._models.move_to_end(version.arn)
                return model
        from .training import load_model

        model = load_model(self.data_dir / version.internal["model_dir"])
        with self._models_lock:
            self._models[version.arn] = model
            while len(self._models) > _MODEL_CACHE:
                self._models.popitem(last=False)
        return model

    # -- lifecycle control ----------------------------------------------------------------------
    def step(self) -> bool:
        """Manual lifecycle: advance the oldest queued job by one visible step."""
        return self._manual().step()

    def run_pending(self) -> int:
        """Manual lifecycle: finish every queued job; the number of steps taken."""
        return self._manual().run_pending()

    def _manual(self) -> ManualRunner:
        if not isinstance(self.runner, ManualRunner):
            raise TypeError(f"step() and run_pending() need lifecycle='manual', not {self.lifecycle!r}")
        return self.runner

    def recover(self) -> None:
        """Resume or fail every job a previous process left unfinished."""
        from .service import Context, cleanup_for
        from .service.common import activate_job, delete_job
        from .service.solutions import _sync_latest

        context = Context(self, self.settings.account_id, self.settings.default_region)
        for row in self.store.in_status(IN_FLIGHT):
            status = row.body.get("status")
            if status in (DELETE_PENDING, DELETE_IN_PROGRESS):
                if status == DELETE_IN_PROGRESS:
                    self._force(row, DELETE_PENDING)
                self.runner.submit(delete_job(context, row.arn, cleanup_for(context, row.kind)))
            elif row.kind in _HEAVY_KINDS and status == CREATE_PENDING:
                self._resubmit(context, row)
            elif row.kind in _HEAVY_KINDS:
                ending = CREATE_STOPPED if status == CREATE_STOPPING else CREATE_FAILED
                reason = None if ending == CREATE_STOPPED else (
                    "The emulator stopped while this job was in progress (crash or restart); create it again."
                )
                with self.store.write() as conn:
                    move(row.body, ending, self.clock(), failure=reason)
                    self.store.save(row, conn)
                    if row.kind == "solution-version":
                        _sync_latest(context, conn, row)  # the solution's latestSolutionVersion too
                log.warning("%s was interrupted by a restart: now %s", row.arn, ending)
            elif status in (CREATE_PENDING, CREATE_IN_PROGRESS):
                self.runner.submit(activate_job(context, row.arn))
        self._recover_updates(context)

    def _resubmit(self, context: Any, row: Row) -> None:
        """A job that never started before the restart simply starts now."""
        from .service.datasets import _import_job
        from .service.solutions import _training_job

        if row.kind == "dataset-import-job":
            self.runner.submit(_import_job(context, row.arn), pool="import")
        else:
            self.runner.submit(_training_job(context, row.arn), pool="training")

    def _force(self, row: Row, status: str) -> None:
        row.body["status"] = status
        self.store.save(row)

    def _recover_updates(self, context: Any) -> None:
        from .service.common import UPDATES, update_flow, update_job

        for row in self.store.all_rows():
            for member in UPDATES:
                update = row.body.get(member)
                if update and update.get("status") in update_flow(member)[:-1]:
                    self.runner.submit(update_job(context, row.arn, member))

    def close(self) -> None:
        """Stop the workers (training jobs are told to stop) and release the state files."""
        if self._closed:
            return
        self._closed = True
        self.runner.shutdown(wait=True)
        self.store.close()
        self._owner.release()
        with self._shared_lock:
            if self._shared.get(self.data_dir) is self:
                del self._shared[self.data_dir]
        if self._temp is not None:
            self._temp.cleanup()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
