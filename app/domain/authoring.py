"""Authoring lessons in the browser: a lesson source as a plain dict, and back to YAML.

A lesson written in the browser is the same thing as a lesson file: a dict with the
structure documented in ``lessons/README.md``, stored as YAML text and checked by
:func:`app.domain.lessons.compile_lesson` like every file. The pure pieces the editor
needs live here:

* :func:`emit_lesson` writes a source dict as canonical YAML (fields in the documented
  order, long text as block scalars) that parses back to the same dict;
* :func:`phrase_for`, :func:`phrases_for` and :func:`sentence_phrase` turn what a teacher
  marked on an excerpt (word or sentence indices, the same ones students submit) into
  key phrases, with the ``occurrence`` that makes a repeated phrase unambiguous;
* :func:`quote_for` cuts a verbatim excerpt from a document by sentence range, and
  :func:`quote_in_context` finds a stored quote again, with the text around it;
* :func:`rekey` replaces a key list by new marks, keeping the explanations written so far;
* :func:`rescore` scores an old attempt's responses against a newer version of the lesson,
  or says why that would not be fair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any

import yaml

from app.domain import yamllines
from app.domain.lessons import KINDS, LessonInvalid, LessonIssue, read_yaml
from app.domain.scoring import score_question
from app.domain.text import Span, find_all, sentences, words, words_in

# The documented order of every field, whatever mapping it appears in (lesson, excerpt,
# question, option, phrase entry, compare side). Unknown fields follow in their own order.
FIELD_ORDER = (
    "slug", "title", "summary", "level", "minutes", "goals", "status", "excerpts", "questions",
    "id", "kind", "prompt", "document", "quote", "excerpt", "options", "phrase", "occurrence",
    "text", "correct", "neutral", "reason", "why", "feedback", "frame", "frame_why",
    "phrases", "signals", "gaps", "controls", "sides", "terms",
)
_RANK = {name: rank for rank, name in enumerate(FIELD_ORDER)}
# Text longer than this is written as a folded block (wrapped, easy to read and diff).
_FOLD_AFTER = 72
_WIDTH = 88
# Line breaks YAML reads but Python's "\n"-based line handling does not: always escaped.
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")
# A sourcing phrase quotes at least this many words of its sentence (fewer if it is short).
_SENTENCE_PHRASE_WORDS = 6


# --- canonical YAML --------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key, as the shipped lesson files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _scalar_style(value: str) -> str | None:
    """Folded block for long lines, literal block for short lines with breaks, else PyYAML's
    choice (plain when safe, quoted when not). PyYAML falls back to quotes by itself when a
    block cannot hold the text exactly (trailing spaces, control characters)."""
    if any(ch in _OTHER_BREAKS for ch in value):
        return '"'
    if value.endswith("\n"):
        # A block would need "keep" chomping, which the blank lines between sections
        # would then join; quoted text is exact.
        return '"'
    # Folding cannot be trusted next to "more indented" lines (a line starting with a
    # space): their line breaks are kept, not folded, and PyYAML may break there.
    foldable = not re.search(r"(^|\n)[ \t]", value)
    if foldable and any(len(line) > _FOLD_AFTER for line in value.split("\n")):
        return ">"
    return "|" if "\n" in value else None


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_scalar_style(value))


def _field_rank(item: tuple[Any, Any]) -> tuple[int, int]:
    key = item[0]
    return (_RANK.get(key, len(_RANK)), 0) if isinstance(key, str) else (len(_RANK), 0)


def _represent_dict(dumper: _Dumper, value: Mapping[Any, Any]) -> yaml.MappingNode:
    # sorted() is stable: unknown fields keep the order they were given in.
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(value.items(), key=_field_rank))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)


def emit_lesson(source: Mapping[str, Any]) -> str:
    """Write a lesson source dict as canonical lesson-file YAML.

    Fields come in the documented order (see :data:`FIELD_ORDER`), lists are indented
    under their key, text with line breaks is a literal block and long text a folded
    block, and a blank line separates the excerpts, the questions and each question.
    The output always parses back to ``source`` (``parse_source(emit_lesson(x)) == x``),
    so emitting is idempotent.
    """
    text = yaml.dump(dict(source), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=_WIDTH, default_flow_style=False)
    return _space_sections(text)


def _space_sections(text: str) -> str:
    """Put a blank line before ``excerpts:``, ``questions:`` and every question but the first.

    Safe because no emitted block keeps trailing line breaks (see :func:`_scalar_style`):
    a blank line before a new node is never part of the previous value.
    """
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        return text  # cannot happen for emitted text within the reader's limits
    if not isinstance(root, yamllines.LineMap):
        return text
    breaks: set[int] = set()
    for key, value in root.items():
        line = root.key_lines[key]
        if key in ("excerpts", "questions") and line > 1:
            breaks.add(line - 1)
        if key == "questions" and isinstance(value, yamllines.LineSeq):
            breaks.update(item_line - 1 for item_line in value.item_lines[1:])
    lines = text.split("\n")
    return "\n".join(("\n" if number in breaks else "") + line
                     for number, line in enumerate(lines))


def parse_source(text: str, path: str = "lesson.yaml") -> dict[str, Any]:
    """Read lesson-file YAML into a plain dict (the inverse of :func:`emit_lesson`).

    Read by the guarded reader the compiler uses (:mod:`app.domain.yamllines`), so the
    editor sees the same values the compiler checks ("no" stays a word). Raises
    :class:`~app.domain.lessons.LessonInvalid` (with the line) when the text is not
    YAML, repeats a key, breaks a guard, or is not a mapping of fields.
    """
    data = read_yaml(text, path)
    if not isinstance(data, dict):
        raise LessonInvalid([LessonIssue(path, 1, "a lesson must be a mapping of "
                                                  "'field: value' lines")])
    return yamllines.plain(data)


# --- phrases from marks -----------------------------------------------------------------

def word_runs(indices: Iterable[int]) -> list[list[int]]:
    """Split indices into runs of consecutive numbers: ``[4, 1, 2, 7] -> [[1, 2], [4], [7]]``."""
    ordered = sorted(set(indices))
    return [[index for _, index in run]
            for _, run in groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0])]


def _one_line(text: str) -> str:
    """A line break (and the spaces around it) reads as one space, as the matcher treats it."""
    return re.sub(r"\s*\n\s*", " ", text)


def _unambiguous(text: str, start: int, end: int, *, whole_words: bool) -> tuple[str, int | None]:
    """The text of ``text[start:end]`` and the occurrence number that picks this one."""
    phrase = _one_line(text[start:end])
    matches = find_all(text, phrase, whole_words=whole_words)
    if len(matches) == 1:
        return phrase, None
    position = next((number for number, match in enumerate(matches, start=1)
                     if match.start == start and match.end == end), None)
    if position is None:  # cannot happen for spans cut on word boundaries
        raise ValueError(f"cannot find {phrase!r} where it was marked")
    return phrase, position


def phrase_for(excerpt_text: str, word_indices: Iterable[int]) -> tuple[str, int | None]:
    """The phrase covering consecutive marked words, and its occurrence if it repeats.

    ``word_indices`` are indices into :func:`app.domain.text.words` of the excerpt (what
    a checkbox submits). The phrase is the excerpt's own text from the first word to the
    last, a line break read as a space. The occurrence is ``None`` when the phrase occurs
    once in the excerpt, else its number (1 = first) as ``occurrence:`` expects. Raises
    ``ValueError`` for no words, an index outside the excerpt, or a gap in the run.
    """
    indices = sorted(set(word_indices))
    spans = words(excerpt_text)
    if not indices:
        raise ValueError("no word is marked")
    if indices[0] < 0 or indices[-1] >= len(spans):
        raise ValueError("a marked word is not in this excerpt")
    if indices != list(range(indices[0], indices[-1] + 1)):
        raise ValueError("the marked words are not consecutive; use phrases_for")
    return _unambiguous(excerpt_text, spans[indices[0]].start, spans[indices[-1]].end,
                        whole_words=True)


@dataclass(frozen=True, slots=True)
class MarkedPhrase:
    """A key phrase made from marks: its text, occurrence, and the units it covers."""

    phrase: str
    occurrence: int | None
    units: tuple[int, ...]


def phrases_for(excerpt_text: str, word_indices: Iterable[int]) -> list[MarkedPhrase]:
    """One phrase per run of consecutive marked words (see :func:`phrase_for`)."""
    result = []
    for run in word_runs(word_indices):
        phrase, occurrence = phrase_for(excerpt_text, run)
        result.append(MarkedPhrase(phrase, occurrence, tuple(run)))
    return result


def sentence_phrase(excerpt_text: str, sentence_index: int) -> tuple[str, int | None]:
    """A phrase that picks out one sentence of the excerpt, for ``sourcing`` keys.

    The opening words of the sentence (at least six, or all of a shorter sentence), as
    many more as it takes to occur only once in the excerpt; a sentence that repeats in
    full gets its occurrence number. Raises ``ValueError`` for an index outside the
    excerpt's :func:`app.domain.text.sentences`.
    """
    spans = sentences(excerpt_text)
    if not 0 <= sentence_index < len(spans):
        raise ValueError("that sentence is not in this excerpt")
    sentence = spans[sentence_index]
    tokens = words(excerpt_text)
    inside = words_in(tokens, sentence.start, sentence.end)
    first = tokens[inside[0]].start
    for count in range(min(_SENTENCE_PHRASE_WORDS, len(inside)), len(inside) + 1):
        phrase = _one_line(excerpt_text[first:tokens[inside[count - 1]].end])
        if len(find_all(excerpt_text, phrase)) == 1:
            return phrase, None
    return _unambiguous(excerpt_text, first, tokens[inside[-1]].end, whole_words=True)


def locate(text: str, phrase: Any, occurrence: Any = None, *,
           whole_words: bool = True) -> Span | None:
    """Where the compiler would find ``phrase`` (and ``occurrence``) in ``text``, or None.

    None when the phrase is missing, ambiguous without an occurrence, or the occurrence
    is out of range: the compiler reports those, the editor just cannot show the phrase.
    """
    if isinstance(phrase, int | float) and not isinstance(phrase, bool):
        phrase = str(phrase)
    if not isinstance(phrase, str) or not phrase.strip():
        return None
    matches = find_all(text, phrase.strip(), whole_words=whole_words)
    if occurrence is None:
        return matches[0] if len(matches) == 1 else None
    if isinstance(occurrence, bool) or not isinstance(occurrence, int):
        return None
    return matches[occurrence - 1] if 1 <= occurrence <= len(matches) else None


def entry_units(entry: Mapping[str, Any], excerpt_text: str, unit: str) -> list[int] | None:
    """The word indices (``unit="word"``) or the one sentence index a key entry points at.

    None when its phrase cannot be found, or a sourcing phrase spans several sentences.
    """
    span = locate(excerpt_text, entry.get("phrase"), entry.get("occurrence"))
    if span is None:
        return None
    if unit == "word":
        return words_in(words(excerpt_text), span.start, span.end) or None
    hits = words_in(sentences(excerpt_text), span.start, span.end)
    return hits if len(hits) == 1 else None


def rekey(entries: Sequence[Mapping[str, Any]], excerpt_text: str, marked: Iterable[int],
          unit: str, fields: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Replace a key list (``phrases``, ``gaps``, ``terms``...) by what is marked now.

    With ``unit="word"`` each run of consecutive marked words becomes one entry; with
    ``unit="sentence"`` each marked sentence does. An entry that covers exactly the same
    words (or sentence) as before keeps its phrase and its ``fields`` (neutral wording,
    reason, why); a new one gets empty fields for the teacher to fill in. Entries are
    ordered as they occur in the excerpt. Returns the new list and the phrases of old
    entries that could not be found in the excerpt any more (dropped, so the teacher can
    be told).
    """
    known: dict[tuple[int, ...], Mapping[str, Any]] = {}
    lost: list[str] = []
    for entry in entries:
        units = entry_units(entry, excerpt_text, unit)
        if units is None:
            lost.append(str(entry.get("phrase", "")))
        else:
            known[tuple(units)] = entry
    if unit == "word":
        marks = [(m.units, m.phrase, m.occurrence) for m in phrases_for(excerpt_text, marked)]
    else:
        marks = [((index,), *sentence_phrase(excerpt_text, index))
                 for index in sorted(set(marked))]
    result = []
    for units, phrase, occurrence in marks:
        old = known.get(tuple(units))
        if old is not None:
            phrase, occurrence = str(old["phrase"]).strip(), old.get("occurrence")
        entry: dict[str, Any] = {"phrase": phrase}
        if occurrence is not None:
            entry["occurrence"] = occurrence
        for name in fields:
            entry[name] = old.get(name, "") if old is not None else ""
        result.append(entry)
    return result, lost


