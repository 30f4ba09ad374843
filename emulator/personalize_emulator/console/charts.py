"""Inline SVG charts of what training tried: HPO trials and AutoML candidates.

Why inline SVG: no script, no library and no network, and it renders the same in a headless browser
as in a person's.  Inputs are the progress record's ``hpo`` and ``automl`` parts (see
:mod:`personalize_emulator.progress`); every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._html import Html, esc, join, table

__all__ = ["automl_chart", "hpo_chart"]

_W, _H, _PAD = 640, 220, 36


def _score(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _top(scores: Sequence[float]) -> float:
    top = max(scores, default=0.0)
    return top * 1.1 if top > 0 else 1.0


def _bars(trials: Sequence[Mapping[str, Any]], best: int | None, objective: str) -> Html:
    scores = [_score(t.get("score")) for t in trials]
    top = _top(scores)
    step = (_W - 2 * _PAD) / max(len(trials), 1)
    width = max(step * 0.7, 2)
    parts = [f'<svg class="chart hpo" viewBox="0 0 {_W} {_H}" role="img" '
             f'aria-label="HPO trials by {esc(objective)}">',
             f'<line class="axis" x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}"/>',
             f'<text class="tick" x="{_PAD - 4}" y="{_PAD}" text-anchor="end">{top:.3f}</text>',
             f'<text class="tick" x="{_PAD - 4}" y="{_H - _PAD}" text-anchor="end">0</text>']
    for index, (trial, score) in enumerate(zip(trials, scores, strict=True)):
        number = int(trial.get("trial", index + 1))
        height = (_H - 2 * _PAD) * score / top
        x = _PAD + index * step + (step - width) / 2
        chosen = number == best
        values = ", ".join(f"{k}={v}" for k, v in (trial.get("hyperparameters") or {}).items())
        parts.append(
            f'<rect class="bar{" chosen" if chosen else ""}" x="{x:.1f}" y="{_H - _PAD - height:.1f}" '
            f'width="{width:.1f}" height="{height:.1f}"><title>{esc(f"trial {number}: {score:.4f} ({values})")}'
            f"</title></rect>"
            f'<text class="tick" x="{x + width / 2:.1f}" y="{_H - _PAD + 14}" text-anchor="middle">{number}</text>'
        )
        if chosen:
            parts.append(f'<text class="mark" x="{x + width / 2:.1f}" y="{_H - _PAD - height - 6:.1f}" '
                         f'text-anchor="middle">chosen</text>')
    parts.append(f'<text class="label" x="{_W / 2}" y="{_H - 4}" text-anchor="middle">trial</text></svg>')
    return Html("".join(parts))


def _scatter(name: str, trials: Sequence[Mapping[str, Any]], best: int | None) -> Html:
    """Score against one numeric hyperparameter's value (how the objective moves with it)."""
    w, h = 260, 170
    points = []
    for trial in trials:
        try:
            points.append((float((trial.get("hyperparameters") or {})[name]), _score(trial.get("score")),
                           int(trial.get("trial", 0)) == best))
        except (KeyError, TypeError, ValueError):
            return Html("")
    low, high = min(p[0] for p in points), max(p[0] for p in points)
    span = (high - low) or 1.0
    bottom, top = min(p[1] for p in points), max(p[1] for p in points)  # zoomed: differences show
    rise = (top - bottom) or 1.0
    left, right, upper, lower = 52, w - 10, 12, h - 44  # the plot area; labels go around it
    dots = "".join(
        f'<circle class="dot{" chosen" if chosen else ""}" cx="{left + (right - left) * (x - low) / span:.1f}" '
        f'cy="{lower - (lower - upper) * (y - bottom) / rise:.1f}" r="{6 if chosen else 4}">'
        f'<title>{esc(f"{name}={x:g}: {y:.4f}")}</title></circle>'
        for x, y, chosen in points
    )
    return Html(f'<svg class="chart scatter" viewBox="0 0 {w} {h}" role="img" aria-label="score by {esc(name)}">'
                f'<line class="axis" x1="{left}" y1="{lower + 8}" x2="{right}" y2="{lower + 8}"/>'
                f'<line class="axis" x1="{left - 8}" y1="{upper}" x2="{left - 8}" y2="{lower}"/>{dots}'
                f'<text class="tick" x="{left - 12}" y="{upper + 4}" text-anchor="end">{top:.3f}</text>'
                f'<text class="tick" x="{left - 12}" y="{lower + 4}" text-anchor="end">{bottom:.3f}</text>'
                f'<text class="tick" x="{left}" y="{lower + 22}">{low:.4g}</text>'
                f'<text class="tick" x="{right}" y="{lower + 22}" text-anchor="end">{high:.4g}</text>'
                f'<text class="label" x="{(left + right) / 2}" y="{h - 4}" text-anchor="middle">{esc(name)}</text>'
                "</svg>")


def hpo_chart(hpo: Mapping[str, Any]) -> Html:
    """Each trial's score (the chosen one marked), score by each numeric hyperparameter, and the table."""
    trials = list(hpo.get("trials") or [])
    if not trials:
        return Html('<p class="empty">No HPO trial has finished yet.</p>')
    best = hpo.get("best")
    objective = str(hpo.get("objective", "score"))
    names = list(dict.fromkeys(k for t in trials for k in (t.get("hyperparameters") or {})))
    scatters = join(_scatter(name, trials, best) for name in names)
    rows = [[str(t.get("trial")), f"{_score(t.get('score')):.4f}",
             *[(t.get("hyperparameters") or {}).get(n, "") for n in names],
             Html('<span class="mark">chosen</span>') if t.get("trial") == best else ""] for t in trials]
    return Html(f'<p>{len(trials)} of {esc(hpo.get("of", len(trials)))} trials, scored by '
                f'<code>{esc(objective)}</code> on a validation split of the training users.'
                + (f' Chosen: {esc(hpo["reason"])}.' if hpo.get("reason") else "") + "</p>"
                f'{_bars(trials, best, objective)}<div class="scatters">{scatters}</div>'
                f'{table(["trial", objective, *names, ""], rows, css="trials")}')


def automl_chart(automl: Mapping[str, Any]) -> Html:
    """The AutoML candidates side by side: one bar per recipe, the best marked."""
    candidates = list(automl.get("candidates") or [])
    if not candidates:
        return Html('<p class="empty">No AutoML candidate has finished yet.</p>')
    metric = str(automl.get("metric", "score"))
    best = automl.get("best")
    scores = [_score(c.get("score")) for c in candidates]
    top = _top(scores)
    row_h, label_w = 30, 230
    parts = [f'<svg class="chart automl" viewBox="0 0 {_W} {row_h * len(candidates) + 10}" role="img" '
             f'aria-label="AutoML candidates by {esc(metric)}">']
    for index, (candidate, score) in enumerate(zip(candidates, scores, strict=True)):
        recipe = str(candidate.get("recipeArn", "")).rsplit("/", 1)[-1]
        chosen = candidate.get("recipeArn") == best
        y = index * row_h + 5
        length = (_W - label_w - 120) * score / top
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{esc(recipe)}</text>'
            f'<rect class="bar{" chosen" if chosen else ""}" x="{label_w}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row_h - 10}"><title>{esc(f"{recipe}: {score:.4f}")}</title></rect>'
            f'<text class="tick" x="{label_w + length + 6:.1f}" y="{y + 17}">{score:.4f}'
            f'{" (best)" if chosen else ""}</text>'
        )
    parts.append("</svg>")
    return Html(f"<p>Candidates scored by <code>{esc(metric)}</code> on a validation split; the best was "
                f"then trained in full.</p>{''.join(parts)}")

