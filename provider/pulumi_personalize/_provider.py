"""The shared provider machinery: one ``ResourceProvider`` driven by a :class:`ResourceSpec`.

``check`` and ``diff`` are pure (see ``_check``/``_diff``).  Create/read/update/delete call the API
through a client made inside each call and wait for the lifecycle to settle.  Subclasses set
``spec`` and override the few hooks whose behaviour differs (UpdateX, delete semantics, outputs).
The provider object holds nothing: it pickles by reference into Pulumi state.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from personalize_api.statuses import ACTIVE, CREATE_FAILED

from ._aws import ProviderError, call, is_not_found, make_client
from ._check import check_props
from ._diff import diff_props
from ._durations import parse_duration
from ._naming import PROVIDER_KEYS, is_autonamed, provider_keys
from ._props import strip_internal
from ._spec import Path, ResourceSpec
from ._wait import FAILED_STATUSES, poll, status_of

__all__ = ["CLEANUP_SECONDS", "PersonalizeProvider", "jsonable"]

#: How long a failed create may spend deleting what it left behind before reporting the ARN.
CLEANUP_SECONDS = 120.0


def jsonable(value: Any) -> Any:
    """A value safe for a protobuf Struct: datetimes as ISO 8601 strings, containers recursed."""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


class PersonalizeProvider(ResourceProvider):
    """Base of every ``<Name>Provider``: generic check/diff/CRUD for one :class:`ResourceSpec`."""

    spec: ClassVar[ResourceSpec]
    #: The provider holds no secret, so its pickled form need not be a secret in state.
    serialize_as_secret_always = False

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (type(self), ())

    # -- check / diff: pure -------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_props(self.spec, _olds, news)
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in failures])

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        decision = diff_props(self.spec, _olds, _news)
        return DiffResult(
            changes=decision.changes,
            replaces=decision.replaces,
            delete_before_replace=decision.delete_before_replace if decision.replaces else None,
        )

    # -- helpers -------------------------------------------------------------------------------
    def timeout(self, props: Mapping[str, Any], kind: str) -> float:
        """Seconds allowed for ``kind`` (create/update/delete): the custom timeout or the default."""
        custom = props.get("timeouts")
        if isinstance(custom, Mapping) and custom.get(kind) is not None:
            return parse_duration(custom[kind])
        return float(self.spec.timeouts[kind])

    def request(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The CreateX request: API members only, whole floats as ints where the model says integer."""
        from personalize_api import coerce, operation_input_shape

        params = {k: v for k, v in props.items() if k not in PROVIDER_KEYS and v is not None}
        coerced: dict[str, Any] = coerce(operation_input_shape("personalize", self.spec.create_op), params)
        return coerced

    def describe(self, client: Any, arn: str) -> dict[str, Any]:
        result = call(client, self.spec.describe_op, **{self.spec.arn_key: arn})
        described: dict[str, Any] = result.get(self.spec.describe_key) or {}
        return described

    def active(self, described: dict[str, Any], arn: str) -> bool:
        """Whether a create has finished; raises with the failure reason when it failed."""
        status = status_of(described)
        if status is None or status == ACTIVE:
            return True
        if status in FAILED_STATUSES:
            reason = described.get("failureReason") or "no failureReason given"
            raise ProviderError("CreateFailed", f"{self.spec.type_name} is {status}: {reason}", arn=arn)
        return False

    def wait_active(self, client: Any, arn: str, timeout: float, what: str = "create") -> dict[str, Any]:
        return poll(lambda: self.describe(client, arn), lambda d: self.active(d, arn), timeout=timeout,
                    what=f"{self.spec.type_name} {what}", arn=arn)

    def outputs(self, props: Mapping[str, Any], arn: str, described: Mapping[str, Any]) -> dict[str, Any]:
        """Every input echoed (the SDK diffs against outputs) plus the ARN, status and timestamps."""
        outs = {k: v for k, v in props.items() if v is not None}
        outs[self.spec.arn_key] = arn
        for key in self.spec.output_keys:
            if described.get(key) is not None:
                outs[key] = jsonable(described[key])
        return outs

    def live_inputs(self, client: Any, arn: str, described: Mapping[str, Any]) -> dict[str, Any]:
        """The resource as it is now, in CreateX member names (for refresh and import)."""
        from personalize_api import operation_input_shape

        members = operation_input_shape("personalize", self.spec.create_op).members
        live = {k: jsonable(described[k]) for k in members if described.get(k) is not None}
        if self.spec.taggable:
            tags = call(client, "ListTagsForResource", resourceArn=arn).get("tags") or []
            if tags:
                live["tags"] = tags
        return live

    # -- CRUD ----------------------------------------------------------------------------------
    def start(self, client: Any, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Send CreateX; (ARN, response)."""
        response = call(client, self.spec.create_op, **request)
        return str(response[self.spec.arn_key]), response

    def create(self, props: dict[str, Any]) -> CreateResult:
        props = strip_internal(props)
        if props.get("adoptArn"):
            return self.adopt(props, str(props["adoptArn"]))
        client = make_client("personalize", props)
        arn, _ = self.start(client, self.request(props))
        try:
            described = self.wait_active(client, arn, self.timeout(props, "create"))
            outs = self.outputs(props, arn, described)
            outs.update(self.extra_outputs(client, arn, described))
        except ProviderError as exc:
            raise self.abandon(client, arn, props, exc) from None
        return CreateResult(arn, outs)

    def adopt(self, props: dict[str, Any], arn: str) -> CreateResult:
        """Take an existing resource under management instead of creating one (``adopt_arn``).

        The Pulumi engine's own import (``pulumi import``, the ``import_`` option) cannot reach a
        dynamic provider (pulumi/pulumi#16175: its Read gets no pickled provider), so adoption is a
        create that creates nothing.  As the engine's import does, it fails when the program's
        inputs do not match the live resource, naming the members that differ; a name the
        provider chose (no ``name`` in the program) is taken from the live resource.
        """
        client = make_client("personalize", props, arn)
        described = self.describe(client, arn)
        live = self.live_inputs(client, arn, described)
        wanted = dict(props)
        if is_autonamed(wanted):
            wanted[self.spec.name_key] = live.get(self.spec.name_key)
        keep = provider_keys(props)
        decision = diff_props(self.spec, {**keep, **live, self.spec.arn_key: arn}, wanted)
        mismatched = sorted({*decision.replaces, *(path[0] for path in decision.updates)} - {"region"})
        if mismatched:
            raise ProviderError("ImportMismatch", f"inputs to import do not match the existing resource: "
                                f"{', '.join(mismatched)} differ; make the program match the resource (its "
                                f"{self.spec.describe_op} output) before adopting it", arn=arn)
        described = self.wait_active(client, arn, self.timeout(props, "create"))
        outs = self.outputs(wanted, arn, described)
        outs.update(self.extra_outputs(client, arn, described))
        return CreateResult(arn, outs)

    def extra_outputs(self, _client: Any, _arn: str, _described: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs that need another call (SolutionVersion metrics). Default: none."""
        return {}

    def abandon(self, client: Any, arn: str, props: Mapping[str, Any], exc: ProviderError) -> ProviderError:
        """Clean up a create that failed half-way so no orphan is left; the error names the ARN."""
        try:
            self.remove(client, arn, props, min(self.timeout(props, "delete"), CLEANUP_SECONDS))
        except ProviderError as cleanup:
            return ProviderError(exc.code, f"{exc.message}; cleaning up failed too ({cleanup}): delete it "
                                 "by hand or adopt it with the import resource option", arn=arn)
        if self.spec.delete_op is None:
            return ProviderError(exc.code, f"{exc.message}; the API cannot delete a {self.spec.type_name}, so its "
                                 "record stays in the account's history", arn=arn)
        return ProviderError(exc.code, f"{exc.message}; the half-created resource was deleted", arn=arn)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        props = strip_internal(props)
        client = make_client("personalize", props, id_)
        try:
            described = self.describe(client, id_)
        except ProviderError as exc:
            if is_not_found(exc):
                return ReadResult("", {})
            raise
        keep = provider_keys(props)
        live = {**keep, **self.live_inputs(client, id_, described)}
        outs = self.outputs(live, id_, described)
        outs.update(self.extra_outputs(client, id_, described))
        return ReadResult(id_, outs, live)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        olds, news = strip_internal(_olds), strip_internal(_news)
        decision = diff_props(self.spec, olds, news)
        client = make_client("personalize", news, _id)
        timeout = self.timeout(news, "update")
        fields = [p for p in decision.updates if p != ("tags",)]
        if fields:
            self.apply_update(client, _id, olds=olds, news=news, fields=fields, timeout=timeout)
        if ("tags",) in decision.updates:
            update_tags(client, _id, olds.get("tags"), news.get("tags"))
        described = self.wait_active(client, _id, timeout, "update")
        outs = self.outputs(news, _id, described)
        outs.update(self.extra_outputs(client, _id, described))
        return UpdateResult(outs)

    def apply_update(self, client: Any, arn: str, *, olds: dict[str, Any], news: dict[str, Any],
                     fields: list[Path], timeout: float) -> None:
        """Apply in-place changes other than tags (UpdateX). Only resources with such fields override."""
        raise ProviderError("NotUpdatable", f"{self.spec.type_name} cannot change {fields} in place", arn=arn)

    def wait_for_update(self, client: Any, arn: str, member: str, what: str, timeout: float) -> None:
        """Poll until the ``latest<X>Update`` summary ``member`` is ACTIVE; CREATE FAILED is an error."""

        def settled(described: dict[str, Any]) -> bool:
            update = described.get(member) or {}
            if update.get("status") == CREATE_FAILED:
                raise ProviderError("UpdateFailed", f"{what} failed: {update.get('failureReason')}", arn=arn)
            return update.get("status") in (None, ACTIVE) and described.get("status") == ACTIVE

        poll(lambda: self.describe(client, arn), settled, timeout=timeout, what=what, arn=arn)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        props = strip_internal(_props)
        client = make_client("personalize", props, _id)
        self.remove(client, _id, props, self.timeout(props, "delete"))

    def remove(self, client: Any, arn: str, props: Mapping[str, Any], timeout: float) -> None:
        """DeleteX, then wait until it is gone.

        ResourceInUse is retried only while the resource's own lifecycle is still moving (a create
        or update in progress); a dependent that still exists is permanent, so the delete fails at
        once with the API's reason and what to do (:meth:`in_use`), instead of spinning until the
        timeout.
        """
        op = self.spec.delete_op
        if op is None:
            return

        def send() -> bool:
            try:
                call(client, op, **{self.spec.arn_key: arn})
            except ProviderError as exc:
                if is_not_found(exc):
                    return True
                if exc.code == "ResourceInUseException":
                    state = self.settling(client, arn)
                    if state == "deleting":
                        return True
                    if state == "busy":
                        return False
                    raise self.in_use(client, arn, exc) from None
                raise
            return True

        poll(send, bool, timeout=timeout, what=f"{self.spec.type_name} delete", arn=arn, first=0.5)
        poll(lambda: self.gone(client, arn), bool, timeout=timeout, what=f"{self.spec.type_name} delete",
             arn=arn)

    def settling(self, client: Any, arn: str) -> str:
        """``deleting``, ``busy`` (its own create or update still runs) or ``settled``."""
        try:
            described = self.describe(client, arn)
        except ProviderError as exc:
            if is_not_found(exc):
                return "deleting"
            raise
        statuses = [status_of(described)]
        statuses += [status_of(v) for k, v in described.items() if k.startswith("latest") and k.endswith("Update")]
        if any(s and s.startswith("DELETE") for s in statuses):
            return "deleting"
        return "busy" if any(s and s.endswith(("PENDING", "IN_PROGRESS")) for s in statuses) else "settled"

    def in_use(self, _client: Any, arn: str, exc: ProviderError) -> ProviderError:
        """The error for a delete blocked by a dependent: the API's reason, fast. Solution adds more."""
        return ProviderError(exc.code, exc.message, arn=arn)

    def gone(self, client: Any, arn: str) -> bool:
        try:
            self.describe(client, arn)
        except ProviderError as exc:
            if is_not_found(exc):
                return True
            raise
        return False


def update_tags(client: Any, arn: str, old: Any, new: Any) -> None:
    """TagResource / UntagResource so the live tags equal ``new``."""
    def as_map(tags: Any) -> dict[str, str]:
        return {str(t["tagKey"]): str(t.get("tagValue", "")) for t in (tags or []) if isinstance(t, Mapping)}

    before, after = as_map(old), as_map(new)
    removed = sorted(set(before) - set(after))
    changed = [{"tagKey": k, "tagValue": v} for k, v in sorted(after.items()) if before.get(k) != v]
    if removed:
        call(client, "UntagResource", resourceArn=arn, tagKeys=removed)
    if changed:
        call(client, "TagResource", resourceArn=arn, tags=changed)