# --- excerpts by sentence range --------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Quote:
    """An excerpt cut from a document, with where it sits and the text around it.

    ``text`` is the document's exact text; ``quote`` is what the lesson file stores (the
    same, minus spaces at the ends of lines, which the matcher ignores). ``first`` and
    ``last`` are sentence indices of the document; ``before``/``after`` hold up to a few
    sentences of context for display.
    """

    text: str
    quote: str
    start: int
    end: int
    first: int
    last: int
    occurrence: int | None
    before: str
    after: str


_CONTEXT_SENTENCES = 2


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]+\n", "\n", text)


def quote_for(document_text: str, first_sentence: int, last_sentence: int) -> Quote:
    """The verbatim excerpt running from one sentence of a document to another.

    Sentence indices are those of :func:`app.domain.text.sentences` (what the sentence
    checkboxes submit). ``occurrence`` is set when the same text occurs more than once in
    the document. Raises ``ValueError`` for indices out of range or in the wrong order.
    """
    spans = sentences(document_text)
    if not 0 <= first_sentence <= last_sentence < len(spans):
        raise ValueError("choose a first and a last sentence of the document, in order")
    start, end = spans[first_sentence].start, spans[last_sentence].end
    matches = find_all(document_text, document_text[start:end], whole_words=False)
    occurrence = None
    if len(matches) > 1:
        occurrence = next(number for number, match in enumerate(matches, start=1)
                          if match.start == start)
    return _quote(document_text, spans, start, end, occurrence)


