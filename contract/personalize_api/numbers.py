"""Numbers written as strings, read the way the service reads them: ASCII decimal notation only.

Hyperparameters, HPO limits and thresholds travel as strings.  Python's ``float()`` and
``str.isdigit()`` accept far more than the service does: ``"nan"``, ``"inf"``, ``"1_000"``,
``" 4 "``, Arabic-Indic digits (U+0661 U+0660) and superscripts (U+00B2, for which ``isdigit()`` is true
and ``int()`` then raises).  One strict reader keeps validation from passing or crashing on those.
"""

from __future__ import annotations

import re

__all__ = ["parse_decimal", "parse_whole"]

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_WHOLE = re.compile(r"[0-9]+", re.ASCII)


def parse_decimal(text: str) -> float | None:
    """``text`` as a finite number (``"0.5"``, ``"-1e3"``), or None when the service would refuse it."""
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if value not in (float("inf"), float("-inf")) else None


def parse_whole(text: str) -> int | None:
    """``text`` as a non-negative whole number written with ASCII digits only, or None."""
    return int(text) if _WHOLE.fullmatch(text) else None
