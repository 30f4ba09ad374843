"""The console's pages: dataset groups, one group's resources, a solution version, a campaign.

Every page is a few indexed reads of the store the API uses (no Describe call, so looking at the
console never advances a paced status) rendered to HTML on the spot.  Unknown ARNs raise the API's
own ResourceNotFoundException, which the router shows as a 404 page.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from personalize_api.statuses import IN_FLIGHT

from ..errors import not_found
from ..progress import PROGRESS
from ..store import Row
from ._html import Html, badge, esc, link, page, table, timestamp, url
from .charts import automl_chart, hpo_chart
from .kinds import GROUP, KINDS, resources_of_group

if TYPE_CHECKING:
    from ..emulator import Emulator

__all__ = ["campaign_page", "group_page", "index_page", "progress_json", "progress_of", "version_page"]


def _require(emulator: Emulator, arn: str, kind: str) -> Row:
    row = emulator.store.get(arn, kind) if arn else None
    if row is None:
        raise not_found(arn)
    return row


def _failure(row: Row) -> object:
    reason = row.body.get("failureReason")
    return Html(f'<span class="failure">{esc(reason)}</span>') if reason else ""


def _facts(pairs: list[tuple[str, object]]) -> Html:
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs if v not in (None, ""))
    return Html(f'<dl class="facts">{items}</dl>')


def index_page(emulator: Emulator) -> Html:
    """Every dataset group, with how many of each kind hang off it."""
    rows = []
    for group in emulator.store.of_kind(GROUP):
        found = resources_of_group(emulator, group)
        counts = ", ".join(f"{len(found[k.kind])} {k.title.lower()}" for k in KINDS
                           if found[k.kind] or not k.optional)
        rows.append([link(url("group", arn=group.arn), group.name), badge(group.body.get("status")),
                     group.arn.split(":")[3], counts, timestamp(group.body.get("creationDateTime")), _failure(group)])
    body = table(["dataset group", "status", "region", "resources", "created", "failure reason"], rows,
                 empty="No dataset group yet: create one with CreateDatasetGroup.")
    return page("Dataset groups", body)


def group_page(emulator: Emulator, arn: str) -> Html:
    """One dataset group and everything under it, kind by kind (see :data:`.kinds.KINDS`)."""
    group = _require(emulator, arn, GROUP)
    found = resources_of_group(emulator, group)
    sections = [_facts([("ARN", group.arn), ("status", Html(badge(group.body.get("status")))),
                        ("domain", group.body.get("domain")),
                        ("created", timestamp(group.body.get("creationDateTime"))),
                        ("failure reason", group.body.get("failureReason")),
                        ("events recorded by PutEvents", f"{emulator.store.event_count(group.arn):,}")])]
    for kind in KINDS:
        rows = found[kind.kind]
        if kind.optional and not rows:
            continue
        headings = ["name", "status", *(heading for heading, _ in kind.columns), "updated", "failure reason"]
        cells = [[kind.name_cell(row), badge(row.body.get("status")),
                  *(read(emulator, row) for _, read in kind.columns),
                  timestamp(row.body.get("lastUpdatedDateTime")), _failure(row)] for row in rows]
        sections.append(Html(f'<section class="kind" id="{esc(kind.kind)}"><h2>{esc(kind.title)}</h2>'
                             f"{table(headings, cells)}</section>"))
    live = url("progress", arn=group.arn) if any(
        row.body.get("status") in IN_FLIGHT for rows in found.values() for row in rows) else ""
    return page(group.name, Html("".join(sections)), crumbs=[(url("group", arn=arn), group.name)], live=live)


def progress_of(emulator: Emulator, version: Row) -> dict[str, Any]:
    """A version's progress record plus its status and elapsed seconds (live while in flight)."""
    record = dict(version.internal.get(PROGRESS) or {})
    status = version.body.get("status")
    started = record.get("started")
    end = emulator.clock() if status in IN_FLIGHT else record.get("updated")
    hpo = record.get("hpo") or {}
    return {
        "arn": version.arn, "status": status, "failureReason": version.body.get("failureReason"),
        "phase": _phase(status, record.get("phase")),
        "elapsed": round(float(end) - float(started), 1) if started is not None and end is not None else None,
        "trial": len(hpo.get("trials") or []), "trials": hpo.get("of"), "live": status in IN_FLIGHT,
    }


def _phase(status: str | None, phase: str | None) -> str:
    """The current step while in flight; once over, how it ended (and where, if it did not succeed)."""
    if status in IN_FLIGHT:
        return phase or "waiting to start"
    if status == "ACTIVE":
        return "finished"
    return f"ended {status}" + (f" during: {phase}" if phase else "")


def progress_json(emulator: Emulator, arn: str) -> bytes:
    """What the console script polls: a version's progress, or a group's in-flight count."""
    row = emulator.store.get(arn)
    if row is None:
        raise not_found(arn)
    if row.kind == "solution-version":
        return json.dumps(progress_of(emulator, row)).encode()
    flying = sum(1 for rows in resources_of_group(emulator, row).values() for r in rows
                 if r.body.get("status") in IN_FLIGHT) if row.kind == GROUP else 0
    return json.dumps({"arn": arn, "status": row.body.get("status"), "live": flying > 0}).encode()