def _quote(document_text: str, spans: list[Span], start: int, end: int,
           occurrence: int | None) -> Quote:
    inside = words_in(spans, start, end)
    first, last = inside[0], inside[-1]
    before_start = spans[max(0, first - _CONTEXT_SENTENCES)].start
    after_end = spans[min(len(spans) - 1, last + _CONTEXT_SENTENCES)].end
    text = document_text[start:end]
    return Quote(text=text, quote=_tidy(text), start=start, end=end, first=first, last=last,
                 occurrence=occurrence, before=document_text[before_start:start],
                 after=document_text[end:max(end, after_end)])


def quote_in_context(document_text: str, quote: Any, occurrence: Any = None) -> Quote | None:
    """Find a stored excerpt quote in its document, as the compiler does, with context.

    None when the quote is not (unambiguously) in the document. Results are cached: the
    editor asks for the same excerpts on every page, and documents are long.
    """
    if not isinstance(quote, str) or not (occurrence is None or isinstance(occurrence, int)):
        return None
    return _quote_in_context(document_text, quote, occurrence)


@lru_cache(maxsize=256)
def _quote_in_context(document_text: str, quote: str, occurrence: int | None) -> Quote | None:
    span = locate(document_text, quote, occurrence, whole_words=False)
    if span is None:
        return None
    spans = sentences(document_text)
    if not words_in(spans, span.start, span.end):
        return None
    return _quote(document_text, spans, span.start, span.end,
                  occurrence if isinstance(occurrence, int) else None)


