"""The typed surfaces agree with their sources: ``args.py`` with botocore's model (through its
generator), each resource class's declared outputs with its provider's spec."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pulumi_personalize as pp
from pulumi_personalize._generate_args import generate
from pulumi_personalize._naming import camel_to_snake
from pulumi_personalize._resource import PersonalizeResource

ARGS = Path(pp.__file__).with_name("args.py")


def structure(source: str) -> dict[str, list[tuple[str, str]]]:
    """Each class's fields and their annotations; documentation (docstrings, comments) left out."""
    classes = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = [(ast.unparse(item.target), ast.unparse(item.annotation)) for item in node.body
                                  if isinstance(item, ast.AnnAssign)]
    return classes


def test_args_match_what_the_installed_model_generates() -> None:
    """Regenerate with ``python -m pulumi_personalize._generate_args`` when this fails."""
    assert structure(ARGS.read_text(encoding="utf-8")) == structure(generate())


def test_every_nested_structure_has_both_forms() -> None:
    from pulumi_personalize import args

    dataclasses = [n for n in args.__all__ if n.endswith("Args")]
    assert len(dataclasses) >= 17 and all(f"{n}Dict" in args.__all__ for n in dataclasses)
    config = args.SolutionConfigArgs(event_value_threshold="0.5",
                                     auto_ml_config=args.AutoMLConfigArgs(metric_name="coverage"))
    assert config.auto_ml_config is not None and config.hpo_config is None


RESOURCES = [cls for cls in vars(pp).values()
             if isinstance(cls, type) and issubclass(cls, PersonalizeResource) and cls is not PersonalizeResource]


@pytest.mark.parametrize("cls", RESOURCES, ids=[c.__name__ for c in RESOURCES])
def test_every_output_of_the_spec_is_declared_on_the_class(cls: type) -> None:
    provider = pp.PROVIDERS[cls.__name__]
    declared = {name for klass in cls.__mro__ for name in vars(klass).get("__annotations__", {})}
    wanted = {camel_to_snake(key) for key in provider.spec.output_keys}
    assert wanted <= declared, sorted(wanted - declared)
