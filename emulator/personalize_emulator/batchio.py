"""Batch inference input and output: JSON-lines files under a prefix, answers published all at once.

``jobInput.s3DataSource.path`` is a *prefix*, as on AWS: every object whose key starts with it is
read (``in/users`` also matches ``in/users_test/a.json``; end it with ``/`` to mean one folder).
``file://`` locations (the emulator's extension) follow the same rule over a directory tree and are
confined to ``--allow-file-root`` like imports.  Each input gives ``<name>.out`` under the output
path, ``<name>`` being its path below the prefix's folder (its file name in the usual case).

Nothing is half-written: every answer is computed before the first is published; S3 objects are
put only at the end, files are written under temporary names and renamed at the end, and a failure
removes the temporary files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .importer import DataImportError, confine

__all__ = ["MAX_INPUT_BYTES", "MAX_INPUT_FILES", "BatchIOError", "InputFile", "list_inputs", "read_input",
           "write_outputs"]

#: Documented limits (Developer Guide, "Quotas"): input files per job, total input size.
MAX_INPUT_FILES = 1000
MAX_INPUT_BYTES = 1024 ** 3


class BatchIOError(Exception):
    """The job cannot read its input or write its output; the message becomes its ``failureReason``."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file: where it is (``s3://b/k`` or a local path) and its name below the prefix's folder."""

    location: str
    relative: str
    size: int


def _folder(prefix: str) -> str:
    """The folder part of a prefix: ``in/users`` -> ``in/``, ``in/`` -> ``in/``."""
    return prefix[: prefix.rfind("/") + 1]


def _check_limits(location: str, files: Sequence[InputFile]) -> list[InputFile]:
    if not files:
        raise BatchIOError(f"{location} matches no input files (jobInput.s3DataSource.path is a prefix).")
    if len(files) > MAX_INPUT_FILES:
        raise BatchIOError(f"{location} matches {len(files)} files; a batch inference job reads at most "
                           f"{MAX_INPUT_FILES}.")
    total = sum(f.size for f in files)
    if total > MAX_INPUT_BYTES:
        raise BatchIOError(f"{location} holds {total} bytes of input; a batch inference job reads at most 1 GB.")
    return sorted(files, key=lambda f: f.relative)


def _local_path(location: str) -> Path:
    parsed = urlparse(location)
    return Path(unquote(parsed.netloc + parsed.path)).expanduser()


def _file_inputs(location: str, roots: Sequence[Path] | None) -> list[InputFile]:
    path = _local_path(location)
    ends_in_folder = location.endswith("/")
    base = path if ends_in_folder else path.parent
    start = "" if ends_in_folder else path.name
    real_base = confine(location, base, roots)
    if not real_base.is_dir():
        raise BatchIOError(f"{location} does not exist.")
    found: list[InputFile] = []
    for directory, _dirs, names in os.walk(real_base):
        for name in names:
            full = Path(directory) / name
            relative = full.relative_to(real_base).as_posix()
            if relative.startswith(start) and not name.startswith("."):
                real = confine(f"{location} ({relative})", full, roots)  # a link may point outside
                if real.is_file():
                    found.append(InputFile(str(real), relative, real.stat().st_size))
    return found


def _s3_client(region: str) -> Any:
    import boto3

    return boto3.client("s3", region_name=region)


def _bucket_key(location: str) -> tuple[str, str]:
    parsed = urlparse(location)
    return parsed.netloc, parsed.path.lstrip("/")


def _s3_inputs(location: str, region: str) -> list[InputFile]:
    bucket, prefix = _bucket_key(location)
    pages = _s3_client(region).get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    folder = _folder(prefix)
    return [InputFile(f"s3://{bucket}/{o['Key']}", o["Key"][len(folder):], int(o.get("Size", 0)))
            for page in pages for o in page.get("Contents", []) if not o["Key"].endswith("/")]


def _errors() -> tuple[type[BaseException], ...]:
    """The errors reading or writing may raise (botocore is imported only when a job runs)."""
    import botocore.exceptions

    return (OSError, botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)


def _reason(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Message") or exc)
    return str(getattr(exc, "strerror", None) or exc)


def _scheme(location: str) -> str:
    scheme = urlparse(location).scheme.lower()
    if scheme not in ("s3", "file"):
        raise BatchIOError(f"The emulator reads and writes s3:// and file:// locations only; got {location}.")
    return scheme


def list_inputs(location: str, *, region: str, file_roots: Sequence[Path] | None) -> list[InputFile]:
    """Every input file under the prefix ``location``, within the documented limits."""
    scheme = _scheme(location)
    try:
        found = _s3_inputs(location, region) if scheme == "s3" else _file_inputs(location, file_roots)
    except _errors() as exc:
        raise BatchIOError(f"Cannot list {location}: {_reason(exc)}.") from None
    except DataImportError as exc:  # outside --allow-file-root, or absent: confine's message says so
        raise BatchIOError(str(exc)) from None
    return _check_limits(location, found)


def read_input(file: InputFile, *, region: str) -> str:
    """The text of one input file (UTF-8, a byte-order mark allowed)."""
    try:
        if file.location.startswith("s3://"):
            bucket, key = _bucket_key(file.location)
            data: bytes = _s3_client(region).get_object(Bucket=bucket, Key=key)["Body"].read()
        else:
            data = Path(file.location).read_bytes()
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchIOError(f"{file.location} is not UTF-8 text.") from None
    except _errors() as exc:
        raise BatchIOError(f"Cannot read {file.location}: {_reason(exc)}.") from None


def _join(destination: str, name: str) -> str:
    return destination.rstrip("/") + "/" + name


def _write_files(destination: str, outputs: Sequence[tuple[str, str]], roots: Sequence[Path] | None) -> None:
    base = _local_path(destination)
    confine(destination, base, roots)
    temps: list[tuple[Path, Path]] = []
    try:
        for name, text in outputs:
            final = base / name
            final.parent.mkdir(parents=True, exist_ok=True)
            confine(_join(destination, name), final.parent, roots)
            fd, name_of_temp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}-", suffix=".tmp")
            temps.append((Path(name_of_temp), final))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, final in temps:
            os.replace(temp, final)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)


def _write_s3(destination: str, outputs: Sequence[tuple[str, str]], region: str) -> None:
    bucket, key = _bucket_key(destination)
    client = _s3_client(region)
    for name, text in outputs:
        target = (key.rstrip("/") + "/" + name) if key else name
        client.put_object(Bucket=bucket, Key=target, Body=text.encode("utf-8"), ContentType="application/json")


def write_outputs(destination: str, outputs: Sequence[tuple[str, str]], *, region: str,
                  file_roots: Sequence[Path] | None) -> None:
    """Publish every (name, text) under ``destination``, each under its final name only when complete."""
    scheme = _scheme(destination)
    try:
        if scheme == "s3":
            _write_s3(destination, outputs, region)
        else:
            _write_files(destination, outputs, file_roots)
    except _errors() as exc:
        raise BatchIOError(f"Cannot write to {destination}: {_reason(exc)}.") from None
    except DataImportError as exc:  # outside --allow-file-root
        raise BatchIOError(str(exc)) from None
