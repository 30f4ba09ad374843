"""Rules over a whole parsed filter that no single production can check.

Sources: Developer Guide "Filter expressions" and "Filter expression guidelines and requirements"
(see ``reference/runtime-features.md`` §1.3).
"""

from __future__ import annotations

from ..errors import InvalidInputException
from .syntax import Filter

__all__ = ["MAX_FIELDS_PER_FILTER", "check_filter"]

#: Distinct dataset fields one filter may read.  The English guide says 5, the current (translated)
#: page says 10; the emulator takes the larger so it never refuses what AWS may accept.
MAX_FIELDS_PER_FILTER = 10


def _invalid(position: int, message: str) -> InvalidInputException:
    return InvalidInputException(f"Could not create filter. Invalid Expression: {message} (at position {position}).")


def check_filter(tree: Filter) -> Filter:
    """``tree`` when it follows the documented rules, else InvalidInputException naming the rule.

    - every WHERE condition of an expression reads the dataset of its first condition (so Items and
      Interactions fields are chained with ``|``, never mixed with AND/OR);
    - every expression of a chain filters the same target (ItemID, ActionID or UserID);
    - at most :data:`MAX_FIELDS_PER_FILTER` distinct fields.
    """
    target = tree.expressions[0].target
    for expression in tree.expressions:
        if expression.target != target:
            raise _invalid(expression.position, f"every expression joined by '|' must filter the same target; "
                                                f"the first filters {target}, this one {expression.target}")
        dataset = expression.dataset
        for condition in expression.where.conditions():
            if condition.field.dataset != dataset:
                raise _invalid(condition.field.position, f"{condition.field} cannot be combined with {dataset} "
                                                         "fields in one expression; join the two with '|'")
    fields = tree.fields()
    if len(fields) > MAX_FIELDS_PER_FILTER:
        raise InvalidInputException(
            f"Could not create filter. Invalid Expression: a filter can read at most {MAX_FIELDS_PER_FILTER} "
            f"distinct dataset fields; this one reads {len(fields)} ({', '.join(sorted(fields))})."
        )
    return tree