# --- a source from a compiled lesson ------------------------------------------------------

def _occurrence(matches: list[Span], chosen: Span | None) -> int | None:
    if len(matches) < 2 or chosen is None:
        return None
    return matches.index(chosen) + 1


def _keyed(text: str, item: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """A compiled key entry back as ``phrase`` (+ ``occurrence``) and its ``fields``."""
    matches = find_all(text, item["text"])
    if "sentence" in item:
        spans = sentences(text)
        chosen = next((m for m in matches if words_in(spans, m.start, m.end)
                       == [item["sentence"]]), None)
    else:
        tokens = words(text)
        chosen = next((m for m in matches if words_in(tokens, m.start, m.end)
                       == list(item["words"])), None)
    entry: dict[str, Any] = {"phrase": _one_line(item["text"])}
    occurrence = _occurrence(matches, chosen)
    if occurrence is not None:
        entry["occurrence"] = occurrence
    entry.update({name: item.get(name, "") for name in fields})
    return entry


def _entries(text: str, items: Sequence[Mapping[str, Any]] | None,
             fields: Sequence[str]) -> list[dict[str, Any]]:
    return [_keyed(text, item, fields) for item in items or []]


def source_from_content(content: Mapping[str, Any],
                        documents: Mapping[str, str]) -> dict[str, Any]:
    """Rebuild a lesson source from a compiled lesson that was stored without its file.

    The result compiles (against the same ``documents``) back to the same lesson, so
    such a version can still be exported, copied and edited.
    """
    source: dict[str, Any] = {name: content[name] for name in ("slug", "title", "summary",
                                                                "level")}
    if content.get("minutes") is not None:
        source["minutes"] = content["minutes"]
    if content.get("goals"):
        source["goals"] = list(content["goals"])
    if content.get("status", "published") != "published":
        source["status"] = content["status"]
    texts, excerpts = {}, []
    for excerpt in content["excerpts"]:
        texts[excerpt["id"]] = excerpt["text"]
        entry: dict[str, Any] = {"id": excerpt["id"], "document": excerpt["document"],
                                 "quote": _tidy(excerpt["text"])}
        document = documents.get(excerpt["document"], "")
        matches = find_all(document, excerpt["text"], whole_words=False)
        occurrence = _occurrence(matches, next(
            (m for m in matches if m.start == excerpt["start"]), None))
        if occurrence is not None:
            entry["occurrence"] = occurrence
        excerpts.append(entry)
    source["excerpts"] = excerpts
    source["questions"] = [_question_source(question, texts)
                           for question in content["questions"]]
    return source


def _question_source(question: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    kind = question["kind"]
    entry: dict[str, Any] = {"id": question["id"], "kind": kind, "prompt": question["prompt"]}
    if kind == "compare":
        entry["options"] = [{"id": o["id"], "text": o["text"], "feedback": o["feedback"]}
                            for o in question["options"]]
        entry["sides"] = [{"excerpt": side["excerpt"], "frame": side["frame"],
                           "frame_why": side["frame_why"],
                           "terms": _entries(texts[side["excerpt"]], side["terms"],
                                             ("neutral", "why"))}
                          for side in question["sides"]]
        entry.update({name: question[name] for name in ("about", "mark") if name in question})
        return entry
    text = texts[question["excerpt"]]
    entry["excerpt"] = question["excerpt"]
    if "about" in question:
        entry["about"] = list(question["about"])
    if kind == "framing":
        entry["options"] = [{"id": o["id"], "text": o["text"], "correct": o["correct"],
                             "feedback": o["feedback"]} for o in question["options"]]
    lists = {"loaded_terms": (("phrases", ("neutral", "why")), ("controls", ("why",))),
             "framing": (("signals", ("why",)),),
             "sourcing": (("gaps", ("reason", "why")), ("controls", ("why",)))}[kind]
    for name, fields in lists:
        entries = _entries(text, question.get(name), fields)
        if entries or name in ("phrases", "gaps"):
            entry[name] = entries
    return entry


# --- ids, slugs and new questions ---------------------------------------------------------

def slugify(title: str, limit: int = 40) -> str:
    """Lower-case ASCII words of ``title`` joined by hyphens ("" when none are left)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-")


def replace_slug(text: str, slug: str) -> str | None:
    """``text`` with its ``slug:`` line changed to ``slug``, everything else byte for byte.

    None when there is not exactly one simple top-level ``slug:`` line to change.
    """
    pattern = re.compile(r"^slug:[ \t]*(['\"]?)[A-Za-z0-9_-]*\1[ \t]*(#.*)?$", re.MULTILINE)
    found = list(pattern.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    comment = f"  {match.group(2)}" if match.group(2) else ""
    return text[:match.start()] + f"slug: {slug}{comment}" + text[match.end():]


_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def valid_id(value: Any) -> bool:
    """True for an id the lesson format accepts (lower-case letters, digits, '-', '_')."""
    return isinstance(value, str) and bool(_ID.match(value))


def next_id(prefix: str, taken: Iterable[Any]) -> str:
    """The first of ``prefix1``, ``prefix2``, ... that is not in ``taken``."""
    used = set(taken)
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def new_question(kind: str, question_id: str, excerpt_ids: Sequence[str]) -> dict[str, Any]:
    """An empty question of ``kind`` on the given excerpt(s), ready to be keyed.

    It does not compile yet (no key, no options): the editor shows what is missing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    question: dict[str, Any] = {"id": question_id, "kind": kind}
    if kind == "compare":
        question["options"] = []
        question["sides"] = [{"excerpt": ref, "frame": "", "frame_why": "", "terms": []}
                             for ref in excerpt_ids]
        return question
    question["excerpt"] = excerpt_ids[0]
    question[{"loaded_terms": "phrases", "framing": "options", "sourcing": "gaps"}[kind]] = []
    return question


# --- where the keys live in a question ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class KeyList:
    """One list of key phrases in a question, as the editor marks and explains it."""

    name: str            # "phrases", "controls", "signals", "gaps" or "terms-<side>"
    field: str           # the list's field in the question (or side)
    side: int | None     # compare: which side
    unit: str            # "word" or "sentence"
    fields: tuple[str, ...]
    label: str
    required: bool


_KEY_LISTS: dict[str, tuple[tuple[str, str, tuple[str, ...], str, bool], ...]] = {
    "loaded_terms": (
        ("phrases", "word", ("neutral", "why"), "Loaded words and phrases", True),
        ("controls", "word", ("why",), "Neutral controls (optional)", False),
    ),
    "framing": (("signals", "word", ("why",), "Words that signal the frame (optional)", False),),
    "sourcing": (
        ("gaps", "sentence", ("reason", "why"), "Sentences with a sourcing gap", True),
        ("controls", "sentence", ("why",),
         "Sourced or neutral sentences (controls, optional)", False),
    ),
}


def key_lists(question: Mapping[str, Any]) -> list[KeyList]:
    """The key lists a question of this kind has, in the order the editor shows them."""
    kind = question.get("kind")
    if kind == "compare":
        sides = question.get("sides") or []
        return [KeyList(f"terms-{number}", "terms", number, "word", ("neutral", "why"),
                        f"Terms excerpt {chr(ord('A') + number)} uses", True)
                for number in range(len(sides))]
    return [KeyList(name, name, None, unit, fields, label, required)
            for name, unit, fields, label, required in _KEY_LISTS.get(str(kind), ())]


def key_holder(question: dict[str, Any], key_list: KeyList) -> dict[str, Any]:
    """The mapping holding ``key_list``'s entries: the question, or a compare side."""
    if key_list.side is None:
        return question
    return question["sides"][key_list.side]


def key_excerpt(question: Mapping[str, Any], key_list: KeyList) -> Any:
    """The excerpt id a key list is marked on."""
    if key_list.side is None:
        return question.get("excerpt")
    return question["sides"][key_list.side].get("excerpt")


# --- regrading ---------------------------------------------------------------------------

class NotRegradable(ValueError):
    """Rescoring this attempt with the new key would not be fair; the message says why."""


@dataclass(frozen=True, slots=True)
class Rescored:
    """An attempt scored again: per question ``(points, max_points, verdicts)`` and totals."""

    answers: dict[str, tuple[float, float, list[dict[str, Any]]]]
    score: float
    max_score: float


def _texts(content: Mapping[str, Any]) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}


def _excerpts_of(question: Mapping[str, Any]) -> list[str]:
    if question["kind"] == "compare":
        return [side["excerpt"] for side in question["sides"]]
    return [question["excerpt"]]


def rescore(old_content: Mapping[str, Any], new_content: Mapping[str, Any],
            answers: Mapping[str, Mapping[str, Any]]) -> Rescored:
    """Score stored responses (question id -> response) against a newer compiled lesson.

    Responses are word and sentence indices into the excerpts the student saw, so they
    can be rescored only where every question they answer still exists with the same
    kind and the same excerpt text, and the new version asks nothing they never saw.
    Otherwise raises :class:`NotRegradable` with the reason.
    """
    old_questions = {question["id"]: question for question in old_content["questions"]}
    new_questions = {question["id"]: question for question in new_content["questions"]}
    old_texts, new_texts = _texts(old_content), _texts(new_content)
    for question_id in answers:
        if question_id not in new_questions:
            raise NotRegradable(f"Question '{question_id}' was removed")
    results: dict[str, tuple[float, float, list[dict[str, Any]]]] = {}
    for question_id, question in new_questions.items():
        old = old_questions.get(question_id)
        if old is None or question_id not in answers:
            raise NotRegradable(f"Question '{question_id}' was added after this attempt")
        if old["kind"] != question["kind"]:
            raise NotRegradable(f"Question '{question_id}' changed from {old['kind']} to "
                                f"{question['kind']}")
        before = [old_texts[ref] for ref in _excerpts_of(old)]
        after = [new_texts[ref] for ref in _excerpts_of(question)]
        if before != after:
            raise NotRegradable(f"The excerpt text of question '{question_id}' changed, so "
                                "the marks no longer point at the same words")
        result = score_question(question, answers[question_id], new_texts)
        results[question_id] = (result.points, result.max_points, result.verdicts)
    score = round(sum(points for points, _, _ in results.values()), 2)
    maximum = round(sum(most for _, most, _ in results.values()), 2)
    return Rescored(results, score, maximum)


# --- problems, by where they are ---------------------------------------------------------

def issues_by_section(text: str, issues: Sequence[LessonIssue]) -> dict[str, list[LessonIssue]]:
    """Group a draft's problems by the part of the file their line falls in.

    Keys are ``"lesson"`` (the top fields, or a line we cannot place),
    ``"excerpts/<n>"`` and ``"questions/<n>"`` (0-based positions in the lists).
    """
    starts: list[tuple[int, str]] = [(1, "lesson")]
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        root = None
    if isinstance(root, yamllines.LineMap):
        for key, value in root.items():
            starts.append((root.key_lines[key], "lesson"))
            if key in ("excerpts", "questions") and isinstance(value, yamllines.LineSeq):
                starts.extend((line, f"{key}/{number}")
                              for number, line in enumerate(value.item_lines))
    starts.sort(key=lambda start: start[0])
    grouped: dict[str, list[LessonIssue]] = {}
    for issue in issues:
        section = "lesson"
        for line, name in starts:
            if line > issue.line:
                break
            section = name
        grouped.setdefault(section, []).append(issue)
    return grouped
