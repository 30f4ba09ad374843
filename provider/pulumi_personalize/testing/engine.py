"""A small engine over a :class:`Driver` that follows the Pulumi engine's step rules.

What it reproduces, from pulumi's ``pkg/resource/deploy/step_generator.go`` and ``step.go``:

- **up**: Check(old inputs, new inputs), then Diff(old outputs, checked inputs): same, update, or
  replace.  A create-before-delete replacement deletes the old resource at the end of the update
  (:meth:`Deployment.finish`), after its dependents moved to the new one.
- **delete-before-replace** (``calculateDependentReplacements``): before deleting, every resource
  that depends on the one being replaced is asked for a Diff with the dependent properties
  *unknown*; those that answer "replace" are deleted first, in reverse dependency order, and
  re-created when the program registers them again.  Dependencies are inferred the way outputs
  flow in a program: an input that equals another resource's ID (or ``<id>/$LATEST``).
- **refresh** (``RefreshStep``): Read(id, old inputs, old outputs); the outputs, and the inputs
  when the provider returns some, replace the state's.
- **aliases**: a resource registered under a new name finds its state under an alias.
- **plan**: what ``pulumi preview`` would do for a program, without doing it.

It is the provider's public testing API (and what ``python -m pulumi_personalize.quickstart``
runs on); it is not the Pulumi engine, which this project cannot run here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import ResourceProvider

from personalize_api import LATEST_SUFFIX

from .driver import UNKNOWN, CallError, Driver, urn_for

__all__ = ["Deployment", "State"]



@dataclass
class State:
    """One resource in a :class:`Deployment`: its state as the engine stores it."""

    provider: ResourceProvider
    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    #: Top-level input key -> names of the resources whose outputs it uses.
    dependencies: dict[str, set[str]] = field(default_factory=dict)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@dataclass
class Deployment:
    """Program-order ``up`` of one resource at a time, ``destroy`` in reverse; state in memory.

    ``log`` records the step taken per resource as ``pulumi up`` prints it: create, same, update,
    replace, delete-replaced (a dependent deleted ahead of a delete-before-replace), delete.
    """

    driver: Driver
    resources: dict[str, State] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    pending_deletes: list[State] = field(default_factory=list)
    #: Dependents deleted ahead of a delete-before-replace; their next ``up`` re-creates them.
    replaced_dependents: set[str] = field(default_factory=set)

    # -- planning ---------------------------------------------------------------------------------
    def _type_urn(self, provider: ResourceProvider, name: str) -> str:
        return urn_for(type(provider).__name__.removesuffix("Provider"), name)

    def _old(self, name: str, aliases: Iterable[str]) -> State | None:
        """The state registered under ``name`` or, renamed, under one of its aliases (re-keyed in place)."""
        if name in self.resources:
            return self.resources[name]
        for alias in aliases:
            if alias in self.resources:
                state = self.resources[alias]
                self.resources = {name if k == alias else k: v for k, v in self.resources.items()}
                state.urn = self._type_urn(state.provider, name)
                return state
        return None

    def _dependencies(self, name: str, inputs: Mapping[str, Any]) -> dict[str, set[str]]:
        ids = {}
        for other, state in self.resources.items():
            if other != name and state.id:
                ids[state.id] = other
                ids[state.id + LATEST_SUFFIX] = other
        found: dict[str, set[str]] = {}
        for key, value in inputs.items():
            names = {ids[s] for s in _strings(value) if s in ids}
            if names:
                found[key] = names
        return found

    def _checked(self, provider: ResourceProvider, urn: str, old: State | None,
                 inputs: Mapping[str, Any]) -> dict[str, Any]:
        checked = self.driver.check(provider, urn, old.inputs if old else {}, inputs)
        if checked.failures:
            reasons = "; ".join(reason for _, reason in checked.failures)
            raise CallError(f"{urn.rsplit('::', 1)[-1]}: check failed: {reasons}")
        return checked.inputs

    def plan(self, provider: ResourceProvider, name: str, inputs: Mapping[str, Any]) -> str:
        """The step ``pulumi preview`` would show for this resource: create, same, update, replace
        or delete-replace (delete before replace).  Nothing is changed."""
        urn = self._type_urn(provider, name)
        old = self.resources.get(name)
        checked = self._checked(provider, urn, old, inputs)
        if old is None:
            return "create"
        diff = self.driver.diff(provider, urn, old.id, old.outputs, checked)
        if not diff.changes:
            return "same"
        if not diff.replaces:
            return "update"
        return "delete-replace" if diff.delete_before_replace else "replace"

    # -- up ---------------------------------------------------------------------------------------
    def up(self, provider: ResourceProvider, name: str, inputs: Mapping[str, Any], *,
           aliases: Iterable[str] = ()) -> dict[str, Any]:
        """Create, update or replace resource ``name`` (found under ``aliases`` if renamed); its outputs."""
        urn = self._type_urn(provider, name)
        old = self._old(name, aliases)
        checked = self._checked(provider, urn, old, inputs)
        dependencies = self._dependencies(name, checked)
        if old is None:
            id_, outs = self.driver.create(provider, urn, checked)
            step = "replace" if name in self.replaced_dependents else "create"
            self.replaced_dependents.discard(name)
            self._record(name, step, State(provider, urn, id_, checked, outs, dependencies))
            return outs
        diff = self.driver.diff(provider, urn, old.id, old.outputs, checked)
        if not diff.changes:
            old.inputs, old.dependencies = checked, dependencies
            self.log.append((name, "same"))
            return old.outputs
        if not diff.replaces:
            outs = self.driver.update(provider, urn, old.id, old.outputs, checked)
            self._record(name, "update", State(provider, urn, old.id, checked, outs, dependencies))
            return outs
        if diff.delete_before_replace:
            for dependent in reversed(self.dependent_replacements(name)):
                state = self.resources.pop(dependent)
                self.driver.delete(state.provider, state.urn, state.id, state.outputs)
                self.replaced_dependents.add(dependent)
                self.log.append((dependent, "delete-replaced"))
            self.driver.delete(provider, urn, old.id, old.outputs)
            id_, outs = self.driver.create(provider, urn, checked)
        else:
            id_, outs = self.driver.create(provider, urn, checked)
            self.pending_deletes.append(old)
        self._record(name, "replace", State(provider, urn, id_, checked, outs, dependencies))
        return outs

    def dependent_replacements(self, root: str) -> list[str]:
        """The resources a delete-before-replace of ``root`` must delete first, in dependency order.

        As ``calculateDependentReplacements``: each dependent's Diff gets its old inputs with the
        properties that depend on a replaced resource made unknown; "replace" adds it to the set.
        """
        replace_set = {root}
        order = list(self.resources)
        to_replace: list[str] = []
        for name in order[order.index(root) + 1:]:
            state = self.resources[name]
            dependencies = state.dependencies or self._dependencies(name, state.inputs)  # e.g. reloaded state
            hit = {key for key, names in dependencies.items() if names & replace_set}
            if not hit:
                continue
            inputs = {k: (UNKNOWN if k in hit else v) for k, v in state.inputs.items()}
            diff = self.driver.diff(state.provider, state.urn, state.id, state.outputs, inputs)
            if diff.replaces:
                to_replace.append(name)
                replace_set.add(name)
        return to_replace

    def finish(self) -> None:
        """Delete the resources replaced create-before-delete, newest first."""
        while self.pending_deletes:
            old = self.pending_deletes.pop()
            self.driver.delete(old.provider, old.urn, old.id, old.outputs)

    # -- refresh, destroy -------------------------------------------------------------------------
    def refresh(self, name: str) -> dict[str, Any] | None:
        """Read resource ``name`` back as ``pulumi refresh`` does; None (and forgotten) when it is gone."""
        state = self.resources[name]
        read = self.driver.read(state.provider, state.urn, state.id, state.outputs, state.inputs)
        if not read.id:
            del self.resources[name]
            return None
        state.outputs = read.outputs
        if read.inputs is not None:
            state.inputs = read.inputs
        return read.outputs

    def destroy(self) -> None:
        """Delete every resource, newest first."""
        self.finish()
        for name in reversed(list(self.resources)):
            state = self.resources.pop(name)
            self.driver.delete(state.provider, state.urn, state.id, state.outputs)
            self.log.append((name, "delete"))

    def _record(self, name: str, step: str, state: State) -> None:
        self.resources[name] = state
        self.log.append((name, step))
