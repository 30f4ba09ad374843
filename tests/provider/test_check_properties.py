"""Property tests: ``check`` never raises on arbitrary JSON-like input (unknowns included), and
every failure names a property whose reason starts with that property's path."""

from __future__ import annotations

from typing import Any

import botocore.session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.output import Unknown

from pulumi_personalize import PROVIDERS
from pulumi_personalize.testing import UNKNOWN

MODEL = botocore.session.get_session().get_service_model("personalize")
SOLUTION_SHAPE = MODEL.operation_model("CreateSolution").input_shape

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**7, 10**7), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["rate(7 days)", "arn:aws:personalize:::recipe/aws-sims", "1", UNKNOWN]),
    st.builds(Unknown),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)


def shaped(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that mostly follow ``shape`` (so the deep rules run), mixed with anything at all."""
    kind = shape.type_name
    if depth > 6:
        return json_like
    if kind == "structure":
        members = {name: shaped(member, depth + 1) for name, member in shape.members.items()}
        return st.one_of(st.fixed_dictionaries({}, optional=members), json_like)
    if kind == "list":
        return st.one_of(st.lists(shaped(shape.member, depth + 1), max_size=3), json_like)
    if kind == "map":
        return st.one_of(st.dictionaries(st.text(max_size=8), shaped(shape.value, depth + 1), max_size=3), json_like)
    if kind == "string" and shape.enum:
        return st.one_of(st.sampled_from(shape.enum), scalars)
    return scalars


props_strategy = st.one_of(
    st.dictionaries(st.text(max_size=12), json_like, max_size=6),
    shaped(SOLUTION_SHAPE).filter(lambda v: isinstance(v, dict)),
)
provider_keys = st.fixed_dictionaries({}, optional={
    "target": scalars, "region": scalars, "timeouts": json_like, "namePrefix": scalars})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=props_strategy, extra=provider_keys, olds=st.one_of(st.just({}), json_like.filter(
    lambda v: isinstance(v, dict))), which=st.sampled_from(sorted(PROVIDERS)))
def test_check_never_raises_and_every_failure_names_a_property(
    props: dict[str, Any], extra: dict[str, Any], olds: dict[str, Any], which: str
) -> None:
    news = {**props, **extra}
    result = PROVIDERS[which]().check(olds, news)
    assert isinstance(result.inputs, dict)
    spec = PROVIDERS[which].spec
    for failure in result.failures:
        # the property is a top-level key of the props (or the member that is missing)
        assert failure.property in news or failure.property in (spec.name_key, "recipeArn") or (
            failure.reason.endswith("is required")), failure.property
        assert failure.reason.startswith(failure.property), failure.reason


@settings(max_examples=200, deadline=None)
@given(olds=json_like.filter(lambda v: isinstance(v, dict)), news=props_strategy, which=st.sampled_from(
    sorted(PROVIDERS)))
def test_diff_never_raises(olds: dict[str, Any], news: dict[str, Any], which: str) -> None:
    result = PROVIDERS[which]().diff("arn", olds, news)
    assert all(isinstance(k, str) for k in result.replaces or [])
