"""A validation problem: where it is, which rule it broke, and what is allowed.

Validation collects every problem before reporting (botocore's discipline); the provider turns each
into a ``CheckFailure`` and the emulator joins them into one ``InvalidInputException``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Path", "Problem", "dotted", "join_problems"]

Path = tuple[str | int, ...]


def dotted(path: Path) -> str:
    """``("solutionConfig", "eventsConfig", "eventParametersList", 0, "weight")`` as
    ``solutionConfig.eventsConfig.eventParametersList[0].weight``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule. ``rule`` is a short machine name (``max_length``, ``pattern``, ``recipe``...)."""

    path: Path
    rule: str
    message: str

    @property
    def top_level(self) -> str:
        """The top-level request member the problem belongs to (a Pulumi ``CheckFailure.property``)."""
        return str(self.path[0]) if self.path else ""

    @property
    def reason(self) -> str:
        """The full sentence: dotted path, then what is wrong and what is allowed."""
        where = dotted(self.path)
        return f"{where}: {self.message}" if where else self.message


def join_problems(problems: Sequence[Problem]) -> str:
    """All problems as one message, the way the service reports several violations at once."""
    count = len(problems)
    head = "1 validation error detected" if count == 1 else f"{count} validation errors detected"
    return head + ": " + "; ".join(p.reason for p in problems)
