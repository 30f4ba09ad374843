"""What hangs off a dataset group, as data: one :class:`Kind` per resource type the console lists.

Why a table: adding a resource type to the emulator (filters, recommenders) should cost the console
one line here, not a new page.  Each kind names its store kind, the kind it hangs under (the store's
``parent`` column), its ARN member and the extra columns worth seeing; every kind also shows name,
status, last update and failure reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import Row
from ._html import Html, esc, link, url

if TYPE_CHECKING:
    from ..emulator import Emulator

__all__ = ["GROUP", "KINDS", "Column", "Kind", "dataset_rows", "member", "resources_of_group"]

GROUP = "dataset-group"
#: One extra column: its heading and how to read it from a row.
Column = tuple[str, Callable[["Emulator", Row], object]]


def member(path: str) -> Callable[[Emulator, Row], object]:
    """A column reading a (dotted) member of the API-visible body."""

    def read(_emulator: Emulator, row: Row) -> object:
        value: Any = row.body
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return read


def _recipe(emulator: Emulator, row: Row) -> object:
    arn = row.body.get("recipeArn")
    if arn:
        return str(arn).rsplit("/", 1)[-1]
    best = (row.body.get("autoMLResult") or {}).get("bestRecipeArn")
    return "AutoML" + (f" (best: {str(best).rsplit('/', 1)[-1]})" if best else "")


def _training(emulator: Emulator, row: Row) -> object:
    flags = [name for name, key in (("HPO", "performHPO"), ("AutoML", "performAutoML")) if row.body.get(key)]
    return ", ".join([row.body.get("trainingMode", ""), *flags])


def _version_link(emulator: Emulator, row: Row) -> object:
    arn = str(row.body.get("solutionVersionArn", ""))
    return link(url("version", arn=arn), arn.rsplit("/", 1)[-1]) if arn else ""


@lru_cache(maxsize=4096)
def _part_rows(path: str) -> int:
    """Rows of one imported ``.npz`` part, read from the first array's header only (parts never change)."""
    import numpy as np  # lazily: importing the server (and so the console) must not pay for numpy

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if not names:
            return 0
        with archive.open(names[0]) as handle:
            version = np.lib.format.read_magic(handle)
            reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
                np.lib.format.read_array_header_2_0
            shape = reader(handle)[0]
    return int(shape[0]) if shape else 0


def dataset_rows(emulator: Emulator, row: Row) -> object:
    """Rows imported into a dataset (the sum of its parts), or "" before any import."""
    parts = row.internal.get("parts") or []
    if not parts:
        return ""
    directory = Path(emulator.data_dir) / row.internal.get("dir", "")
    try:
        return f"{sum(_part_rows(str(directory / part)) for part in parts):,}"
    except (OSError, ValueError, zipfile.BadZipFile):
        return "?"


@dataclass(frozen=True)
class Kind:
    """A resource type under a dataset group."""

    kind: str  # the store's kind
    title: str
    under: str  # the kind of its parent (the store's parent column holds that parent's ARN)
    arn_member: str
    columns: Sequence[Column] = ()
    page: str = ""  # a console page for one resource of this kind, if any
    optional: bool = False  # shown only when some exist

    def name_cell(self, row: Row) -> Html:
        """The resource's name, linking to its page when it has one (the ARN on hover otherwise)."""
        name = row.body.get("name") or row.body.get("jobName") or row.name
        if self.page:
            return link(url(self.page, arn=row.arn), name)
        return Html(f'<span title="{esc(row.arn)}">{esc(name)}</span>')


#: Parents before children: each kind's ``under`` is the group or a kind listed above it.
KINDS: tuple[Kind, ...] = (
    Kind("dataset", "Datasets", GROUP, "datasetArn",
         (("type", member("datasetType")), ("rows", dataset_rows))),
    Kind("dataset-import-job", "Import jobs", "dataset", "datasetImportJobArn",
         (("source", member("dataSource.dataLocation")), ("mode", member("importMode")))),
    Kind("solution", "Solutions", GROUP, "solutionArn", (("recipe", _recipe),)),
    Kind("solution-version", "Solution versions", "solution", "solutionVersionArn",
         (("training", _training), ("hours", member("trainingHours"))), page="version"),
    Kind("campaign", "Campaigns", "solution", "campaignArn",
         (("version", _version_link), ("min TPS", member("minProvisionedTPS"))), page="campaign"),
    Kind("event-tracker", "Event trackers", GROUP, "eventTrackerArn", (("tracking id", member("trackingId")),)),
    Kind("filter", "Filters", GROUP, "filterArn", (("expression", member("filterExpression")),), optional=True),
    Kind("batch-inference-job", "Batch inference jobs", "solution-version", "batchInferenceJobArn",
         (("input", member("jobInput.s3DataSource.path")), ("output", member("jobOutput.s3DataDestination.path")),
          ("results", member("numResults"))), optional=True),
)


def resources_of_group(emulator: Emulator, group: Row) -> dict[str, list[Row]]:
    """Every resource under ``group``, by kind (short reads: one indexed query per parent)."""
    found: dict[str, list[Row]] = {GROUP: [group]}
    for kind in KINDS:
        found[kind.kind] = [row for parent in found.get(kind.under, [])
                            for row in emulator.store.children(kind.kind, parent.arn)]
    return found
