"""Writes ``args.py``, the typed nested arguments, from botocore's ``personalize`` model.

    python -m pulumi_personalize._generate_args        # rewrite provider/pulumi_personalize/args.py

For every structure a Create request of the resources nests (``SolutionConfig``,
``HPOConfig``, ``CampaignConfig``, ``DataSource``, ``Tag``, ...) it writes a dataclass ``<X>Args``
and a TypedDict ``<X>ArgsDict`` (the two forms pulumi-aws-native generates), with snake_case
fields, ``pulumi.Input`` types from the member shapes and each member's documentation from the
model.  ``tests/provider/test_generated_args.py`` fails when the checked-in file no longer matches
what the installed model generates (members and types; documentation wording may change freely).
"""

from __future__ import annotations

import html
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

from botocore import xform_name

__all__ = ["CREATE_OPERATIONS", "class_name", "generate", "nested_shapes"]

#: The Create requests the resources send; their nested structures get Args classes.
CREATE_OPERATIONS = ("CreateDatasetGroup", "CreateSchema", "CreateDataset", "CreateDatasetImportJob",
                     "CreateSolution", "CreateSolutionVersion", "CreateCampaign", "CreateEventTracker",
                     "CreateFilter", "CreateBatchInferenceJob")
_SCALARS = {"string": "str", "integer": "int", "long": "int", "double": "float", "float": "float",
            "boolean": "bool", "timestamp": "str", "blob": "bytes"}
_TAG = re.compile(r"<[^>]+>")
_WIDTH = 116


#: Shapes named after their member rather than the shape (the names args.py has always used).
_RENAMED = {"HyperParameterRanges": "AlgorithmHyperParameterRanges"}


def class_name(shape_name: str) -> str:
    """``HPOConfig`` -> ``HpoConfigArgs``, ``HyperParameterRanges`` -> ``AlgorithmHyperParameterRangesArgs``."""
    return _RENAMED.get(shape_name, shape_name).replace("HPO", "Hpo") + "Args"


def nested_shapes(model: Any) -> list[Any]:
    """Every structure shape below the Create requests' members, in a stable order (by name)."""
    found: dict[str, Any] = {}

    def visit(shape: Any) -> None:
        if shape.type_name == "structure":
            if shape.name in found:
                return
            found[shape.name] = shape
            for member in shape.members.values():
                visit(member)
        elif shape.type_name == "list":
            visit(shape.member)
        elif shape.type_name == "map":
            visit(shape.value)

    for operation in CREATE_OPERATIONS:
        for member in model.operation_model(operation).input_shape.members.values():
            visit(member)
    return [found[name] for name in sorted(found)]


def _type(shape: Any) -> str:
    kind = shape.type_name
    if kind == "structure":
        return f"pulumi.Input[{class_name(shape.name)} | {class_name(shape.name)}Dict]"
    if kind == "list":
        return f"pulumi.Input[Sequence[{_type(shape.member)}]]"
    if kind == "map":
        return f"pulumi.Input[Mapping[str, {_type(shape.value)}]]"
    return f"pulumi.Input[{_SCALARS.get(kind, 'Any')}]"


def _doc(text: str, indent: str) -> list[str]:
    plain = " ".join(html.unescape(_TAG.sub(" ", text or "")).split())
    if not plain:
        return []
    return textwrap.wrap(plain, _WIDTH - len(indent) - 3, initial_indent=f"{indent}#: ",
                         subsequent_indent=f"{indent}#: ")


def _class(shape: Any) -> list[str]:
    name = class_name(shape.name)
    required = set(shape.required_members)
    summary = " ".join(html.unescape(_TAG.sub(" ", shape.documentation or "")).split())
    first = summary.split(". ")[0].rstrip(".") if summary else f"The {shape.name} structure"
    lines = ["", "", "@dataclass", f"class {name}:", f'    """{first[:_WIDTH - 11]}."""', ""]
    typed = ["", "", f"class {name}Dict(TypedDict, total=False):",
             f'    """:class:`{name}` as a dict (snake_case keys; camelCase works too)."""', ""]
    for member_name, member in shape.members.items():
        field = xform_name(member_name)
        annotation = _type(member)
        lines += _doc(member.documentation, "    ")
        typed.append(f"    {field}: {annotation}")
        lines.append(f"    {field}: {annotation}" + ("" if member_name in required else " | None = None"))
    return lines + typed


def generate() -> str:
    """The text of ``args.py`` for the installed botocore model."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("personalize")
    shapes = nested_shapes(model)
    names = sorted([class_name(s.name) for s in shapes] + [class_name(s.name) + "Dict" for s in shapes])
    head = [
        '"""Typed arguments for nested values, the alternative to plain dicts (generated: do not edit).',
        "",
        "Written by ``python -m pulumi_personalize._generate_args`` from botocore's ``personalize`` model:",
        "one dataclass ``<X>Args`` and one TypedDict ``<X>ArgsDict`` per structure the Create requests nest,",
        "fields in snake_case (the resource classes translate them), documentation from the model.  Values",
        "may be ``pulumi.Output``s.  Plain dataclasses, not pydantic, so importing the package stays cheap.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "from dataclasses import dataclass",
        "from typing import TypedDict",
        "",
        "import pulumi",
        "",
        "__all__ = [",
        *(f'    "{n}",' for n in names),
        "]",
    ]
    body: list[str] = []
    for shape in shapes:
        body += _class(_RequiredFirst(shape))
    return "\n".join(head + body) + "\n"


class _RequiredFirst:
    """A shape whose required members come first: a dataclass lists fields without defaults first."""

    def __init__(self, shape: Any) -> None:
        self.name = shape.name
        self.documentation = shape.documentation
        self.required_members = shape.required_members
        required = [(k, v) for k, v in shape.members.items() if k in shape.required_members]
        self.members = dict(required + [(k, v) for k, v in shape.members.items() if k not in shape.required_members])


def main() -> int:
    target = Path(__file__).with_name("args.py")
    target.write_text(generate(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
