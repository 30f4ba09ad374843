"""One emulated Amazon Personalize: its state directory, its workers and its request entry points.

The same object serves the HTTP server, the provider's embedded target (:meth:`Emulator.shared` and
:meth:`Emulator.attach`) and ``mock_personalize``.  It reaches the API's handlers through three calls,
``service.dispatch`` (each request), ``service.recover`` (on start, after a crash: see
:mod:`.service.recovery`) and ``service.run_due`` (schedules: from :meth:`Emulator.advance` and, for
the background lifecycle, the :mod:`.scheduler` thread, as the emulated :mod:`.clock` runs).
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

from .clock import Clock
from .errors import InternalFailure, PersonalizeError
from .lifecycle import BackgroundRunner, LifecycleMode, ManualRunner, make_runner
from .pacing import observed_in
from .protocol import HttpResponse, encode_error, encode_result, parse_request
from .scheduler import Scheduler
from .settings import Settings
from .store import Row, Store

if TYPE_CHECKING:
    from .training import Model

__all__ = ["Emulator"]

log = logging.getLogger(__name__)

_MODEL_CACHE = 16
#: The ``meta`` key of the latest emulated time the data dir has seen.
_CLOCK_KEY = "clock"


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
        clock: Clock | Callable[[], float] = time.time,
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
        #: The one source of "now" (see :mod:`.clock`); a plain callable becomes its source.
        self.clock = clock if isinstance(clock, Clock) else Clock(clock, speed=self.settings.clock_speed)
        self.lifecycle = lifecycle
        self.store = Store(self.data_dir / "state.sqlite3")
        self.clock.resume_from(float(self.store.get_meta(_CLOCK_KEY) or 0.0))
        self.runner = make_runner(lifecycle, training_workers=self.settings.training_workers,
                                  progression=self.settings.progression, clock=self.clock)
        self._schedules = threading.Lock()
        self._scheduler: Scheduler | None = None
        self._models: OrderedDict[str, Model] = OrderedDict()
        self._models_lock = threading.Lock()
        self._closed = False
        self._owner = _OwnerLock(self.data_dir / "owner.lock")
        if self._owner.acquired:
            self.recover()
            if lifecycle == "background":  # instant and manual emulators move time only by advance()
                self._scheduler = Scheduler(self.clock, self._run_due)
                self._scheduler.start()
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
        from .service import Context, dispatch

        context = Context(self, account or self.settings.account_id, region or self.settings.default_region)
        result = dispatch(context, service, operation, params)
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
            return encode_result(service, request.operation, result, check=self.settings.check_responses)
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

    def advance(self, seconds: float) -> float:
        """Move the emulated clock ``seconds`` ahead, running every schedule that falls due on the way.

        Due work runs in order, each at its due time (the clock stops there first), in this thread:
        with ``lifecycle="instant"`` an automatic version has trained when this returns; with the
        background lifecycle it has been created and trains on the workers.  Returns the new now.
        """
        if seconds < 0:
            raise ValueError(f"the clock only moves forward; cannot advance by {seconds!r} seconds")
        with self._schedules:
            target = self.clock.now() + seconds
            while True:
                due = self._run_due_locked()
                if due is None or due > target:
                    break
                self.clock.advance(max(0.0, due - self.clock.now()))
            self.clock.advance(max(0.0, target - self.clock.now()))
            self._run_due_locked()
        return self.clock.now()

    def _run_due(self) -> float | None:
        with self._schedules:
            return self._run_due_locked()

    def _run_due_locked(self) -> float | None:
        from .service import Context, run_due

        if self._closed:
            return None
        due = run_due(Context(self, self.settings.account_id, self.settings.default_region))
        self._save_clock()
        return due

    def _save_clock(self) -> None:
        """Persist emulated time once it runs ahead of the wall clock (real time needs no record)."""
        now = self.clock.now()
        if now > time.time() + 1.0:
            self.store.set_meta(_CLOCK_KEY, now)

    def recover(self) -> None:
        """Resume or fail every job a previous process left unfinished."""
        from .service import Context, recover

        recover(Context(self, self.settings.account_id, self.settings.default_region))

    def close(self) -> None:
        """Stop the workers (training jobs are told to stop) and release the state files."""
        if self._closed:
            return
        if self._scheduler is not None:
            self._scheduler.stop()
        with self._schedules:
            self._save_clock()
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
