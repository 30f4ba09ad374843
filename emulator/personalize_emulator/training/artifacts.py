"""Model artefacts on disk: a small JSON manifest, numpy arrays, LightGBM text. Never pickle.

A solution version's directory is written once by :func:`~personalize_emulator.training.train`
(the caller renames it into place atomically) and read by
:func:`~personalize_emulator.training.load_model`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .errors import TrainingError

__all__ = [
    "FORMAT",
    "read_arrays",
    "read_manifest",
    "read_text",
    "write_arrays",
    "write_manifest",
    "write_text",
]

FORMAT = 1
MANIFEST = "model.json"
ARRAYS = "arrays.npz"


def write_manifest(out_dir: Path, kind: str, recipe: str, recipe_type: str, **extra: Any) -> None:
    manifest = {"format": FORMAT, "kind": kind, "recipe": recipe, "recipeType": recipe_type, **extra}
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))


def read_manifest(model_dir: Path) -> dict[str, Any]:
    path = model_dir / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        message = f"The model in {model_dir} cannot be read ({error}); train a new version."
        raise TrainingError(message) from None
    if manifest.get("format") != FORMAT:
        raise TrainingError(f"The model in {model_dir} has format {manifest.get('format')!r}, not {FORMAT}; "
                            "train a new solution version.")
    return manifest


def write_arrays(out_dir: Path, arrays: dict[str, np.ndarray]) -> None:
    for name, array in arrays.items():
        if array.dtype.kind == "O":
            raise TypeError(f"array {name!r} has dtype object, which would need pickle")
    np.savez(out_dir / ARRAYS, allow_pickle=False, **arrays)


def read_arrays(model_dir: Path) -> dict[str, np.ndarray]:
    with np.load(model_dir / ARRAYS, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def write_text(out_dir: Path, name: str, text: str) -> None:
    (out_dir / name).write_text(text)


def read_text(model_dir: Path, name: str) -> str:
    return (model_dir / name).read_text()
