"""The AWS CLI's input documents (``--cli-input-json`` / ``--cli-input-yaml``) as props.

People migrating from ``aws personalize create-solution --cli-input-json file://solution.json``
keep those files.  The document's keys are the request's camelCase members; explicit keyword
arguments override its top-level keys, as the CLI's explicit options do.  Nothing is validated
here: the provider's ``check`` validates the result exactly as it validates any other props.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._naming import camel_to_snake

__all__ = ["load_cli_input", "merge_cli_input"]


def load_cli_input(path: str | Path) -> dict[str, Any]:
    """The request document at ``path`` (``.json``, ``.yaml`` or ``.yml``; ``file://`` accepted)."""
    text_path = str(path)
    if text_path.startswith("file://"):
        text_path = text_path[len("file://"):]
    file = Path(text_path)
    text = file.read_text(encoding="utf-8")
    document = _load_yaml(text) if file.suffix.lower() in (".yaml", ".yml") else json.loads(text)
    if not isinstance(document, Mapping):
        raise ValueError(f"{file}: a CLI input document must be an object, got {type(document).__name__}")
    return dict(document)


def _load_yaml(text: str) -> Any:
    """YAML 1.2, safe and pure, as the AWS CLI reads ``--cli-input-yaml`` (ruamel.yaml).

    PyYAML speaks YAML 1.1, where ``OFF``, ``yes`` and ``no`` are booleans: ``objectiveSensitivity:
    OFF`` would become ``False`` and fail, and ``tagValue: yes`` would become ``True``.
    """
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def merge_cli_input(document: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """snake_case keywords for the resource class: the document's keys, then the explicit overrides."""
    merged = {camel_to_snake(str(k)): v for k, v in document.items()}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return merged