def _progress_box(emulator: Emulator, version: Row) -> Html:
    state = progress_of(emulator, version)
    trial = f"HPO trial {state['trial']} of {state['trials']}" if state["trials"] else ""
    elapsed = f"{state['elapsed']:.1f} s" if state["elapsed"] is not None else ""
    lines = "".join(f"<li>{esc(line)}</li>" for _, line in (version.internal.get(PROGRESS) or {}).get("lines", []))
    return Html(
        f'<section class="progress"><h2>Training</h2><dl class="facts">'
        f'<dt>status</dt><dd data-field="status">{badge(state["status"])}</dd>'
        f'<dt>phase</dt><dd data-field="phase">{esc(state["phase"])}</dd>'
        f'<dt>elapsed</dt><dd data-field="elapsed">{esc(elapsed)}</dd>'
        f'<dt>HPO</dt><dd data-field="trial">{esc(trial or "-")}</dd></dl>'
        + (f"<details><summary>log</summary><ol class=\"log\">{lines}</ol></details>" if lines else "")
        + "</section>"
    )


def version_page(emulator: Emulator, arn: str) -> Html:
    """A solution version: live progress, GetSolutionMetrics, HPO trials and AutoML candidates."""
    version = _require(emulator, arn, "solution-version")
    solution = emulator.store.get(version.body.get("solutionArn", ""))
    group = emulator.store.get(version.body.get("datasetGroupArn", ""))
    crumbs = [(url("group", arn=group.arn), group.name)] if group else []
    recipe = version.internal.get("recipe_arn") or version.body.get("recipeArn") or "AutoML"
    sections = [_facts([("ARN", version.arn), ("solution", solution.name if solution else ""),
                        ("recipe", str(recipe).rsplit("/", 1)[-1]), ("training mode", version.body.get("trainingMode")),
                        ("created", timestamp(version.body.get("creationDateTime"))),
                        ("training hours", version.body.get("trainingHours")),
                        ("failure reason", version.body.get("failureReason"))]),
                _progress_box(emulator, version)]
    if version.body.get("status") == "ACTIVE":
        metrics = emulator.call("personalize", "GetSolutionMetrics", {"solutionVersionArn": arn})["metrics"]
        rows = [[name, f"{value:.4f}" if isinstance(value, int | float) else value]
                for name, value in sorted(metrics.items())]
        sections.append(Html(f'<section class="metrics"><h2>GetSolutionMetrics</h2>{table(["metric", "value"], rows)}'
                             "</section>"))
    tuned = (version.body.get("tunedHPOParams") or {}).get("algorithmHyperParameters")
    record = version.internal.get(PROGRESS) or {}
    if record.get("hpo") or tuned:
        sections.append(Html(f'<section class="hpo"><h2>HPO trials</h2>{hpo_chart(record.get("hpo") or {})}'
                             "</section>"))
    if record.get("automl"):
        sections.append(Html(f'<section class="automl"><h2>AutoML candidates</h2>{automl_chart(record["automl"])}'
                             "</section>"))
    live = url("progress", arn=arn) if version.body.get("status") in IN_FLIGHT else ""
    title = f"Solution version {arn.rsplit('/', 1)[-1]}"
    return page(title, Html("".join(sections)), crumbs=[*crumbs, (url("version", arn=arn), title)], live=live)


def campaign_page(emulator: Emulator, arn: str) -> Html:
    """A campaign and its "try it" box (the script calls GetRecommendations on this same server)."""
    campaign = _require(emulator, arn, "campaign")
    version_arn = str(campaign.body.get("solutionVersionArn", ""))
    version = emulator.store.get(version_arn)
    group = emulator.store.get(version.body.get("datasetGroupArn", "")) if version else None
    crumbs = [(url("group", arn=group.arn), group.name)] if group else []
    facts = _facts([("ARN", campaign.arn), ("status", Html(badge(campaign.body.get("status")))),
                    ("solution version", link(url("version", arn=version_arn), version_arn.rsplit("/", 1)[-1])),
                    ("min provisioned TPS", campaign.body.get("minProvisionedTPS")),
                    ("updated", timestamp(campaign.body.get("lastUpdatedDateTime"))),
                    ("failure reason", campaign.body.get("failureReason"))])
    box = Html(
        f'<section class="try"><h2>Try it: GetRecommendations</h2>'
        f'<form id="try" data-campaign="{esc(arn)}"><label>user id <input name="userId" required></label> '
        f'<label>results <input name="numResults" type="number" min="1" max="500" value="10"></label> '
        f'<button type="submit">Recommend</button></form>'
        f'<p class="hint">Posts to <code>/recommendations</code> on this server, as boto3 would.</p>'
        f'<ol id="recommendations" class="recs"></ol><p id="try-error" class="failure"></p></section>'
    )
    live = url("progress", arn=arn) if campaign.body.get("status") in IN_FLIGHT else ""
    return page(f"Campaign {campaign.name}", Html(facts + box),
                crumbs=[*crumbs, (url("campaign", arn=arn), campaign.name)], live=live)
