"""A read-only web console for the emulator, served by ``personalize-emulator serve`` under ``/_console/``.

Why: people would rather look than poll Describe calls while a model trains.  The console shows
dataset groups and everything under them (with statuses and failure reasons), a training version's
live progress, its GetSolutionMetrics, HPO trials and AutoML candidates as inline SVG charts, and a
campaign's "try it" box.  Pages are rendered on the server from the same store the API uses (short
indexed reads, read-only); one small static script polls progress and calls GetRecommendations.
No template engine, no build step, nothing fetched from outside the machine.
"""

from __future__ import annotations

from .routes import PREFIX, answer, is_console, route

__all__ = ["PREFIX", "answer", "is_console", "route"]
