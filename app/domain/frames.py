"""The library's frame vocabulary (``lessons/frames.yaml``): one definition, six to eight frames.

A frame is the story a piece tells about events, and it answers four questions: what is the
problem, who or what caused it, who is blamed or praised, what should be done. The file
defines the word once and lists the library's frames, each answering the four questions,
with short examples from the documents. Framing and compare questions name their options
by these frames (:mod:`app.domain.questions`), so every library lesson speaks of frames in
the same words; the app shows the file at ``/frames``.

Pure Python. :func:`compile_frames` validates the file and reports every problem as
``path:line: message`` (:class:`app.domain.filereader.LessonInvalid`). The compiled
vocabulary is a plain dict::

    {"definition": str, "how_to_tell": str,
     "questions": {"problem": str, "cause": str, "blame": str, "remedy": str},
     "frames": [{"id", "name", "problem", "cause", "blame", "remedy",
                 "examples": [{"document", "text"}]}]}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from app.domain.filereader import FileReader, LessonInvalid, read_yaml
from app.domain.text import find_all
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

FILE_NAME = "frames.yaml"
PATH = f"lessons/{FILE_NAME}"
# The four questions every frame answers, in the order the page shows them.
PARTS = ("problem", "cause", "blame", "remedy")
MIN_FRAMES, MAX_FRAMES = 6, 8
MAX_EXAMPLES = 3
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LIMITS = {"definition": 2_000, "how_to_tell": 2_000, "question": 120, "id": 64,
           "name": 60, "part": 400, "example": 600}
# A passage quoted from a document: between curly double quotes, or straight ones.
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")

Vocabulary = Mapping[str, Any]


def compile_frames(text: str, path: str = PATH,
                   documents: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Validate the vocabulary file and return it compiled (see the module docstring).

    With ``documents`` (slug -> exact text), each example's document must be one of them
    and every passage it quotes must appear there word for word. Raises
    :class:`LessonInvalid` with every problem found, each with its line.
    """
    reader = FileReader(path)
    root = read_yaml(text, path)
    top = reader.mapping(root, "the frame vocabulary", 1,
                         ("definition", "questions", "how_to_tell", "frames"))
    if top is None:
        raise LessonInvalid(reader.issues)
    vocabulary: dict[str, Any] = {
        "definition": _text(reader, top, "definition", "the vocabulary", "definition"),
        "how_to_tell": _text(reader, top, "how_to_tell", "the vocabulary", "how_to_tell",
                             required=False),
        "questions": _questions(reader, top),
        "frames": [],
    }
    items = reader.items(top, "frames", "the vocabulary")
    placed: list[tuple[dict[str, Any], LineMap]] = []
    for node, line in items:
        frame = _frame(reader, node, line, documents)
        if frame is not None:
            vocabulary["frames"].append(frame)
            placed.append((frame, node))
    if items and not MIN_FRAMES <= len(items) <= MAX_FRAMES:
        reader.error(reader.line_of(top, "frames"),
                     f"the vocabulary has {len(items)} frames; keep {MIN_FRAMES} to "
                     f"{MAX_FRAMES}, few enough for a student to hold in mind")
    for field in ("id", "name"):
        seen: dict[str, int] = {}
        for frame, node in placed:
            value = frame[field].casefold()
            if not value:
                continue
            if value in seen:
                reader.error(reader.line_of(node, field),
                             f"the frame {field} '{frame[field]}' is used twice (first on line "
                             f"{seen[value]})")
            else:
                seen[value] = reader.line_of(node, field)
    if reader.issues:
        raise LessonInvalid(reader.issues)
    return vocabulary


def _text(reader: FileReader, node: LineMap, key: str, where: str, limit: str, *,
          required: bool = True) -> str:
    value = reader.text(node, key, where, required=required)
    if len(value) > _LIMITS[limit]:
        reader.error(reader.line_of(node, key), f"'{key}' in {where} is {len(value):,} "
                                                f"characters long; keep it under "
                                                f"{_LIMITS[limit]:,}")
    return value


