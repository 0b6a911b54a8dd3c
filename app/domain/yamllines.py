"""The one YAML reader for text people write: guarded, and remembering line numbers.

Lesson files (imported, pasted, synced or edited as drafts), the documents catalogue and
the lens's lexicon are written by teachers and developers; every problem in them is
reported as ``line N: message``. This reader builds plain dicts and lists that also carry
the line of themselves and of each key or item, reports a key given twice, and reads
YAML 1.1's yes/no/on/off as the words they are (in a lesson, "no" is more often a quoted
word than a boolean).

It is also the guard in front of libyaml for text from anyone with a teacher account, so
no text can crash, stall or swell a worker:

* size: at most :data:`MAX_CHARS` characters;
* depth: at most :data:`MAX_DEPTH` levels of lists and mappings, estimated by
  :func:`app.domain.yamldepth.too_deep` before the parser runs and counted exactly, event
  by event, while it runs (the tree is built without recursion);
* no anchors or aliases (``&name`` / ``*name``): lesson files never need them, and an
  alias that is never expanded cannot multiply ("billion laughs");
* at most :data:`MAX_NODES` values;
* only the plain types lesson files use (text, whole numbers, decimals, true/false,
  null, lists, mappings): any other tag (``!foo``, ``!!python/name:...``, ``!!binary``)
  is refused, a date-like word (``2024-02-30``) stays text, a number may be at most
  :data:`MAX_NUMBER_CHARS` long, and an explicit ``!!int`` must be a whole number;
* no control characters (a NUL cannot be stored by PostgreSQL), not even written as an
  escape (``"\\0"``).

Every refusal is a :class:`YamlProblem` listing ``(line, message)`` pairs.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.domain.textinput import Forbidden, first_forbidden, shorten
from app.domain.yamldepth import too_deep

MAX_CHARS = 500_000  # the import form's limit; the longest shipped lesson is 31,000
MAX_DEPTH = 20  # lesson files nest 7 levels deep, the lexicon 5
MAX_NODES = 50_000  # the largest shipped lesson has about 1,000 values
MAX_NUMBER_CHARS = 100  # Python refuses to read integers of more than 4,300 digits
MAX_PROBLEMS = 20  # then stop: the first ones are enough to start fixing

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.SafeLoader("")
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {"!", f"{_TAG}seq", f"{_TAG}map"}
_TOO_DEEP = (f"nested too deep: at most {MAX_DEPTH} levels of lists and mappings (a lesson "
             "file needs 7)")
_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class LineMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict[str, int]


class LineSeq(list):  # type: ignore[type-arg]
    """A sequence that remembers its own line and the line of each item."""

    line: int = 1
    item_lines: list[int]


class YamlProblem(ValueError):
    """The text is not valid YAML, repeats a key or breaks a guard; ``problems`` are
    ``(line, message)``."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))
        self.problems = problems


class _Stop(Exception):
    """Reading must stop here (too deep, too many values or problems)."""


def _check_text(text: str) -> None:
    """The guards that need no parser: type, size, encodable text, nesting depth."""
    if not isinstance(text, str):
        raise YamlProblem([(1, "the file must be text")])
    if len(text) > MAX_CHARS:
        raise YamlProblem([(1, f"the file is {len(text):,} characters long; at most "
                               f"{MAX_CHARS:,} can be read")])
    # The text-input rule (tab and line breaks are text), checked before libyaml, which
    # would name a byte offset instead of a line.
    bad = first_forbidden(text, multiline=True)
    if bad:
        raise YamlProblem([(bad.line, _control_message(bad))])
    deep = too_deep(text, MAX_DEPTH)
    if deep is not None:
        raise YamlProblem([(deep, _TOO_DEEP)])


