"""Inflected forms of lexicon entries, generated from the base form the data files give.

The rules over-generate on purpose: a form that English never uses ("targetted" beside
"targeted") costs nothing, because it simply never occurs in a text, while a missing form
would be a missed finding. Irregular forms are listed in the data files (``forms:``,
``participle:``), never guessed.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")
_NO_DOUBLING = frozenset("wxy")


def _ends_cvc(word: str) -> bool:
    """True for a consonant-vowel-consonant ending whose consonant may double (slam, rip)."""
    return (len(word) >= 3 and word[-1] not in _VOWELS and word[-1] not in _NO_DOUBLING
            and word[-1].isalpha() and word[-2] in _VOWELS and word[-3] not in _VOWELS)


def plurals(word: str) -> set[str]:
    """The noun and its plural spellings: thug → thugs, crony → cronies, thief → thieves."""
    forms = {word}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    if word.endswith("man"):
        forms.add(word[:-3] + "men")  # henchman → henchmen
    if word.endswith("fe"):
        forms.add(word[:-2] + "ves")
    elif word.endswith("f"):
        forms.add(word[:-1] + "ves")
    return forms


def past_forms(verb: str) -> set[str]:
    """Regular past tense / past participle spellings: slam → slammed, bully → bullied."""
    if verb.endswith("e"):
        return {verb + "d"}
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in _VOWELS:
        return {verb[:-1] + "ied"}
    forms = {verb + "ed"}
    if _ends_cvc(verb) or verb.endswith("l"):
        forms.add(verb + verb[-1] + "ed")  # slammed; British "labelled"
    if verb.endswith("c"):
        forms.add(verb + "ked")  # panicked
    return forms


def verb_forms(verb: str) -> set[str]:
    """A regular verb's forms: base, third person, past, participle and -ing."""
    forms = {verb} | past_forms(verb)
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(verb + "es")
    elif len(verb) > 1 and verb.endswith("y") and verb[-2] not in _VOWELS:
        forms.add(verb[:-1] + "ies")
    else:
        forms.add(verb + "s")
    if verb.endswith("ie"):
        forms.add(verb[:-2] + "ying")
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        forms.add(verb[:-1] + "ing")
    else:
        forms.add(verb + "ing")
        if _ends_cvc(verb) or verb.endswith("l"):
            forms.add(verb + verb[-1] + "ing")
        if verb.endswith("c"):
            forms.add(verb + "king")
    return forms


def spelling_variants(verb: str) -> set[str]:
    """The verb and its other spelling: demonize ↔ demonise, analyze ↔ analyse."""
    for ours, theirs in (("ize", "ise"), ("ise", "ize"), ("yze", "yse"), ("yse", "yze")):
        if verb.endswith(ours) and len(verb) > 5:
            return {verb, verb[: -len(ours)] + theirs}
    return {verb}


def _inflect_token(token: str, pos: str) -> set[str]:
    """Inflect one word; in a hyphenated compound only its last part changes (flip-flopped)."""
    head, _, last = token.rpartition("-")
    prefix = head + "-" if head else ""
    if pos == "noun":
        forms = plurals(last)
    elif pos == "verb":
        forms = set().union(*(verb_forms(spelling) for spelling in spelling_variants(last)))
    else:
        forms = {last}
    return {prefix + form for form in forms}


def inflections(term: str, pos: str) -> list[tuple[str, ...]]:
    """Every word sequence a term can take: a noun inflects its last word, a verb its first.

    ``pos`` is one of ``noun``, ``verb``, ``adj``, ``adv`` or ``phrase``; adjectives,
    adverbs and phrases match as written.
    """
    parts = term.split()
    if pos == "noun":
        index = len(parts) - 1
    elif pos == "verb":
        index = 0
    else:
        return [tuple(parts)]
    return sorted(
        tuple(parts[:index] + [form] + parts[index + 1:])
        for form in _inflect_token(parts[index], pos)
    )


_IRREGULAR_PAST = {"say": "said", "give": "gave", "seek": "sought", "teach": "taught",
                   "take": "took", "spend": "spent", "rise": "rose", "beat": "beat",
                   "hold": "held", "tell": "told", "make": "made", "keep": "kept"}


def _regular_plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _regular_past(verb: str) -> str:
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    return verb + "ed"


def _regular_ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    return verb + "ing"


# Neutral nouns that have no plural ("riots" → "unrest", not "unrests").
UNCOUNTABLE = frozenset({
    "unrest", "violence", "opposition", "criticism", "support", "evidence", "information",
    "advice", "news", "police", "staff", "people", "equipment", "aid", "damage", "force",
    "disorder", "resistance", "propaganda", "praise",
})


def agree(suggestion: str, pos: str, matched: str, base: str) -> str:
    """Put a neutral suggestion in the form of the matched word.

    "thugs" → "attackers" (for the neutral "attacker"), "slammed" → "criticised" (for
    "criticise"). ``base`` is the entry's inflecting word as written in the data file
    and ``matched`` the same word as found in the text, both lower-case. Suggestions
    in brackets or of more than two words (nouns) are left as they are.
    """
    if not suggestion or suggestion.startswith("(") or matched == base:
        return suggestion
    parts = suggestion.split()
    if pos == "noun":
        if len(parts) > 2 or parts[-1].endswith("s") or matched not in plurals(base) \
                or parts[-1].lower() in UNCOUNTABLE:
            return suggestion
        return " ".join(parts[:-1] + [_regular_plural(parts[-1])])
    if pos == "verb":
        head = parts[0]
        if matched.endswith("ing"):
            head = _regular_ing(head)
        elif matched.endswith("ed") or matched in past_forms(base):
            head = _regular_past(head)
        elif matched.endswith("s") and not base.endswith("s"):
            head = head[:-1] + "ies" if head.endswith("y") and head[-2:-1] not in _VOWELS \
                else (head + "es" if head.endswith(("s", "x", "z", "ch", "sh")) else head + "s")
        else:
            return suggestion
        return " ".join([head] + parts[1:])
    return suggestion
