"""The language lens: each detector, offsets on any text, and its data files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.domain.lens import DATA_DIR, KINDS, Finding, LexiconError, analyze, load_lexicon
from app.domain.lens.morphology import agree, inflections


def found(text: str, kind: str | None = None) -> list[tuple[str, str]]:
    """``(text, category)`` of each finding (of one kind), in order."""
    return [(f.text, f.category) for f in analyze(text) if kind is None or f.kind == kind]


def finding(text: str, words: str) -> Finding:
    matches = [f for f in analyze(text) if f.text == words]
    assert matches, f"no finding {words!r} in {found(text)}"
    return matches[0]


# --- loaded terms -----------------------------------------------------------------------

def test_a_label_is_flagged_with_its_category_suggestion_and_reason():
    result = finding("The thugs stormed the building.", "thugs")
    assert (result.kind, result.category) == ("loaded", "label")
    assert result.suggestion == "attackers"  # plural, like the word found
    assert "thug" in result.reason.lower()


@pytest.mark.parametrize(("text", "words", "category", "suggestion"), [
    ("The regime’s forces moved in.", "regime’s", "label", "government"),
    ("Officials called it collateral damage.", "collateral damage", "euphemism",
     "civilian deaths and damage"),
    ("The minister slammed the plan.", "slammed", "loaded_verb", "criticised"),
    ("Critics were lashing out at the plan.", "lashing out", "loaded_verb", "criticising"),
    ("It was an unprecedented, horrific attack.", "unprecedented", "hyperbole", "unusual"),
    ("It was an unprecedented, horrific attack.", "horrific", "charged", ""),
    ("The so-called reforms changed little.", "so-called", "doubt", ""),
    ("A heroic effort by volunteers.", "heroic", "praise", ""),
    ("They called it a special military operation.", "special military operation",
     "euphemism", "war"),
    ("Cronies of the president were rewarded.", "Cronies", "label", "Associates"),
])
def test_loaded_terms_across_categories(text, words, category, suggestion):
    result = finding(text, words)
    assert result.kind == "loaded"
    assert result.category == category
    assert result.suggestion == suggestion


def test_the_longest_entry_wins():
    assert found("They pushed for regime change.", "loaded") == [("regime change", "euphemism")]


@pytest.mark.parametrize("text", [
    "The demonstrations continued.",
    "The referendum was held in June.",
    "Riot police were deployed outside parliament.",
    "The sanctions regime was extended for a year.",
    "The treatment regime lasts six weeks.",
    "The mob boss was sentenced to life in prison.",
    "The grand slam final is on Sunday.",
    "The army said its special operation forces had finished the exercise.",
    "Protesters gathered in the main square and marched to the city hall.",
    "The central bank raised interest rates by a quarter of a point on Wednesday.",
    "Lawmakers voted 52 to 48 to approve the bill.",
    "The country’s military might has grown.",
    "The hotel boasts a rooftop pool.",
    "May 5 was the deadline for applications.",
])
def test_neutral_sentences_have_no_loaded_findings(text):
    assert found(text, "loaded") == []


def test_a_phrase_never_matches_across_punctuation_or_sentences():
    assert found("It was collateral. Damage was done.", "loaded") == []
    assert found("Regime, change: both words appear.", "loaded") == [("Regime", "label")]


# --- attribution ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words", "category"), [
    ("Some say the vote was rigged.", "Some say", "vague_attribution"),
    ("The reforms, some observers say, were cosmetic.", "some observers say",
     "vague_attribution"),
    ("Experts say the dam is unsafe.", "Experts say", "vague_attribution"),
    ("Critics argue the law is too broad.", "Critics argue", "vague_attribution"),
    ("The figures doubled, said a commentator.", "said a commentator", "vague_attribution"),
    ("Sources said the deal was close.", "Sources said", "vague_attribution"),
    ("It is believed the leader fled.", "It is believed", "vague_attribution"),
    ("According to reports, the border is closed.", "According to reports",
     "vague_attribution"),
    ("Local NGOs said the trials were unfair.", "Local NGOs said", "unnamed_group"),
])
def test_unnamed_sources(text, words, category):
    result = finding(text, words)
    assert (result.kind, result.category) == ("attribution", category)
    assert result.suggestion  # tells the author what is missing


@pytest.mark.parametrize("text", [
    "Many people were killed in the floods.",
    "Several governments imposed sanctions.",
    "Officials from both countries met in Geneva.",
])
def test_groups_that_are_not_sources_are_not_flagged(text):
    assert [c for _, c in found(text, "attribution") if c != "agentless"] == []


def test_a_named_person_in_apposition_is_not_a_vague_source():
    text = "Stephen Nix, a former diplomat, said the vote was flawed."
    assert found(text, "attribution") == []


@pytest.mark.parametrize(("text", "word", "category"), [
    ("The mayor allegedly took bribes.", "allegedly", "allegedly"),
    ("The suspect reportedly fled abroad.", "reportedly", "allegedly"),
    ("Gangs of presumably foreign-trained fighters arrived.", "presumably", "presumption"),
])
def test_allegedly_and_presumably_without_a_source_are_flagged(text, word, category):
    assert (word, category) in found(text, "attribution")


@pytest.mark.parametrize("text", [
    "Prosecutors said the mayor allegedly took bribes.",
    "According to Interior Minister Ivan Petrov, the suspect reportedly fled abroad.",
    "The fighters were presumably trained abroad, Defence Minister Ana Silva told reporters.",
])
def test_allegedly_and_presumably_with_a_named_source_are_not(text):
    assert found(text, "attribution") == []


def test_an_agentless_passive_is_flagged_and_one_with_an_agent_is_not():
    assert found("Hundreds were killed.", "attribution") == [("were killed", "agentless")]
    assert found("Hundreds were killed by security forces.", "attribution") == []
    assert found("Dozens have been arrested since Monday.", "attribution") == [
        ("have been arrested", "agentless")]
    assert found("Hundreds killed in clashes", "attribution") == [
        ("Hundreds killed", "agentless")]


def test_coordinated_passives_form_one_finding():
    text = "Government buildings were attacked and partially destroyed, and two were killed."
    assert found(text, "attribution") == [
        ("were attacked and partially destroyed", "agentless"), ("were killed", "agentless")]


def test_passives_where_no_one_is_hidden_are_not_flagged():
    assert found("The referendum was held in June. Talks were scheduled.", "attribution") == []


# --- hedges and intensifiers ----------------------------------------------------------

@pytest.mark.parametrize(("text", "words", "category"), [
    ("The protesters may have been angry.", "may have", "hedge"),
    ("Perhaps the question will be addressed.", "Perhaps", "hedge"),
    ("The move could backfire.", "could", "hedge"),
    ("It seems the talks stalled.", "It seems", "hedge"),
    ("The result was very close.", "very", "intensifier"),
    ("The claim is absolutely false.", "absolutely", "intensifier"),
    ("The minister was extremely busy.", "extremely", "intensifier"),
])
def test_hedges_and_intensifiers(text, words, category):
    result = finding(text, words)
    assert (result.kind, result.category) == ("hedge", category)


def test_modal_look_alikes_are_not_hedges():
    assert found("In May, Theresa May said it could not be done.", "hedge") == []


# --- offsets on any text ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "“Thugs,” he said — and the “regime” replied.",
    "Москва 🙂 заявила: the thugs allegedly fled. Ещё раз.",
    "Officials call it collateral\u00a0damage; experts say otherwise.",
    "🙂🙂 The so‑called reforms were\u202fvery slow. 👍 Hundreds were killed.",
    "Zoë’s café: the mob’s “bandits” may have fled.\r\nCritics argue otherwise.",
])
def test_every_finding_is_the_exact_slice_of_the_input(text):
    findings = analyze(text)
    assert findings
    for result in findings:
        assert result.text == text[result.start:result.end]
        assert result.kind in KINDS


def test_offsets_after_astral_characters_are_python_str_offsets():
    text = "🙂 “Thugs”"
    (result,) = analyze(text)
    assert (result.start, result.end) == (3, 8)
    assert text[3:8] == "Thugs"


def test_a_no_break_space_joins_a_phrase():
    result = finding("It was collateral\u00a0damage.", "collateral\u00a0damage")
    assert result.category == "euphemism"


def test_findings_on_the_seed_documents_are_exact_slices(documents):
    for text in documents.values():
        for result in analyze(text):
            assert text[result.start:result.end] == result.text


def test_empty_and_wordless_text_give_no_findings():
    assert analyze("") == []
    assert analyze("— … !!") == []


def test_finding_as_dict_has_the_documented_keys():
    (result,) = analyze("thugs")
    assert set(result.to_dict()) == {"start", "end", "text", "kind", "category",
                                     "suggestion", "reason"}


# --- morphology ------------------------------------------------------------------------------

def test_inflections_of_nouns_and_verbs():
    assert ("cronies",) in inflections("crony", "noun")
    assert ("slammed",) in inflections("slam", "verb")
    assert ("lashing", "out") in inflections("lash out", "verb")
    assert ("demonised",) in inflections("demonize", "verb")
    assert inflections("so-called", "adj") == [("so-called",)]


def test_suggestions_follow_the_form_found():
    assert agree("attacker", "noun", "thugs", "thug") == "attackers"
    assert agree("say", "verb", "boasted", "boast") == "said"
    assert agree("criticise", "verb", "slams", "slam") == "criticises"
    assert agree("(name who says so)", "noun", "thugs", "thug") == "(name who says so)"
    assert agree("unrest", "noun", "riots", "riot") == "unrest"  # no plural


# --- the data files --------------------------------------------------------------------------

def test_the_shipped_data_files_load_and_are_consistent():
    lexicon = load_lexicon()
    assert lexicon.entries["loaded"] >= 500
    assert lexicon.entries["attribution_patterns"] >= 10
    assert lexicon.entries["hedge_patterns"] >= 30
    kinds = {category.kind for category in lexicon.categories.values()}
    assert kinds == set(KINDS)
    for patterns in (lexicon.loaded, lexicon.attribution, lexicon.hedges):
        for candidates in patterns.index.values():
            for pattern in candidates:
                assert pattern.rule.category in lexicon.categories
                assert pattern.rule.reason
    assert lexicon.category_name("label") == "Labels and name-calling"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _append(path: Path, text: str) -> int:
    """Append ``text`` to ``path``; return the line number it starts on."""
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    path.write_text(content + text, encoding="utf-8")
    return content.count("\n") + 1


def test_a_misspelt_field_is_reported_with_file_line_and_a_hint(data_copy):
    line = _append(data_copy / "loaded" / "labels.yaml",
                   "  - {term: scallywag, pos: noun, nuetral: rascal}\n")
    with pytest.raises(LexiconError) as error:
        load_lexicon(data_copy)
    message = str(error.value)
    assert f"labels.yaml:{line}: unknown field 'nuetral'" in message
    assert "did you mean 'neutral'?" in message


@pytest.mark.parametrize(("entry", "expected"), [
    ("  - {term: scallywag, pos: nun}\n", "unknown pos 'nun'"),
    ("  - {term: scallywag, category: rude}\n", "unknown category 'rude'"),
    ("  - {term: scallywag, category: hedge}\n", "is a hedge category, not loaded"),
    ("  - {pos: noun}\n", "an entry needs 'term'"),
    ("  - {term: thug, pos: noun}\n", "is already an entry at labels.yaml"),
    ("  - {term: \"U.S. puppet\", pos: noun}\n", "must be one word"),
    ("  - {term: scallywag, unless_next: [riot police]}\n", "is not a single word"),
    ("  - {term: scallywag, lowercase: maybe}\n", "must be true or false"),
])
def test_malformed_loaded_entries_give_clear_errors(data_copy, entry, expected):
    line = _append(data_copy / "loaded" / "labels.yaml", entry)
    with pytest.raises(LexiconError) as error:
        load_lexicon(data_copy)
    assert f"labels.yaml:{line}" in str(error.value)
    assert expected in str(error.value)


def test_broken_yaml_is_reported_with_its_file(data_copy):
    _append(data_copy / "loaded" / "labels.yaml", "  - {term: scallywag\n")
    with pytest.raises(LexiconError, match=r"labels.yaml:\d+: not valid YAML"):
        load_lexicon(data_copy)


def test_a_pattern_with_an_unknown_word_set_is_reported(data_copy):
    path = data_copy / "hedges.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'pattern: "perhaps"', 'pattern: "perhaps @nowhere"'), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"hedges.yaml:\d+: .*unknown word set '@nowhere'"):
        load_lexicon(data_copy)


def test_a_missing_data_file_is_reported(data_copy):
    (data_copy / "hedges.yaml").unlink()
    with pytest.raises(LexiconError, match="hedges.yaml: cannot read"):
        load_lexicon(data_copy)


def test_an_extended_lexicon_is_used(data_copy):
    _append(data_copy / "loaded" / "labels.yaml",
            "  - {term: scallywag, pos: noun, neutral: person, why: \"Mocks {text}.\"}\n")
    lexicon = load_lexicon(data_copy)
    (result,) = analyze("Two scallywags left.", lexicon)
    assert (result.text, result.suggestion, result.reason) == (
        "scallywags", "persons", "Mocks scallywags.")