class _Builder:
    """Builds LineMap / LineSeq trees from parser events, with an explicit stack."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.stack: list[list[Any]] = []  # [container, own line, pending key, key line]
        self.root: Any = None
        self.nodes = 0
        self.documents = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append((line, "too many problems; fix these first"))
            raise _Stop

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problems.append((line, "not valid YAML: expected a single document "
                                            "in the stream, found another"))
                raise _Stop
            return
        if isinstance(event, yaml.AliasEvent):
            self.problem(line, f"'*{event.anchor}' repeats another part of the file (an "
                               "alias); lesson files do not use aliases — write the value out")
            self.attach(None, line)
            return
        if isinstance(event, _ENDS):
            container, own_line, _, _ = self.stack.pop()
            self.attach(container, own_line)
            return
        if not isinstance(event, (*_STARTS, yaml.ScalarEvent)):
            return
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.problems.append((line, f"too many values: at most {MAX_NODES:,} in one file"))
            raise _Stop
        if event.anchor is not None:
            self.problem(line, f"'&{event.anchor}' marks a part of the file to repeat (an "
                               "anchor); lesson files do not use anchors or aliases")
        if isinstance(event, yaml.ScalarEvent):
            self.attach(self.scalar(event, line), line)
            return
        if event.tag is not None and event.tag not in _COLLECTION_TAGS:
            self.problem(line, f"the tag '{_short_tag(event.tag)}' is not used in lesson files "
                               "(lists and mappings need none)")
        if len(self.stack) >= MAX_DEPTH:
            self.problems.append((line, _TOO_DEEP))
            raise _Stop
        container: LineMap | LineSeq
        if isinstance(event, yaml.MappingStartEvent):
            container = LineMap()
            container.key_lines = {}
        else:
            container = LineSeq()
            container.item_lines = []
        container.line = line
        self.stack.append([container, line, _NO_KEY, 0])

    def attach(self, value: Any, line: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, LineSeq):
            container.append(value)
            container.item_lines.append(line)
        elif frame[2] is _NO_KEY:
            frame[2], frame[3] = str(value), line
        else:
            key, key_line = frame[2], frame[3]
            if key in container:
                self.problem(key_line, f"the key '{key}' appears twice")
            container[key] = value
            container.key_lines[key] = key_line
            frame[2] = _NO_KEY

    def scalar(self, event: yaml.ScalarEvent, line: int) -> Any:
        value = event.value
        control = first_forbidden(value, multiline=True)
        if control:  # written as an escape ("\\0") inside double quotes
            self.problem(line, _control_message(control))
            return value
        tag = event.tag
        if tag == "!":
            return value
        if tag is None:
            tag = _SCALARS.resolve(yaml.ScalarNode, value, event.implicit)
        elif tag not in _PLAIN_TAGS:
            self.problem(line, f"the tag '{_short_tag(tag)}' is not used in lesson files "
                               "(only text, numbers, true/false and null)")
            return value
        elif tag in (f"{_TAG}bool", f"{_TAG}null") and tag != _SCALARS.resolve(
                yaml.ScalarNode, value, (True, False)):
            self.problem(line, f"'{shorten(value, 40)}' is not {_KIND[tag]}")
            return value
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}bool":
            # yes/no/on/off are the words they are; only true/false are booleans.
            lowered = value.lower()
            return lowered == "true" if lowered in ("true", "false") else value
        if tag in (f"{_TAG}int", f"{_TAG}float"):
            if len(value) > MAX_NUMBER_CHARS:
                self.problem(line, f"a number of {len(value):,} characters is too long (at "
                                   f"most {MAX_NUMBER_CHARS}); put it in quotes if it is text")
                return value
            node = yaml.ScalarNode(tag, value)
            try:
                if tag == f"{_TAG}int":
                    return _SCALARS.construct_yaml_int(node)
                return _SCALARS.construct_yaml_float(node)
            except (ValueError, IndexError):  # only an explicit "!!int abc" gets here
                self.problem(line, f"'{shorten(value, 40)}' is not {_KIND[tag]}")
                return value
        # Strings, and what YAML 1.1 would read as a date, a merge key or "=": text.
        return value


_NO_KEY = object()
_KIND = {f"{_TAG}int": "a whole number", f"{_TAG}float": "a number",
         f"{_TAG}bool": "true or false", f"{_TAG}null": "null"}


def _control_message(found: Forbidden) -> str:
    return f"the text holds {found.describe()}; a lesson cannot store it"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _parse_problem(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return (mark.line + 1 if mark else 1), f"not valid YAML: {error.problem or error}"
    return 1, f"not valid YAML: {error}"


def load(text: str) -> Any:
    """Parse ``text`` into :class:`LineMap` / :class:`LineSeq` / scalars.

    Raises :class:`YamlProblem` (with the line of each problem) for text that is not
    valid YAML, repeats a key in one mapping, or breaks one of the guards above.
    """
    _check_text(text)
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Stop:
        pass
    except yaml.YAMLError as error:
        builder.problems.append(_parse_problem(error, text))
    if builder.problems:
        raise YamlProblem(builder.problems)
    return builder.root


def plain(value: Any) -> Any:
    """``value`` with every LineMap / LineSeq turned into a plain dict / list (for
    code that writes YAML back, which knows only the plain types)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
