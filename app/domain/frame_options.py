"""The options of framing and compare questions, named from the library's frame vocabulary.

An option names its frame by ``frame: <id>`` of ``lessons/frames.yaml`` (its text is then
the frame's name, :mod:`app.domain.frames`) or by ``text``; a text that is exactly a frame's
name is that frame, and a library lesson (``Material.frames_only``) may offer no other. A
framing question marks one option correct, or two when both frames are defensible; a
compare side names its frame and may accept a second (``also_frame``), each with its
evidence. The scorers (:mod:`app.domain.scoring`) accept any of them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.domain import frames as vocab
from app.domain.filereader import FileReader
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

if TYPE_CHECKING:
    from app.domain.questions import Material


def compile_options(reader: FileReader, node: LineMap, where: str, material: Material,
                    id_pattern: re.Pattern[str], *, with_correct: bool) -> list[dict[str, Any]]:
    """A question's options. An option names its frame by ``frame: <id>`` of the vocabulary
    (its text is then the frame's name) or by ``text``; a text that is exactly a frame's
    name is that frame. Compiled options carry ``frame`` (the vocabulary id) when they are
    one of its frames. A framing option's id defaults to a, b, c...; a compare option's to
    the id of the frame it names."""
    fields = ("id", "text", "frame", "feedback", *(("correct",) if with_correct else ()))
    options: list[dict[str, Any]] = []
    items = reader.items(node, "options", where)
    for number, (item_node, line) in enumerate(items):
        item = reader.mapping(item_node, f"an option of {where}", line, fields)
        if item is None:
            continue
        named = _named_frame(reader, item, where, material)
        option_id = reader.text(item, "id", "an option",
                                required=not with_correct and item.get("frame") is None,
                                default=chr(ord("a") + number) if with_correct or named is None
                                else named["id"])
        if named is not None:
            text = named["name"]
        elif item.get("frame") is not None:
            text = ""  # the frame it names was reported; it has no text of its own
        else:
            text = reader.text(item, "text", f"option '{option_id}'")
        option: dict[str, Any] = {"id": option_id, "text": text,
                                  "feedback": reader.text(item, "feedback",
                                                          f"option '{option_id}'")}
        if option_id and not id_pattern.match(option_id):
            reader.error(reader.line_of(item, "id"),
                         "ids may use only lower-case letters, digits, '-' and '_'")
        if named is None and text:
            named = _frame_named(reader, item, text, material)
        if named is not None:
            option["frame"] = named["id"]
        if with_correct:
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                reader.error(reader.line_of(item, "correct"), "'correct' must be true or false")
            option["correct"] = correct is True
        options.append(option)
    if items and not 3 <= len(items) <= 5:
        reader.error(reader.line_of(node, "options"),
                     f"{where} has {len(items)} options; give 3 to 5")
    for field, what in (("id", "option id"), ("text", "frame")):
        counts = Counter(option[field] for option in options if option[field])
        for value, count in counts.items():
            if count > 1:
                reader.error(reader.line_of(node, "options"),
                             f"the {what} '{shorten(value, 60)}' is used twice")
    return options


def _named_frame(reader: FileReader, item: LineMap, where: str,
                 material: Material) -> Mapping[str, Any] | None:
    """The vocabulary frame an option names with ``frame: <id>``, or None (reported)."""
    if item.get("frame") is None:
        return None
    line = reader.line_of(item, "frame")
    frame_id = reader.text(item, "frame", f"an option of {where}")
    if item.get("text") is not None:
        reader.error(line, f"an option of {where} names its frame by 'frame' or by 'text', "
                           "not both")
        return None
    if not frame_id:
        return None
    if material.frames is None:
        reader.error(line, f"'frame: {shorten(frame_id, 40)}' needs the library's frame "
                           f"vocabulary ({vocab.PATH}), which is not loaded here; write the "
                           "frame's name in 'text'")
        return None
    found = vocab.frame_by_id(material.frames, frame_id)
    if found is None:
        reader.error(line, f"no frame '{shorten(frame_id, 40)}' in {vocab.PATH}"
                           f"{vocab.closest(material.frames, frame_id)} (frames: "
                           f"{', '.join(vocab.ids(material.frames))})")
    return found


def _frame_named(reader: FileReader, item: LineMap, text: str,
                 material: Material) -> Mapping[str, Any] | None:
    """The vocabulary frame whose name is ``text``; a library lesson may name no other."""
    found = vocab.frame_by_name(material.frames, text) if material.frames else None
    if found is None and material.frames_only and material.frames is not None:
        reader.error(reader.line_of(item, "text"),
                     f"'{shorten(text, 60)}' is not a frame of {vocab.PATH}"
                     f"{vocab.closest(material.frames, text)}; library lessons offer only its "
                     f"frames: write 'frame: <id>' with one of: "
                     f"{', '.join(vocab.ids(material.frames))}")
    return found


def side_frames(reader: FileReader, side: LineMap, where: str,
                 option_ids: set[str]) -> dict[str, str]:
    """A compare side's frame (an option id) and why; optionally a second defensible frame
    (``also_frame``) with its own evidence (``also_why``)."""
    accepted = {"frame": reader.text(side, "frame", where),
                "frame_why": reader.text(side, "frame_why", where)}
    also = reader.text(side, "also_frame", where, required=False)
    if also or side.get("also_why") is not None:
        accepted["also_frame"] = also
        accepted["also_why"] = reader.text(side, "also_why", where)
        if not also:
            reader.error(reader.line_of(side, "also_why"),
                         f"{where} explains a second frame ('also_why') without naming it "
                         "('also_frame')")
        elif also == accepted["frame"]:
            reader.error(reader.line_of(side, "also_frame"),
                         f"'also_frame' in {where} repeats its frame; name a different one")
    for key in ("frame", "also_frame"):
        value = accepted.get(key)
        if value and option_ids and value not in option_ids:
            reader.error(reader.line_of(side, key),
                         f"frame '{value}' is not an option id ({', '.join(sorted(option_ids))})")
    return accepted
