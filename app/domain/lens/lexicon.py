"""Load, validate and compile the lens's data files (``app/domain/lens/data``).

The data files are the lens's knowledge: which words are loaded and why, which phrases
hide a source, which words hedge or intensify. They are YAML so that a teacher or a
developer can read and extend them (the format is documented in ``data/README.md``).
Every problem is reported as ``path:line: message`` in one :class:`LexiconError`, and
nothing is half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from app.domain import yamllines
from app.domain.lens.findings import KINDS
from app.domain.lens.morphology import inflections, past_forms, spelling_variants
from app.domain.lens.patterns import NAME, NUMBER, Pattern, PatternSet, Rule
from app.domain.text import words
from app.domain.yamllines import LineMap, LineSeq

DATA_DIR = Path(__file__).resolve().parent / "data"
POS = ("noun", "verb", "adj", "adv", "phrase")
_MARKERS = {"<name>": NAME, "<number>": NUMBER}
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-"})


class LexiconError(ValueError):
    """A data file is malformed; the message lists every problem as ``path:line: message``."""


def read_data_file(path: Path) -> Any:
    """Parse one YAML data file, keeping line numbers; raise :class:`LexiconError` if bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot read: {error}") from error
    try:
        return yamllines.load(text)
    except yamllines.YamlProblem as problem:
        raise LexiconError("\n".join(f"{path}:{line}: {message}"
                                     for line, message in problem.problems)) from problem


# --- the compiled lexicon ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Category:
    """A category of finding: its kind, the name shown to people, and default wording."""

    id: str
    kind: str
    name: str
    reason: str
    suggestion: str = ""


@dataclass(frozen=True, slots=True)
class NamedSourceRules:
    """How the lens decides that a sentence names its source (see ``attribution.yaml``)."""

    cues: frozenset[str]
    source_words: frozenset[str]
    not_names: frozenset[str]
    window: int


@dataclass(frozen=True, slots=True)
class AgentlessRules:
    """Agentless passives: a form of "be" (or "get"), a listed participle, no "by" agent."""

    rule: Rule
    be: frozenset[str]
    perfect: frozenset[str]
    between: frozenset[str]
    participles: frozenset[str]
    quantities: frozenset[str]
    agent_markers: frozenset[str]
    coordinators: frozenset[str]
    agent_window: int


@dataclass(slots=True)
class Lexicon:
    """Everything the detectors need, compiled for fast look-ups."""

    categories: dict[str, Category]
    loaded: PatternSet
    attribution: PatternSet
    hedges: PatternSet
    source_free: dict[str, Rule]
    named_source: NamedSourceRules
    agentless: AgentlessRules
    entries: dict[str, int] = field(default_factory=dict)

    def category_name(self, category: str) -> str:
        """The name people see for a category id ("label" → "Labels and name-calling")."""
        found = self.categories.get(category)
        return found.name if found else category


# --- validation helpers -------------------------------------------------------------------

