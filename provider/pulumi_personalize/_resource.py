"""The shared base of the resource classes a Pulumi program uses.

Programs pass snake_case keywords (like pulumi-aws-native) and nested values as dicts in either
case style or as the typed ``*Args`` dataclasses.  Keys are translated to the API's camelCase
when the SDK serialises the props (so values that are still ``Output``s work too) and outputs come
back as snake_case attributes.  The target and region default to the stack config
(``personalize:target``, ``personalize:region``); custom timeouts travel as a provider-only prop
because the dynamic-provider SDK does not pass the engine's timeouts to the provider.

Every resource also takes ``adopt_arn=``: manage an existing resource instead of creating one
(the engine's own ``import`` cannot reach a dynamic provider, pulumi/pulumi#16175), and has
``get(resource_name, id)`` to read one without managing it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

from ._naming import camel_to_snake, snake_to_camel

if TYPE_CHECKING:
    from typing import TypeAlias

    from .args import TagArgs, TagArgsDict

    #: Tags as the API's list of ``{tag_key, tag_value}`` or a plain ``{"key": "value"}`` dict.
    Tags: TypeAlias = pulumi.Input[Sequence[pulumi.Input[TagArgs | TagArgsDict]]] | Mapping[str, str]

__all__ = ["PersonalizeResource", "plain_args", "tags_list"]


def plain_args(value: Any) -> Any:
    """Typed Args dataclasses as dicts (None fields dropped); ``Output`` values left untouched."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_args(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) is not None}
    if isinstance(value, Mapping):
        return {k: plain_args(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_args(v) for v in value]
    return value


def tags_list(tags: Any) -> Any:
    """Tags as the API's list of ``{tagKey, tagValue}``; a plain ``{"key": "value"}`` dict is accepted."""
    if isinstance(tags, Mapping) and not ({"tag_key", "tagKey"} & set(tags)):
        return [{"tagKey": k, "tagValue": v} for k, v in tags.items()]
    return plain_args(tags)


class PersonalizeResource(Resource):
    """A dynamic resource whose props are built from keywords.

    The outputs every resource has are declared here; each subclass declares its ARN and the extra
    outputs of its provider's spec, the one list of them (a test keeps the two in step).
    """

    status: pulumi.Output[str]
    creation_date_time: pulumi.Output[str]
    last_updated_date_time: pulumi.Output[str]
    failure_reason: pulumi.Output[str]

    def __init__(
        self,
        provider: ResourceProvider,
        resource_name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        spec = provider.spec  # type: ignore[attr-defined]
        name_key = camel_to_snake(spec.name_key)
        outputs = sorted(camel_to_snake(key) for key in spec.output_keys)
        values: dict[str, Any] = {k: plain_args(v) for k, v in props.items()}
        if "tags" in values and values["tags"] is not None:
            values["tags"] = tags_list(values["tags"])
        config = pulumi.Config("personalize")
        if values.get("target") is None:
            values["target"] = config.get("target")
        if values.get("region") is None:
            values["region"] = config.get("region")
        timeouts = opts.custom_timeouts if opts is not None else None
        if timeouts is not None:
            custom = {k: getattr(timeouts, k) for k in ("create", "update", "delete")}
            values["timeouts"] = {k: v for k, v in custom.items() if v} or None
        if values.get(name_key) is None:
            values["name_prefix"] = resource_name
        for key in outputs:
            values.setdefault(key, None)
        super().__init__(provider, resource_name, values, opts)

    @classmethod
    def get(
        cls,
        resource_name: str,
        id: pulumi.Input[str],  # the name every Pulumi resource's get() uses
        opts: pulumi.ResourceOptions | None = None,
        *,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
    ) -> Any:
        """Read an existing resource by ARN without managing it (the engine's Read with inputs only)."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        resource_class: Any = cls  # each subclass takes (resource_name, opts, **keywords)
        return resource_class(resource_name, merged, target=target, region=region)

    def translate_input_property(self, prop: str) -> str:
        return snake_to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        return camel_to_snake(prop)
