"""Batch inference jobs: CreateBatchInferenceJob scores JSON-lines input with a solution version's model.

A job reads every input file under ``jobInput.s3DataSource.path`` (``s3://`` through boto3, or the
emulator's ``file://``), answers each line with the trained model the way GetRecommendations /
GetPersonalizedRanking do (the same :class:`~..training.Model` methods; PutEvents events are not
used by the model, as AWS documents for batch jobs; ``filterArn`` with each line's ``filterValues``
is evaluated by :mod:`.filtering`, exactly as for GetRecommendations), and writes
``<input name>.out`` under the output path.  A bad line gets its own ``error`` and never fails the
job; only unreadable input or unwritable output does, and then nothing is published (see
:mod:`..batchio`).

Statuses are the model's own for this kind: ``PENDING > IN PROGRESS > ACTIVE | CREATE FAILED``.
The job runs on the ``import`` pool; a restart fails a job caught in progress (it never runs twice)
and starts one that had not started.
"""

from __future__ import annotations

import json
from typing import Any

from personalize_api import recipe_name_from_arn
from personalize_api import resource_types as api
from personalize_api.batch import THEME_MODE
from personalize_api.statuses import ACTIVE, CREATE_FAILED, JOB_CREATING, JOB_IN_PROGRESS, JOB_PENDING

from ..batchio import BatchIOError, list_inputs, read_input, write_outputs
from ..errors import InvalidInputException, NotSupportedException, ResourceNotFoundException
from ..lifecycle import Job, gate, move
from ..store import Row
from .context import Context, check_tags, require_active
from .filtering import mask_for, surviving
from .filters import FILTER
from .jobs import gate_here, start_create
from .kinds import Kind
from .pagination import list_page
from .versions import VERSION

__all__ = [
    "BATCH_INFERENCE_JOB",
    "DEFAULT_RESULTS",
    "MAX_RESULTS",
    "answer_line",
    "create_batch_inference_job",
    "describe_batch_inference_job",
    "list_batch_inference_jobs",
]

#: ``numResults`` when the request has none (the console's default, ``creating-batch-inference-job.md``).
DEFAULT_RESULTS = 25
#: The emulator's bound: AWS documents none for batch jobs; GetRecommendations allows 500.
MAX_RESULTS = 500
#: The most items one PERSONALIZED_RANKING line may rank (GetPersonalizedRanking's ``inputList`` bound).
MAX_RANKED = 500
#: Recipes the model says batch inference does not support.
_REFUSED_RECIPES = ("aws-trending-now", "aws-next-best-action")
#: Recipe types whose lines carry ``scores`` (``recommendations-batch.md``).
_SCORED_TYPES = frozenset({"USER_PERSONALIZATION", "PERSONALIZED_RANKING"})


def _recipe(version: Row) -> str:
    """The recipe a version trained (AutoML's winner when it chose one)."""
    arn = version.internal.get("recipe_arn") or version.body.get("recipeArn") or ""
    return recipe_name_from_arn(str(arn)) or ""


def _require_filter(ctx: Context, arn: str | None, version: Row) -> None:
    """``filterArn`` names a filter of the version's dataset group (ResourceNotFoundException otherwise).

    Whether it is ACTIVE, and each line's ``filterValues``, are checked per line when the job runs
    (a bad line never fails the job)."""
    if not arn:
        return
    row = FILTER.require(ctx, arn)
    group = version.body.get("datasetGroupArn")
    if row.parent != group:
        raise InvalidInputException(f"filterArn: filter {arn} belongs to dataset group {row.parent}; the solution "
                                    f"version was trained on {group}.")


