"""The detectors: each turns tokens plus the lexicon into findings of one kind.

* loaded terms: dictionary patterns from ``data/loaded/*.yaml``;
* attribution: unnamed-source patterns, "allegedly"-type words in a sentence that names
  no source, and agentless passives ("hundreds were killed") of verbs where the doer
  matters;
* hedges and intensifiers: patterns from ``data/hedges.yaml``.
"""

from __future__ import annotations

from app.domain.lens.findings import Finding
from app.domain.lens.lexicon import AgentlessRules, Lexicon, NamedSourceRules
from app.domain.lens.morphology import agree
from app.domain.lens.patterns import Rule
from app.domain.lens.tokens import Token

_ADVERB_MIN = 5  # "-ly" words this long or longer may sit inside a verb group ("were brutally")


def _finding(text: str, tokens: list[Token], first: int, end: int, lexicon: Lexicon,
             rule: Rule) -> Finding:
    start, stop = tokens[first].start, tokens[end - 1].end
    matched = text[start:stop]
    suggestion = rule.suggestion
    if rule.pos in ("noun", "verb") and suggestion:
        word = tokens[first] if rule.pos == "verb" else tokens[end - 1]
        suggestion = agree(suggestion, rule.pos, word.bare.rpartition("-")[2],
                           rule.base.rpartition("-")[2])
    if suggestion and matched[:1].isupper() and suggestion[:1].islower():
        suggestion = suggestion[0].upper() + suggestion[1:]
    return Finding(start, stop, matched, lexicon.categories[rule.category].kind, rule.category,
                   suggestion, rule.reason.replace("{text}", matched))


def detect_loaded(text: str, tokens: list[Token], lexicon: Lexicon) -> list[Finding]:
    """Loaded terms: labels, charged words, euphemisms, hyperbole, loaded verbs, praise."""
    return [_finding(text, tokens, first, end, lexicon, rule)
            for first, end, rule in lexicon.loaded.find_all(tokens)]


def detect_hedges(text: str, tokens: list[Token], lexicon: Lexicon) -> list[Finding]:
    """Hedges ("may have", "perhaps") and intensifiers ("very", "absolutely")."""
    return [_finding(text, tokens, first, end, lexicon, rule)
            for first, end, rule in lexicon.hedges.find_all(tokens)]


def detect_attribution(text: str, tokens: list[Token], lexicon: Lexicon) -> list[Finding]:
    """Vague or missing attribution: unnamed sources, unsourced "allegedly", agentless passives."""
    findings = [_finding(text, tokens, first, end, lexicon, rule)
                for first, end, rule in lexicon.attribution.find_all(tokens)]
    bounds = _sentence_ranges(tokens)
    for index, token in enumerate(tokens):
        rule = lexicon.source_free.get(token.key)
        if rule is None:
            continue
        low, high = bounds[token.sentence]
        if not names_a_source(tokens, low, high, index, lexicon.named_source):
            findings.append(_finding(text, tokens, index, index + 1, lexicon, rule))
    for first, end in agentless_passives(tokens, lexicon.agentless):
        findings.append(_finding(text, tokens, first, end, lexicon, lexicon.agentless.rule))
    return findings


def _sentence_ranges(tokens: list[Token]) -> dict[int, tuple[int, int]]:
    """``sentence number → (first token, end token)``."""
    ranges: dict[int, tuple[int, int]] = {}
    for index, token in enumerate(tokens):
        low, _ = ranges.get(token.sentence, (index, index))
        ranges[token.sentence] = (low, index + 1)
    return ranges


def names_a_source(tokens: list[Token], low: int, high: int, skip: int,
                   rules: NamedSourceRules) -> bool:
    """True when the sentence ``tokens[low:high]`` credits a source by name.

    A source is named when a cue ("said", "according", "told", ...) stands within
    ``rules.window`` words of a capitalised name that is not a function word ("The", "He")
    or a vague group ("Observers"), or of a source word such as "police" or "ministry".
    ``skip`` is the flagged word itself, which never counts as its own source.
    """
    cues = [i for i in range(low, high) if tokens[i].key in rules.cues]
    if not cues:
        return False
    for i in range(low, high):
        if i == skip or i in cues:
            continue
        token = tokens[i]
        is_source = token.bare in rules.source_words or (
            token.capitalized and token.key not in rules.not_names
            and token.bare not in rules.not_names)
        if is_source and any(abs(cue - i) <= rules.window for cue in cues):
            return True
    return False


def _verb_group_end(tokens: list[Token], index: int, rules: AgentlessRules) -> int:
    """Skip auxiliaries and adverbs after a form of "be": "were later brutally" → the verb."""
    position = index + 1
    steps = 0
    while position < len(tokens) and steps < 3 and tokens[position].clean_gap:
        key = tokens[position].key
        if key in rules.be or key in rules.between or (
                key.endswith("ly") and len(key) >= _ADVERB_MIN):
            position += 1
            steps += 1
            continue
        break
    return position


def agentless_passives(tokens: list[Token], rules: AgentlessRules) -> list[tuple[int, int]]:
    """Token ranges of passives with no "by ..." agent, for the verbs listed in the data.

    Finds "were killed", "have been arrested", "were attacked and partially destroyed",
    and the headline form "Hundreds killed"; skips "were killed by police".
    """
    found: list[tuple[int, int]] = []
    count = len(tokens)
    index = 0
    while index < count:
        token = tokens[index]
        last = -1
        if token.key in rules.be:
            verb = _verb_group_end(tokens, index, rules)
            if (verb < count and tokens[verb].clean_gap
                    and tokens[verb].key in rules.participles):
                last = verb
        elif ((token.key in rules.quantities or token.is_number) and index + 1 < count
              and tokens[index + 1].clean_gap and tokens[index + 1].key in rules.participles
              and (index + 2 >= count or tokens[index + 2].key not in rules.participles)):
            last = index + 1
        if last < 0:
            index += 1
            continue
        last = _coordinated(tokens, last, rules)
        first = index
        if (index > 0 and token.clean_gap and tokens[index - 1].key in rules.perfect
                and token.key == "been"):
            first = index - 1  # "have been arrested"
        if not _has_agent(tokens, last + 1, tokens[last].sentence, rules):
            found.append((first, last + 1))
        index = last + 1
    return found


def _coordinated(tokens: list[Token], last: int, rules: AgentlessRules) -> int:
    """Extend a passive over "and partially destroyed" or ", injured and detained"."""
    sentence = tokens[last].sentence
    while True:
        position = last + 1
        if position < len(tokens) and tokens[position].key in rules.coordinators:
            position = _verb_group_end(tokens, position, rules)
        if (position < len(tokens) and tokens[position].sentence == sentence
                and tokens[position].key in rules.participles):
            last = position
            continue
        return last


def _has_agent(tokens: list[Token], position: int, sentence: int, rules: AgentlessRules) -> bool:
    """Whether "by ..." follows within the clause (up to the next punctuation or "were")."""
    for token in tokens[position:position + rules.agent_window]:
        if token.sentence != sentence or token.key in rules.be:
            return False
        if token.key in rules.agent_markers:
            return True
        if not token.clean_gap:
            return False
    return False
