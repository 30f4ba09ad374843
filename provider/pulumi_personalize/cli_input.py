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
    if file.suffix.lower() in (".yaml", ".yml"):
        import yaml

        document = yaml.safe_load(text)
    else:
        document = json.loads(text)
    if not isinstance(document, Mapping):
        raise ValueError(f"{file}: a CLI input document must be an object, got {type(document).__name__}")
    return dict(document)


def merge_cli_input(document: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """snake_case keywords for the resource class: the document's keys, then the explicit overrides."""
    merged = {camel_to_snake(str(k)): v for k, v in document.items()}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return merged
