"""ARN formats of Personalize resources (botocore's model has only the generic pattern).

Formats follow the Developer Guide's examples: ``dataset-group/<name>``, ``schema/<name>``,
``dataset/<datasetGroupName>/<DATASET_TYPE>``, ``dataset-import-job/<name>``, ``solution/<name>``,
solution versions ``solution/<name>/<versionId>``, ``campaign/<name>``, ``event-tracker/<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ParsedArn", "make_arn", "parse_arn"]


def make_arn(region: str, account: str, resource: str) -> str:
    """``arn:aws:personalize:<region>:<account>:<resource>``."""
    return f"arn:aws:personalize:{region}:{account}:{resource}"


@dataclass(frozen=True, slots=True)
class ParsedArn:
    partition: str
    region: str
    account: str
    resource: str

    @property
    def resource_type(self) -> str:
        """``dataset-group``, ``solution``, ``recipe``... (the resource part before the first slash)."""
        return self.resource.split("/", 1)[0]


def parse_arn(arn: str) -> ParsedArn | None:
    """The parts of a Personalize ARN, or None when ``arn`` is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "personalize" or not parts[5]:
        return None
    return ParsedArn(parts[1], parts[3], parts[4], parts[5])
