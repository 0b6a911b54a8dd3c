"""YAML that remembers line numbers, for files people write by hand.

Lesson files and the lens's lexicon are edited by teachers and developers; every problem
in them is reported as ``path:line: message``. This reader builds plain dicts and lists
that also carry the line of themselves and of each key or item, reports a key given
twice, and reads YAML 1.1's yes/no/on/off as the words they are (in a lesson, "no" is
more often a quoted word than a boolean).
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.SafeLoader("")


class LineMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict[str, int]


class LineSeq(list):  # type: ignore[type-arg]
    """A sequence that remembers its own line and the line of each item."""

    line: int = 1
    item_lines: list[int]


class YamlProblem(ValueError):
    """The text is not valid YAML, or repeats a key; ``problems`` are ``(line, message)``."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))
        self.problems = problems


def _from_node(node: yaml.Node, problems: list[tuple[int, str]]) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping = LineMap()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = str(_from_node(key_node, problems))
            line = key_node.start_mark.line + 1
            if key in mapping:
                problems.append((line, f"the key '{key}' appears twice"))
            mapping[key] = _from_node(value_node, problems)
            mapping.key_lines[key] = line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = LineSeq(_from_node(child, problems) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence
    if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
        return node.value
    return _SCALARS.construct_object(node)


def load(text: str) -> Any:
    """Parse ``text`` into :class:`LineMap` / :class:`LineSeq` / scalars.

    Raises :class:`YamlProblem` (with the line of each problem) for invalid YAML or a
    key given twice in one mapping.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem([(line, f"not valid YAML: {error.problem or error}")]) from error
    except yaml.YAMLError as error:
        raise YamlProblem([(1, f"not valid YAML: {error}")]) from error
    problems: list[tuple[int, str]] = []
    data = _from_node(node, problems) if node is not None else None
    if problems:
        raise YamlProblem(problems)
    return data