def create_batch_inference_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    version = VERSION.require(ctx, p["solutionVersionArn"])
    require_active(version, "Solution version")
    recipe = _recipe(version)
    if recipe in _REFUSED_RECIPES:
        raise InvalidInputException(f"solutionVersionArn: batch inference does not support {recipe} solution "
                                    "versions.")
    mode = p.get("batchInferenceJobMode") or "BATCH_INFERENCE"
    if mode == THEME_MODE:
        if recipe != "aws-similar-items":
            raise InvalidInputException("batchInferenceJobMode: THEME_GENERATION needs a solution version trained "
                                        f"with aws-similar-items; this one was trained with {recipe or 'AutoML'}.")
        raise NotSupportedException("The emulator does not generate themes (batchInferenceJobMode "
                                    "THEME_GENERATION) yet.")
    count = DEFAULT_RESULTS if p.get("numResults") is None else int(p["numResults"])
    if count > MAX_RESULTS:
        raise InvalidInputException(f"numResults must be at most {MAX_RESULTS}; got {count}.")
    _require_filter(ctx, p.get("filterArn"), version)
    ctx.quota(BATCH_INFERENCE_JOB.name, ctx.emulator.settings.quotas.batch_inference_jobs_in_progress,
              "pending or in-progress batch inference jobs", statuses=JOB_CREATING)
    arn = ctx.arn(f"batch-inference-job/{p['jobName']}")
    now = ctx.now()
    body = {
        "jobName": p["jobName"], "batchInferenceJobArn": arn, "filterArn": p.get("filterArn"),
        "solutionVersionArn": version.arn, "numResults": count, "jobInput": p["jobInput"],
        "jobOutput": p["jobOutput"], "batchInferenceJobConfig": p.get("batchInferenceJobConfig"),
        "roleArn": p["roleArn"], "batchInferenceJobMode": mode, "status": JOB_PENDING,
        "creationDateTime": now, "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=BATCH_INFERENCE_JOB.name, account=ctx.account, region=ctx.region,
                     name=p["jobName"], parent=version.arn, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, BATCH_INFERENCE_JOB, arn)
    return {"batchInferenceJobArn": arn}


def describe_batch_inference_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return BATCH_INFERENCE_JOB.describe(ctx, p)


def list_batch_inference_jobs(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=BATCH_INFERENCE_JOB.name, member="batchInferenceJobs",
                     summary="BatchInferenceJobSummary", parent=p.get("solutionVersionArn"))


class _LineError(Exception):
    """One input line cannot be answered; the message goes into that line's ``error``."""


def _string(line: dict[str, Any], key: str, *, required: bool, why: str) -> str | None:
    value = line.get(key)
    if value is None:
        if required:
            raise _LineError(f"{key} is required: {why}.")
        return None
    if not isinstance(value, str) or not value:
        raise _LineError(f"{key} must be a non-empty string; got {json.dumps(value)}.")
    return value


def _mask(ctx: Context, job: dict[str, Any], line: dict[str, Any], kind: str) -> Any:
    """The job's filter evaluated for this line (its user, item and ``filterValues``), or None without one.

    The same evaluation as GetRecommendations' (:func:`.filtering.mask_for`); its errors (a missing
    placeholder value, a filter no longer ACTIVE) become this line's error."""
    if not job.get("filterArn"):
        return None
    request = {"filterArn": job["filterArn"], "filterValues": line.get("filterValues"),
               "userId": line.get("userId"), "itemId": line.get("itemId")}
    try:
        return mask_for(ctx, request, dataset_group=str(job["datasetGroupArn"]), recipe_type=kind)
    except (InvalidInputException, ResourceNotFoundException) as exc:
        raise _LineError(exc.message) from None


def _pairs(ctx: Context, model: Any, job: dict[str, Any], line: dict[str, Any]) -> list[tuple[str, float]]:
    """One line's (item, score) pairs, best first, through the model and the job's filter."""
    kind, count = model.recipe_type, int(job["numResults"])
    values = line.get("filterValues")
    if values is not None and not (isinstance(values, dict) and all(isinstance(v, str) for v in values.values())):
        raise _LineError("filterValues must be a JSON object of strings.")
    if kind == "PERSONALIZED_RANKING":
        user = _string(line, "userId", required=True, why="this solution version ranks items for a user")
        items = line.get("itemList")
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            raise _LineError("itemList is required: a non-empty list of item ids to rank.")
        if len(items) > MAX_RANKED:
            raise _LineError(f"itemList can hold at most {MAX_RANKED} items; got {len(items)}.")
        mask = _mask(ctx, job, line, kind)
        kept = [item for item in items if mask is None or mask.keeps(item)]
        return list(model.rank(user_id=str(user), items=kept)) if kept else []
    if kind == "RELATED_ITEMS":
        item = _string(line, "itemId", required=True, why="this solution version recommends related items")
        user = None
    else:
        item = None
        user = _string(line, "userId", required=kind == "USER_PERSONALIZATION",
                       why="this solution version recommends items for a user")
    mask = _mask(ctx, job, line, kind)

    def fetch(n: int) -> list[tuple[str, float]]:
        return list(model.recommend(user_id=user, item_id=item, num_results=n))

    try:
        return fetch(count) if mask is None else surviving(fetch, count, mask, (job["solutionVersionArn"], user, item,
                                                                                 ()))
    except KeyError:
        raise _LineError(f"Item {item!r} is not in the training data of this solution version.") from None


