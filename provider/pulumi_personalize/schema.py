"""Schema: the Avro schema of a dataset.  Schemas are immutable and take no tags.

The schema may be given as a JSON string or a dict; the diff compares the parsed JSON, so
reformatting the document is not a change.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pulumi

from personalize_api import resource_types as api

from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import ResourceSpec

__all__ = ["SCHEMA", "Schema", "SchemaProvider"]


def _normalise(props: dict[str, Any]) -> dict[str, Any]:
    text = props.get("schema")
    if isinstance(text, str):
        with contextlib.suppress(ValueError):
            props["schema"] = json.loads(text)
    return props


SCHEMA = ResourceSpec(
    api=api.SCHEMA,
    in_place=frozenset(),
    taggable=False,
    normalise=_normalise,
)


class SchemaProvider(PersonalizeProvider):
    """Dynamic provider for :class:`Schema` (no arguments; pickled by reference)."""

    spec = SCHEMA


def _as_text(schema: Any) -> Any:
    if isinstance(schema, str) or schema is None:
        return schema
    if isinstance(schema, dict):
        return json.dumps(schema)
    return pulumi.Output.from_input(schema).apply(lambda s: s if isinstance(s, str) else json.dumps(s))


class Schema(PersonalizeResource, module="personalize", name="Schema"):
    """An Amazon Personalize schema (``CreateSchema``); ``id`` is its ARN."""

    schema_arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        schema: Any = None,
        name: pulumi.Input[str] | None = None,
        domain: pulumi.Input[str] | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"schema": _as_text(schema), "name": name, "domain": domain, "target": target,
                 "region": region, **extra}
        super().__init__(SchemaProvider(), resource_name, props, opts)