def _questions(reader: FileReader, top: LineMap) -> dict[str, str]:
    node = top.get("questions")
    if node is None:
        reader.error(top.line, f"the vocabulary needs 'questions' (the four a frame answers: "
                               f"{', '.join(PARTS)})")
        return {}
    questions = reader.mapping(node, "'questions'", reader.line_of(top, "questions"), PARTS)
    if questions is None:
        return {}
    return {part: _text(reader, questions, part, "'questions'", "question") for part in PARTS}


def _frame(reader: FileReader, node: Any, line: int,
           documents: Mapping[str, str] | None) -> dict[str, Any] | None:
    item = reader.mapping(node, "a frame", line, ("id", "name", *PARTS, "examples"))
    if item is None:
        return None
    frame_id = _text(reader, item, "id", "a frame", "id")
    where = f"frame '{frame_id}'" if frame_id else "a frame"
    if frame_id and not _ID.match(frame_id):
        reader.error(reader.line_of(item, "id"),
                     "frame ids use only lower-case letters, digits and single hyphens")
    frame: dict[str, Any] = {"id": frame_id, "name": _text(reader, item, "name", where, "name")}
    for part in PARTS:
        frame[part] = _text(reader, item, part, where, "part")
    frame["examples"] = []
    examples = reader.items(item, "examples", where)
    if len(examples) > MAX_EXAMPLES:
        reader.error(reader.line_of(item, "examples"),
                     f"{where} has {len(examples)} examples; give 1 to {MAX_EXAMPLES}")
    for example_node, example_line in examples:
        example = _example(reader, example_node, example_line, where, documents)
        if example is not None:
            frame["examples"].append(example)
    return frame


def _example(reader: FileReader, node: Any, line: int, where: str,
             documents: Mapping[str, str] | None) -> dict[str, str] | None:
    item = reader.mapping(node, f"an example of {where}", line, ("document", "text"))
    if item is None:
        return None
    document = reader.text(item, "document", f"an example of {where}")
    text = _text(reader, item, "text", f"an example of {where}", "example")
    if documents is None or not document:
        return {"document": document, "text": text}
    if document not in documents:
        hint = get_close_matches(document, list(documents), n=1)
        reader.error(reader.line_of(item, "document"),
                     f"unknown document '{shorten(document, 40)}'"
                     + (f" — did you mean '{hint[0]}'?" if hint else ""))
        return None
    for match in _QUOTED.finditer(text):
        quoted = match.group(1) or match.group(2)
        if not find_all(documents[document], quoted, whole_words=False):
            reader.error(reader.line_of(item, "text"),
                         f'the example quotes "{shorten(quoted, 60)}", which is not in '
                         f"'{document}' word for word; quote the document exactly, or say "
                         "it in your own words without quotation marks")
    return {"document": document, "text": text}


# --- looking frames up ---------------------------------------------------------------------

def frame_by_id(vocabulary: Vocabulary, frame_id: str) -> Mapping[str, Any] | None:
    """The frame with this id, or None."""
    return next((frame for frame in vocabulary["frames"] if frame["id"] == frame_id), None)


def frame_by_name(vocabulary: Vocabulary, name: str) -> Mapping[str, Any] | None:
    """The frame with exactly this name (as it is spelled in the file), or None."""
    return next((frame for frame in vocabulary["frames"] if frame["name"] == name), None)


def names(vocabulary: Vocabulary) -> list[str]:
    """The frames' names, in the file's order."""
    return [frame["name"] for frame in vocabulary["frames"]]


def ids(vocabulary: Vocabulary) -> list[str]:
    """The frames' ids, in the file's order."""
    return [frame["id"] for frame in vocabulary["frames"]]


def closest(vocabulary: Vocabulary, wrong: str) -> str:
    """" (did you mean 'x'?)" for the id or name nearest ``wrong``, or ""."""
    hint = get_close_matches(wrong, ids(vocabulary) + names(vocabulary), n=1, cutoff=0.5)
    return f" (did you mean '{hint[0]}'?)" if hint else ""
