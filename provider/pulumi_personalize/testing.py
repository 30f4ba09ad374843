"""Drive the providers the way the Pulumi engine does, without the Pulumi CLI.

:class:`ProviderServer` starts the SDK's own provider server (``python -m pulumi.dynamic``, the
process the engine launches for dynamic resources), reads its port from the first stdout line,
keeps draining its output, and speaks the ResourceProvider gRPC API: props travel as protobuf
Structs with ``__provider`` = the pickled provider, and preview unknowns as the sentinel string.
:class:`InProcess` offers the same calls on provider objects directly.  :class:`Deployment` is a
tiny engine over either: check, diff, then create / update / replace (honouring
``deleteBeforeReplace``) / delete, keeping state in memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from ._props import PROVIDER_KEY, UNKNOWN

__all__ = [
    "UNKNOWN",
    "CallError",
    "CheckResponse",
    "Deployment",
    "DiffResponse",
    "Driver",
    "InProcess",
    "ProviderServer",
    "urn_for",
]


class CallError(RuntimeError):
    """A provider call failed; ``str()`` is the provider's error (the traceback's last line first)."""


@dataclass
class CheckResponse:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]]


@dataclass
class DiffResponse:
    changes: bool | None
    replaces: list[str]
    delete_before_replace: bool


def urn_for(type_name: str, name: str) -> str:
    """The URN the engine would give a resource of this package."""
    return f"urn:pulumi:test::personalize::pulumi-python:dynamic/personalize:{type_name}::{name}"


class Driver(Protocol):
    """The ResourceProvider calls, as the engine makes them."""

    def check(self, provider: ResourceProvider, urn: str, olds: Mapping[str, Any],
              news: Mapping[str, Any]) -> CheckResponse: ...
    def diff(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
             news: Mapping[str, Any]) -> DiffResponse: ...
    def create(self, provider: ResourceProvider, urn: str,
               props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def read(self, provider: ResourceProvider, urn: str, id_: str,
             props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def update(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
               news: Mapping[str, Any]) -> dict[str, Any]: ...
    def delete(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any]) -> None: ...


def _error_text(details: str) -> str:
    lines = [line for line in details.strip().splitlines() if line.strip()]
    return (lines[-1] + "\n" + details) if lines else details


class ProviderServer:
    """``python -m pulumi.dynamic`` as a subprocess, driven over gRPC (use as a context manager)."""

    def __init__(self, *, env: Mapping[str, str] | None = None, cwd: str | Path | None = None,
                 timeout: float = 600.0) -> None:
        self.timeout = timeout
        self.output: list[str] = []
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, cwd=cwd,
        )
        assert self._process.stdout is not None and self._process.stderr is not None
        first = self._process.stdout.readline().decode().strip()
        self._drain(self._process.stdout)
        self._drain(self._process.stderr)
        if not first.isdigit():
            self.close()
            raise RuntimeError(f"provider server did not print a port: {first!r}\n{''.join(self.output)}")
        import grpc
        from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

        self.port = int(first)
        self._pb = provider_pb2
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self._channel).result(timeout=30)
        self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        self._call("Configure", provider_pb2.ConfigureRequest(args=self._struct({}), acceptSecrets=False))

    def _drain(self, stream: Any) -> None:
        def pump() -> None:
            for line in iter(stream.readline, b""):
                self.output.append(line.decode(errors="replace"))

        threading.Thread(target=pump, daemon=True).start()

    def __enter__(self) -> ProviderServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "_channel", None) is not None:
            self._channel.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    @staticmethod
    def _struct(props: Mapping[str, Any]) -> Any:
        from google.protobuf import struct_pb2

        struct = struct_pb2.Struct()
        struct.update(dict(props))
        return struct

    @staticmethod
    def _dict(struct: Any) -> dict[str, Any]:
        from google.protobuf import json_format

        result: dict[str, Any] = json_format.MessageToDict(struct)
        return result

    def _props(self, provider: ResourceProvider, props: Mapping[str, Any]) -> Any:
        return self._struct({**props, PROVIDER_KEY: serialize_provider(provider)})

    def _call(self, method: str, request: Any) -> Any:
        import grpc

        try:
            return getattr(self._stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as exc:
            raise CallError(_error_text(exc.details() or str(exc))) from None

    def check(self, provider: ResourceProvider, urn: str, olds: Mapping[str, Any],
              news: Mapping[str, Any]) -> CheckResponse:
        olds_struct = self._props(provider, olds) if olds else self._struct({})
        response = self._call("Check", self._pb.CheckRequest(urn=urn, olds=olds_struct,
                                                             news=self._props(provider, news)))
        inputs = self._dict(response.inputs)
        inputs.pop(PROVIDER_KEY, None)
        return CheckResponse(inputs, [(f.property, f.reason) for f in response.failures])

    def diff(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
             news: Mapping[str, Any]) -> DiffResponse:
        response = self._call("Diff", self._pb.DiffRequest(
            id=id_, urn=urn, olds=self._props(provider, olds), news=self._props(provider, news)))
        changes = {self._pb.DiffResponse.DIFF_SOME: True, self._pb.DiffResponse.DIFF_NONE: False}.get(
            response.changes)
        return DiffResponse(changes, list(response.replaces), response.deleteBeforeReplace)

    def create(self, provider: ResourceProvider, urn: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self._call("Create", self._pb.CreateRequest(urn=urn, properties=self._props(provider, props)))
        outs = self._dict(response.properties)
        outs.pop(PROVIDER_KEY, None)
        return response.id, outs

    def read(self, provider: ResourceProvider, urn: str, id_: str,
             props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self._call("Read", self._pb.ReadRequest(id=id_, urn=urn, properties=self._props(provider, props)))
        outs = self._dict(response.properties)
        outs.pop(PROVIDER_KEY, None)
        return response.id, outs

    def update(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
               news: Mapping[str, Any]) -> dict[str, Any]:
        response = self._call("Update", self._pb.UpdateRequest(
            id=id_, urn=urn, olds=self._props(provider, olds), news=self._props(provider, news)))
        outs = self._dict(response.properties)
        outs.pop(PROVIDER_KEY, None)
        return outs

    def delete(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any]) -> None:
        self._call("Delete", self._pb.DeleteRequest(id=id_, urn=urn, properties=self._props(provider, props)))


class InProcess:
    """The same calls made directly on provider objects (what the server does after unpickling)."""

    def check(self, provider: ResourceProvider, urn: str, olds: Mapping[str, Any],
              news: Mapping[str, Any]) -> CheckResponse:
        result = provider.check(dict(olds), dict(news))
        return CheckResponse(dict(result.inputs), [(f.property, f.reason) for f in result.failures])

    def diff(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
             news: Mapping[str, Any]) -> DiffResponse:
        result = provider.diff(id_, dict(olds), dict(news))
        return DiffResponse(result.changes, list(result.replaces or []), bool(result.delete_before_replace))

    def create(self, provider: ResourceProvider, urn: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        result = provider.create(dict(props))
        return result.id, dict(result.outs or {})

    def read(self, provider: ResourceProvider, urn: str, id_: str,
             props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        result = provider.read(id_, dict(props))
        return result.id or "", dict(result.outs or {})

    def update(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
               news: Mapping[str, Any]) -> dict[str, Any]:
        return dict(provider.update(id_, dict(olds), dict(news)).outs or {})

    def delete(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any]) -> None:
        provider.delete(id_, dict(props))


@dataclass
class State:
    """One resource in a :class:`Deployment`."""

    provider: ResourceProvider
    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]


@dataclass
class Deployment:
    """A minimal engine: ``up`` one resource at a time, in program order; ``destroy`` in reverse.

    As in the engine, a create-before-delete replacement deletes the old resource only at the end
    of the deployment (:meth:`finish`), after its dependents have moved to the new one.
    ``log`` records the step taken per resource (create, same, update, replace, delete), as
    ``pulumi up`` would print it.
    """

    driver: Driver
    resources: dict[str, State] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    pending_deletes: list[State] = field(default_factory=list)

    def up(self, provider: ResourceProvider, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Create or update resource ``name``; its outputs."""
        type_name = type(provider).__name__.removesuffix("Provider")
        urn = urn_for(type_name, name)
        old = self.resources.get(name)
        checked = self.driver.check(provider, urn, old.inputs if old else {}, inputs)
        if checked.failures:
            reasons = "; ".join(reason for _, reason in checked.failures)
            raise CallError(f"{name}: check failed: {reasons}")
        if old is None:
            id_, outs = self.driver.create(provider, urn, checked.inputs)
            self._record(name, "create", State(provider, urn, id_, checked.inputs, outs))
            return outs
        diff = self.driver.diff(provider, urn, old.id, old.outputs, checked.inputs)
        if not diff.changes:
            self.log.append((name, "same"))
            return old.outputs
        if not diff.replaces:
            outs = self.driver.update(provider, urn, old.id, old.outputs, checked.inputs)
            self._record(name, "update", State(provider, urn, old.id, checked.inputs, outs))
            return outs
        if diff.delete_before_replace:
            self.driver.delete(provider, urn, old.id, old.outputs)
            id_, outs = self.driver.create(provider, urn, checked.inputs)
        else:
            id_, outs = self.driver.create(provider, urn, checked.inputs)
            self.pending_deletes.append(old)
        self._record(name, "replace", State(provider, urn, id_, checked.inputs, outs))
        return outs

    def finish(self) -> None:
        """Delete the resources replaced create-before-delete, newest first."""
        while self.pending_deletes:
            old = self.pending_deletes.pop()
            self.driver.delete(old.provider, old.urn, old.id, old.outputs)

    def refresh(self, name: str) -> dict[str, Any] | None:
        """Read resource ``name`` back; None (and forgotten) when it no longer exists."""
        state = self.resources[name]
        id_, outs = self.driver.read(state.provider, state.urn, state.id, state.outputs)
        if not id_:
            del self.resources[name]
            return None
        state.outputs = outs
        return outs

    def destroy(self) -> None:
        """Delete every resource, newest first."""
        self.finish()
        for name in reversed(list(self.resources)):
            state = self.resources.pop(name)
            self.driver.delete(state.provider, state.urn, state.id, state.outputs)
            self.log.append((name, "delete"))

    def _record(self, name: str, step: str, state: State) -> None:
        self.resources[name] = state
        self.log.append((name, step))
