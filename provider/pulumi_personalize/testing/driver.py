"""The ResourceProvider calls as the Pulumi engine makes them, over gRPC or in-process.

:class:`ProviderServer` starts the SDK's own provider server (``python -m pulumi.dynamic``, the
process the engine launches for dynamic resources), reads its port from the first stdout line,
keeps draining its output, and speaks the ResourceProvider gRPC API: props travel as protobuf
Structs with ``__provider`` = the pickled provider, and preview unknowns as the sentinel string.
:class:`InProcess` offers the same calls on provider objects directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from .._props import PROVIDER_KEY, UNKNOWN

__all__ = [
    "UNKNOWN",
    "CallError",
    "CheckResponse",
    "DiffResponse",
    "Driver",
    "InProcess",
    "ProviderServer",
    "ReadResponse",
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


@dataclass
class ReadResponse:
    """What Read returned: an empty ``id`` means the resource is gone; ``inputs`` None means none given."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None


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
    def read(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any],
             inputs: Mapping[str, Any] | None = None) -> ReadResponse: ...
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

    def read(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any],
             inputs: Mapping[str, Any] | None = None) -> ReadResponse:
        """Read as a refresh sends it (``properties`` = the old outputs, ``inputs`` = the old inputs), or as a
        ``Resource.get`` does (no ``properties``: pass ``{}``)."""
        request = self._pb.ReadRequest(id=id_, urn=urn, properties=self._props(provider, props) if props else None,
                                       inputs=self._props(provider, inputs) if inputs is not None else None)
        response = self._call("Read", request)
        outs = self._dict(response.properties)
        outs.pop(PROVIDER_KEY, None)
        read_inputs = self._dict(response.inputs) if response.HasField("inputs") else None
        if read_inputs is not None:
            read_inputs.pop(PROVIDER_KEY, None)
        return ReadResponse(response.id, outs, read_inputs)

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

    def read(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any],
             inputs: Mapping[str, Any] | None = None) -> ReadResponse:
        result = provider.read(id_, dict(props))
        read_inputs = dict(result.inputs) if result.inputs is not None else None
        return ReadResponse(result.id or "", dict(result.outs or {}), read_inputs)

    def update(self, provider: ResourceProvider, urn: str, id_: str, olds: Mapping[str, Any],
               news: Mapping[str, Any]) -> dict[str, Any]:
        return dict(provider.update(id_, dict(olds), dict(news)).outs or {})

    def delete(self, provider: ResourceProvider, urn: str, id_: str, props: Mapping[str, Any]) -> None:
        provider.delete(id_, dict(props))