def answer_line(ctx: Context, model: Any, job: dict[str, Any], text: str, number: int) -> dict[str, Any]:
    """The output document of one input line: ``input`` echoed, ``output`` or a per-line ``error``.

    Lines of USER_PERSONALIZATION and PERSONALIZED_RANKING versions carry ``scores`` and
    ``"error": null``; POPULAR_ITEMS and RELATED_ITEMS lines carry ``recommendedItems`` only, as
    AWS's documented samples show.  The shape of a non-null ``error`` is not documented: the
    emulator writes a string naming the line and the problem.
    """
    scored = model.recipe_type in _SCORED_TYPES
    echo: Any = text
    try:
        try:
            line = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _LineError(f"not valid JSON ({exc.msg} at column {exc.colno}).") from None
        echo = line
        if not isinstance(line, dict):
            raise _LineError("not a JSON object; expected one such as {\"userId\": \"u1\"}.")
        pairs = _pairs(ctx, model, job, line)
    except _LineError as exc:
        return {"input": echo, "output": None, "error": f"Line {number}: {exc}"}
    output: dict[str, Any] = {"recommendedItems": [item for item, _ in pairs]}
    if scored:
        output["scores"] = [round(float(score), 7) for _, score in pairs]
        return {"input": echo, "output": output, "error": None}
    return {"input": echo, "output": output}


def _run(ctx: Context, row: Row) -> None:
    """Answer every input file, then publish every output (nothing when anything fails)."""
    emulator = ctx.emulator
    version = ctx.store.get(row.body["solutionVersionArn"], VERSION.name)
    if version is None or version.body.get("status") != ACTIVE:
        raise BatchIOError(f"Solution version {row.body['solutionVersionArn']} is no longer ACTIVE.")
    model = emulator.model(version)
    job = {**row.body, "datasetGroupArn": version.body["datasetGroupArn"]}  # what the filter reads
    roots = emulator.settings.allow_file_roots
    files = list_inputs(row.body["jobInput"]["s3DataSource"]["path"], region=ctx.region, file_roots=roots)
    outputs: list[tuple[str, str]] = []
    for file in files:
        lines = [answer_line(ctx, model, job, text, number)
                 for number, text in enumerate(read_input(file, region=ctx.region).splitlines(), start=1)
                 if text.strip()]
        if emulator.runner.stopping:
            raise BatchIOError("The emulator shut down during the job; create it again.")
        outputs.append((file.relative + ".out",
                        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)))
    write_outputs(row.body["jobOutput"]["s3DataDestination"]["path"], outputs, region=ctx.region, file_roots=roots)


def _move(ctx: Context, arn: str, status: str, *, expect: str, failure: str | None = None) -> Row | None:
    with ctx.store.write() as conn:
        row = ctx.store.lock_row(conn, arn)
        if row is None or row.body.get("status") != expect:
            return None
        move(row.body, status, ctx.now(), failure=failure)
        ctx.store.save(row, conn)
        return row


def _batch_job(ctx: Context, arn: str) -> Job:
    def job() -> Any:
        yield gate(arn, JOB_PENDING)
        row = _move(ctx, arn, JOB_IN_PROGRESS, expect=JOB_PENDING)
        if row is None:
            return
        yield
        try:
            _run(ctx, row)
        except Exception as exc:  # every failure ends the job with a reason its owner can read
            reason = str(exc) if isinstance(exc, BatchIOError) else f"Batch inference failed: {exc}"
            yield gate_here(ctx, arn)
            _move(ctx, arn, CREATE_FAILED, expect=JOB_IN_PROGRESS, failure=reason)
            yield
            return
        yield gate_here(ctx, arn)
        _move(ctx, arn, ACTIVE, expect=JOB_IN_PROGRESS)
        yield

    return job


BATCH_INFERENCE_JOB = Kind(api.BATCH_INFERENCE_JOB, create=_batch_job, pool="import", resumable=False,
                           pending=JOB_PENDING)