@dataclass(slots=True)
class _Checker:
    """Collects every problem in the data files before anything is used."""

    problems: list[str] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(f"{path}:{line}: {message}")

    def mapping(self, node: Any, path: str, line: int, where: str,
                allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> LineMap | None:
        if not isinstance(node, LineMap):
            self.error(path, line, f"{where} must be a mapping of 'field: value' pairs")
            return None
        for key in node:
            if key not in allowed:
                hint = get_close_matches(key, allowed, n=1)
                also = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.error(path, node.key_lines[key], f"unknown field '{key}' in {where}{also}")
        for key in required:
            if node.get(key) in (None, ""):
                self.error(path, node.line, f"{where} needs '{key}'")
        return node

    def text(self, node: LineMap, key: str, path: str, where: str, default: str = "") -> str:
        value = node.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(path, node.key_lines.get(key, node.line),
                       f"'{key}' in {where} must be text (put it in quotes)")
            return default
        return str(value).strip()

    def word_list(self, node: LineMap, key: str, path: str, where: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
                isinstance(item, str) and item.strip() for item in value):
            self.error(path, node.key_lines.get(key, node.line),
                       f"'{key}' in {where} must be a list of words")
            return []
        return [item.strip() for item in value]

    def items(self, node: LineMap, key: str, path: str, where: str) -> Iterator[tuple[Any, int]]:
        value = node.get(key)
        if value is None:
            return iter(())
        if not isinstance(value, LineSeq):
            self.error(path, node.key_lines.get(key, node.line),
                       f"'{key}' in {where} must be a list")
            return iter(())
        return iter(zip(value, value.item_lines, strict=True))


def _fold(word: str) -> str:
    return word.lower().translate(_FOLD)


def _single_word(word: str) -> bool:
    spans = words(word)
    return len(spans) == 1 and spans[0].text == word


def _context_words(checker: _Checker, node: LineMap, key: str, path: str,
                   where: str) -> frozenset[str]:
    result = set()
    for word in checker.word_list(node, key, path, where):
        folded = _fold(word)
        if folded in _MARKERS:
            result.add(_MARKERS[folded])
        elif _single_word(word):
            result.add(folded)
        else:
            checker.error(path, node.key_lines.get(key, node.line),
                          f"'{word}' in '{key}' of {where} is not a single word "
                          "(or <Name>, <Number>)")
    return frozenset(result)


def _rule(checker: _Checker, node: LineMap, path: str, where: str, category: Category,
          reason_key: str, suggestion_key: str) -> Rule:
    lowercase = node.get("lowercase", False)
    if not isinstance(lowercase, bool):
        checker.error(path, node.key_lines.get("lowercase", node.line),
                      f"'lowercase' in {where} must be true or false")
        lowercase = False
    return Rule(
        category=category.id,
        suggestion=checker.text(node, suggestion_key, path, where, category.suggestion),
        reason=checker.text(node, reason_key, path, where, category.reason),
        where=f"{Path(path).name}:{node.line}",
        unless_previous=_context_words(checker, node, "unless_previous", path, where),
        unless_next=_context_words(checker, node, "unless_next", path, where),
        lowercase=lowercase,
    )


def _category(checker: _Checker, categories: dict[str, Category], name: Any, kind: str,
              path: str, line: int, where: str) -> Category | None:
    if not isinstance(name, str) or name not in categories:
        known = sorted(c for c, v in categories.items() if v.kind == kind)
        checker.error(path, line, f"unknown category '{name}' in {where} (expected one of: "
                                  f"{', '.join(known)})")
        return None
    if categories[name].kind != kind:
        checker.error(path, line, f"category '{name}' in {where} is a {categories[name].kind} "
                                  f"category, not {kind}")
        return None
    return categories[name]


# --- the files ----------------------------------------------------------------------------

def _load_categories(checker: _Checker, path: Path) -> dict[str, Category]:
    data = read_data_file(path)
    name = str(path)
    top = checker.mapping(data, name, 1, "categories.yaml", ("categories",), ("categories",))
    categories: dict[str, Category] = {}
    if top is None or not isinstance(top.get("categories"), LineMap):
        checker.error(name, 1, "categories.yaml needs a 'categories' mapping")
        return categories
    for key, node in top["categories"].items():
        line = top["categories"].key_lines[key]
        where = f"category '{key}'"
        entry = checker.mapping(node, name, line, where,
                                ("kind", "name", "reason", "suggestion"),
                                ("kind", "name", "reason"))
        if entry is None:
            continue
        kind = checker.text(entry, "kind", name, where)
        if kind not in KINDS:
            checker.error(name, entry.key_lines.get("kind", line),
                          f"unknown kind '{kind}' in {where} (expected one of: {', '.join(KINDS)})")
        categories[key] = Category(key, kind, checker.text(entry, "name", name, where),
                                   checker.text(entry, "reason", name, where),
                                   checker.text(entry, "suggestion", name, where))
    return categories


_LOADED_FIELDS = ("term", "pos", "neutral", "why", "forms", "category", "unless_previous",
                  "unless_next", "lowercase")


def _load_loaded_file(checker: _Checker, path: Path, categories: dict[str, Category],
                      seen: dict[tuple[str, str], str]) -> list[Pattern]:
    data = read_data_file(path)
    name = str(path)
    top = checker.mapping(data, name, 1, path.name, ("category", "description", "entries"),
                          ("category", "entries"))
    if top is None:
        return []
    default = _category(checker, categories, top.get("category"), "loaded", name,
                        top.key_lines.get("category", 1), path.name)
    patterns: list[Pattern] = []
    for node, line in checker.items(top, "entries", name, path.name):
        entry = checker.mapping(node, name, line, "an entry", _LOADED_FIELDS, ("term",))
        if entry is None:
            continue
        term = checker.text(entry, "term", name, "an entry")
        where = f"the entry '{term}'"
        category = default
        if "category" in entry:
            category = _category(checker, categories, entry["category"], "loaded", name,
                                 entry.key_lines["category"], where)
        pos = checker.text(entry, "pos", name, where, "phrase")
        if pos not in POS:
            checker.error(name, entry.key_lines.get("pos", line),
                          f"unknown pos '{pos}' in {where} (expected one of: {', '.join(POS)})")
            continue
        if not term or category is None:
            continue
        if not all(_single_word(part) for part in term.split()):
            checker.error(name, entry.key_lines["term"],
                          f"{where}: every part of a term must be one word as students mark "
                          "words (letters and digits, joined by hyphens or apostrophes)")
            continue
        folded = _fold(" ".join(term.split()))
        if (folded, pos) in seen:
            checker.error(name, entry.key_lines["term"],
                          f"{where} ({pos}) is already an entry at {seen[(folded, pos)]}")
            continue
        seen[(folded, pos)] = f"{path.name}:{line}"
        rule = _rule(checker, entry, name, where, category, "why", "neutral")
        parts = folded.split()
        rule = replace(rule, pos=pos, base=parts[0] if pos == "verb" else parts[-1])
        sequences = {tuple(_fold(w) for w in seq) for seq in inflections(term, pos)}
        for form in checker.word_list(entry, "forms", name, where):
            if all(_single_word(part) for part in form.split()):
                sequences.add(tuple(_fold(w) for w in form.split()))
            else:
                checker.error(name, entry.key_lines["forms"],
                              f"the form '{form}' of {where} is not made of whole words")
        patterns.extend(_patterns_for(sequences, rule))
    return patterns


def _patterns_for(sequences: set[tuple[str, ...]], rule: Rule) -> list[Pattern]:
    """Merge word sequences of equal length that differ in one position into one pattern."""
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for sequence in sequences:
        by_length.setdefault(len(sequence), []).append(sequence)
    patterns = []
    for length, group in sorted(by_length.items()):
        positions = tuple(frozenset(seq[i] for seq in group) for i in range(length))
        if _product_size(positions) == len(group):
            patterns.append(Pattern(positions, (False,) * length, rule))
        else:  # the sequences differ in more than one place: keep them apart
            patterns.extend(Pattern(tuple(frozenset([w]) for w in seq), (False,) * length, rule)
                            for seq in sorted(group))
    return patterns


def _product_size(positions: tuple[frozenset[str], ...]) -> int:
    size = 1
    for position in positions:
        size *= len(position)
    return size


def _word_sets(checker: _Checker, top: LineMap, path: str) -> dict[str, frozenset[str]]:
    sets: dict[str, frozenset[str]] = {}
    node = top.get("word_sets")
    if node is None:
        return sets
    if not isinstance(node, LineMap):
        checker.error(path, top.key_lines["word_sets"], "'word_sets' must be a mapping")
        return sets
    for key in node:
        where = f"the word set '{key}'"
        members = checker.word_list(node, key, path, where)
        for word in members:
            if not _single_word(word):
                checker.error(path, node.key_lines[key], f"'{word}' in {where} is not one word")
        sets[key] = frozenset(_fold(word) for word in members)
    return sets


def _compile_pattern(checker: _Checker, text: str, sets: dict[str, frozenset[str]], path: str,
                     line: int) -> tuple[tuple[frozenset[str], ...], tuple[bool, ...]] | None:
    positions: list[frozenset[str]] = []
    optional: list[bool] = []
    for piece in text.split():
        is_optional = piece.endswith("?")
        piece = piece.rstrip("?")
        alternatives: set[str] = set()
        for alternative in piece.split("|"):
            if alternative.startswith("@"):
                if alternative[1:] not in sets:
                    checker.error(path, line, f"the pattern '{text}' uses the unknown word set "
                                              f"'{alternative}'")
                    return None
                alternatives |= sets[alternative[1:]]
            elif alternative and _single_word(alternative):
                alternatives.add(_fold(alternative))
            else:
                checker.error(path, line, f"the pattern '{text}' has '{alternative}', which is "
                                          "not one word, @set or a|b")
                return None
        positions.append(frozenset(alternatives))
        optional.append(is_optional)
    if not positions or all(optional):
        checker.error(path, line, f"the pattern '{text}' needs at least one word that is "
                                  "not optional")
        return None
    return tuple(positions), tuple(optional)


def _load_patterns(checker: _Checker, top: LineMap, path: str, kind: str,
                   categories: dict[str, Category]) -> list[Pattern]:
    sets = _word_sets(checker, top, path)
    patterns = []
    for node, line in checker.items(top, "patterns", path, Path(path).name):
        entry = checker.mapping(node, path, line, "a pattern",
                                ("pattern", "category", "why", "suggestion", "unless_previous",
                                 "unless_next", "lowercase"), ("pattern", "category"))
        if entry is None:
            continue
        text = checker.text(entry, "pattern", path, "a pattern")
        where = f"the pattern '{text}'"
        category = _category(checker, categories, entry.get("category"), kind, path,
                             entry.key_lines.get("category", line), where)
        compiled = _compile_pattern(checker, text, sets, path, line) if text else None
        if category is None or compiled is None:
            continue
        rule = _rule(checker, entry, path, where, category, "why", "suggestion")
        patterns.append(Pattern(compiled[0], compiled[1], rule))
    return patterns


_ATTRIBUTION_TOP = ("description", "word_sets", "patterns", "source_free", "named_source",
                    "agentless")


def _load_attribution(checker: _Checker, path: Path, categories: dict[str, Category]
                      ) -> tuple[list[Pattern], dict[str, Rule], NamedSourceRules,
                                 AgentlessRules]:
    data = read_data_file(path)
    name = str(path)
    top = checker.mapping(data, name, 1, path.name, _ATTRIBUTION_TOP,
                          ("patterns", "source_free", "named_source", "agentless"))
    empty_rule = Rule("agentless", "", "", name)
    if top is None:
        return [], {}, NamedSourceRules(frozenset(), frozenset(), frozenset(), 0), \
            AgentlessRules(empty_rule, *(frozenset(),) * 7, 0)
    patterns = _load_patterns(checker, top, name, "attribution", categories)

    source_free: dict[str, Rule] = {}
    for node, line in checker.items(top, "source_free", name, path.name):
        entry = checker.mapping(node, name, line, "a source_free word",
                                ("word", "category", "why", "suggestion"), ("word", "category"))
        if entry is None:
            continue
        word = checker.text(entry, "word", name, "a source_free word")
        where = f"the source_free word '{word}'"
        category = _category(checker, categories, entry.get("category"), "attribution", name,
                             entry.key_lines.get("category", line), where)
        if category is not None and _single_word(word):
            source_free[_fold(word)] = _rule(checker, entry, name, where, category, "why",
                                             "suggestion")
        elif category is not None:
            checker.error(name, line, f"{where} is not one word")

    named = checker.mapping(top.get("named_source"), name, top.key_lines.get("named_source", 1),
                            "named_source", ("cues", "source_words", "not_names", "window"),
                            ("cues", "window"))
    named_rules = NamedSourceRules(frozenset(), frozenset(), frozenset(), 0)
    if named is not None:
        window = named.get("window")
        if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 20:
            checker.error(name, named.key_lines.get("window", named.line),
                          "'window' in named_source must be a whole number from 1 to 20")
            window = 4
        named_rules = NamedSourceRules(
            frozenset(_fold(w) for w in checker.word_list(named, "cues", name, "named_source")),
            frozenset(_fold(w) for w in checker.word_list(named, "source_words", name,
                                                          "named_source")),
            frozenset(_fold(w) for w in checker.word_list(named, "not_names", name,
                                                          "named_source")),
            window)
    return patterns, source_free, named_rules, _load_agentless(checker, top, name, categories)


_AGENTLESS_FIELDS = ("category", "why", "suggestion", "be", "perfect", "between", "quantities",
                     "agent_markers", "coordinators", "agent_window", "verbs")


def _load_agentless(checker: _Checker, top: LineMap, path: str,
                    categories: dict[str, Category]) -> AgentlessRules:
    node = checker.mapping(top.get("agentless"), path, top.key_lines.get("agentless", 1),
                           "agentless", _AGENTLESS_FIELDS,
                           ("category", "be", "agent_markers", "verbs"))
    empty = AgentlessRules(Rule("agentless", "", "", path), *(frozenset(),) * 7, 0)
    if node is None:
        return empty
    category = _category(checker, categories, node.get("category"), "attribution", path,
                         node.key_lines.get("category", node.line), "agentless")
    if category is None:
        return empty
    participles: set[str] = set()
    for item, line in checker.items(node, "verbs", path, "agentless"):
        if isinstance(item, str) and _single_word(item.strip()):
            for spelling in spelling_variants(_fold(item.strip())):
                participles |= past_forms(spelling)
            continue
        entry = checker.mapping(item, path, line, "an agentless verb", ("verb", "participle"),
                                ("verb", "participle"))
        if entry is None:
            continue
        if isinstance(entry.get("participle"), str):
            forms = [entry["participle"]]
        else:
            forms = checker.word_list(entry, "participle", path, "an agentless verb")
        participles |= {_fold(form) for form in forms}
    window = node.get("agent_window", 8)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 30:
        checker.error(path, node.key_lines.get("agent_window", node.line),
                      "'agent_window' must be a whole number from 1 to 30")
        window = 8

    def words_of(key: str) -> frozenset[str]:
        return frozenset(_fold(w) for w in checker.word_list(node, key, path, "agentless"))

    return AgentlessRules(
        rule=_rule(checker, node, path, "agentless", category, "why", "suggestion"),
        be=words_of("be"), perfect=words_of("perfect"), between=words_of("between"),
        participles=frozenset(participles),
        quantities=words_of("quantities"), agent_markers=words_of("agent_markers"),
        coordinators=words_of("coordinators"), agent_window=window,
    )


def _load_hedges(checker: _Checker, path: Path, categories: dict[str, Category]) -> list[Pattern]:
    data = read_data_file(path)
    top = checker.mapping(data, str(path), 1, path.name, ("description", "word_sets", "patterns"),
                          ("patterns",))
    if top is None:
        return []
    return _load_patterns(checker, top, str(path), "hedge", categories)


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """Read every data file under ``data_dir`` (default: the package's ``data/``).

    Expects ``categories.yaml``, ``attribution.yaml``, ``hedges.yaml`` and any number of
    ``loaded/*.yaml``. Raises :class:`LexiconError` listing every problem found.
    """
    data_dir = data_dir or DATA_DIR
    checker = _Checker()
    categories = _load_categories(checker, data_dir / "categories.yaml")
    loaded = PatternSet()
    seen: dict[tuple[str, str], str] = {}
    loaded_files = sorted((data_dir / "loaded").glob("*.yaml"))
    if not loaded_files:
        checker.error(str(data_dir / "loaded"), 1, "no loaded-language files (*.yaml) found")
    for path in loaded_files:
        loaded.extend(_load_loaded_file(checker, path, categories, seen))
    attribution_patterns, source_free, named, agentless = _load_attribution(
        checker, data_dir / "attribution.yaml", categories)
    hedge_patterns = _load_hedges(checker, data_dir / "hedges.yaml", categories)
    if checker.problems:
        raise LexiconError("\n".join(checker.problems))
    attribution, hedges = PatternSet(), PatternSet()
    attribution.extend(attribution_patterns)
    hedges.extend(hedge_patterns)
    return Lexicon(
        categories=categories, loaded=loaded, attribution=attribution, hedges=hedges,
        source_free=source_free, named_source=named, agentless=agentless,
        entries={"loaded": len(seen), "attribution_patterns": attribution.count,
                 "source_free": len(source_free), "agentless_participles":
                     len(agentless.participles), "hedge_patterns": hedges.count},
    )
