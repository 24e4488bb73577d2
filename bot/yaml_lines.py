"""YAML read with the line of every key and list item, so errors can say where to look.

A clinician editing ``rules.yaml`` needs "line 212: unknown key 'phrase'", not a Python path.
PyYAML knows the lines while parsing; this loader keeps them on the dicts and lists it builds,
and refuses a key written twice in one mapping (plain YAML would silently keep the last one,
dropping phrases someone meant to add).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml


class YamlLineError(ValueError):
    """Malformed YAML, with the (1-based) line it was found on."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in result
        except TypeError:
            raise YamlLineError(line, "a key must be a single word or phrase") from None
        if duplicate:
            first = result.key_lines[key]
            raise YamlLineError(line, f"{key!r} is written twice in one place (also line {first})")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_with_lines(text: str) -> Any:
    """Parse ``text``; raises :class:`YamlLineError` for bad syntax or a repeated key."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or "is not valid YAML"
        if error.context and error.context_mark and error.context_mark.line + 1 != line:
            problem += f" ({error.context} on line {error.context_mark.line + 1})"
        raise YamlLineError(line, problem) from None
    except yaml.YAMLError as error:
        raise YamlLineError(1, f"is not valid YAML ({error})") from None


def line_of(tree: Any, location: Sequence[str | int]) -> int:
    """The line of the deepest part of ``location`` (a pydantic error location) that exists."""
    line = getattr(tree, "line", 1)
    node = tree
    for part in location:
        if isinstance(node, LineDict) and part in node.key_lines:
            line = node.key_lines[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def describe_problem(problem: Any) -> str:
    """A pydantic error in a clinician's words, with where in the file it is."""
    location = problem["loc"]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
    where = where.lstrip(".")
    if problem["type"] == "extra_forbidden":
        parent = where.rsplit(".", 1)[0] if "." in where else "the file"
        return f"unknown key {location[-1]!r} in {parent}"
    if problem["type"] == "missing":
        return f"{where}: this is required but missing"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
