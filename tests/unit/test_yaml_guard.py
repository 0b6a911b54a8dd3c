"""The guarded YAML reader: what a pasted lesson file must not be able to do to a worker.

Each payload is one the security review sent (issue 11, rows F1, F2 and F12): every one
is a ``line N`` problem, found quickly, never a crash, a stall or a 500.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.domain import yamldepth, yamllines
from app.domain.lessons import LessonInvalid, compile_lesson

ROOT = Path(__file__).resolve().parents[2]
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True))


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(yamllines.YamlProblem) as raised:
        yamllines.load(text)
    return raised.value.problems


# --- F1: nesting ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "[" * 60000 + "]" * 60000,  # segfaulted libyaml's composer
    "title: " + "[" * 20000 + "]" * 20000,  # a RecursionError
    "a: " + "{b: " * 5000 + "c" + "}" * 5000,
    "- " * 60000 + "x",
    "".join(" " * level + "a:\n" for level in range(40)) + " " * 40 + "x\n",
    "- &x " + "[" * 100000,  # an anchor before the brackets hides nothing
])
def test_deep_nesting_is_refused_before_the_parser_runs(text, monkeypatch):
    def no_parser(*args, **kwargs):
        raise AssertionError("the parser ran")
    monkeypatch.setattr(yaml, "parse", no_parser)
    problems = problems_of(text)
    assert len(problems) == 1
    line, message = problems[0]
    assert message.startswith("nested too deep: at most 20 levels")
    assert line >= 1


def test_nesting_the_scan_cannot_see_is_still_counted_while_parsing():
    # An indentless list under each key: the scan counts one level per line, YAML two.
    text = "".join(" " * (2 * level) + "- a:\n" for level in range(15)) + " " * 30 + "x\n"
    assert yamldepth.too_deep(text, yamllines.MAX_DEPTH) is None
    assert problems_of(text)[0][1].startswith("nested too deep")


def test_brackets_in_quotes_comments_and_block_text_are_not_nesting():
    text = ('quote: "[[[[[[[[[[[[[[[[[[[[[[[[[["\n'
            "other: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\n"
            "plain: some [[[[[[[[[[[[[[[[[[[[[[[[[[[[ text\n"
            "list: [it's, 'a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', b]  # [[[[[[[[[[[[[[[[[[[[[[\n"
            "block: |\n" + "".join(f"  {' ' * n}[[[[ {n}\n" for n in range(30)))
    data = yamllines.load(text)
    assert data["list"] == ["it's", "a " + "[" * 31, "b"]
    assert data["block"].count("[[[[") == 30


def test_the_shipped_files_nest_exactly_as_deep_as_the_scan_says():
    for path in [*ROOT.glob("lessons/*.yaml"), *ROOT.glob("app/domain/lens/data/**/*.yaml"),
                 ROOT / "seeds" / "documents.yaml"]:
        text = path.read_text(encoding="utf-8")
        real = depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                real = max(real, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        assert yamldepth.too_deep(text, real) is None, path
        assert yamldepth.too_deep(text, real - 1) is not None, path
        yamllines.load(text)  # and every guard lets them through


# --- F2: anchors, aliases and size ----------------------------------------------------------

def test_billion_laughs_is_refused_at_its_first_anchor_without_expanding_anything():
    problems = problems_of(BILLION_LAUGHS)
    assert problems[0] == (1, "'&a' marks a part of the file to repeat (an anchor); lesson "
                              "files do not use anchors or aliases")
    assert any("'*a' repeats another part of the file" in message for _, message in problems)
    assert len(problems) <= yamllines.MAX_PROBLEMS + 1
    assert problems[-1][1] == "too many problems; fix these first"


def test_a_self_referencing_alias_is_a_problem_on_its_line():
    assert problems_of("title: x\nloop: &me [*me]\n") == [
        (2, "'&me' marks a part of the file to repeat (an anchor); lesson files do not use "
            "anchors or aliases"),
        (2, "'*me' repeats another part of the file (an alias); lesson files do not use "
            "aliases — write the value out")]


def test_size_and_value_count_are_capped():
    assert problems_of("a: " + "x" * yamllines.MAX_CHARS) == [
        (1, "the file is 500,003 characters long; at most 500,000 can be read")]
    many = "[" + "1," * yamllines.MAX_NODES + "1]"
    assert problems_of(many)[0][1] == "too many values: at most 50,000 in one file"


# --- F12: tags, dates, numbers, control characters ------------------------------------------

@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: x\nsummary: !foo bar\n", 2,
     "the tag '!foo' is not used in lesson files (only text, numbers, true/false and null)"),
    ("a: !!python/name:os.system\n", 1, "the tag '!!python/name:os.system' is not used in "
                                        "lesson files (only text, numbers, true/false and null)"),
    ("a: !!binary aGVsbG8=\n", 1, "the tag '!!binary' is not used in lesson files (only "
                                  "text, numbers, true/false and null)"),
    ("a: !!timestamp 2024-01-01\n", 1, "the tag '!!timestamp' is not used in lesson files "
                                       "(only text, numbers, true/false and null)"),
    ("a: !!set {x, y}\n", 1, "the tag '!!set' is not used in lesson files (lists and "
                             "mappings need none)"),
    ("a: 1\nminutes: !!int abc\n", 2, "'abc' is not a whole number"),
    ("a: !!bool maybe\n", 1, "'maybe' is not true or false"),
    ("minutes: " + "9" * 5000 + "\n", 1,
     "a number of 5,000 characters is too long (at most 100); put it in quotes if it is text"),
    ("a: b\nc: \x00d\n", 2, "the text holds a control character (U+0000, NUL); a lesson "
                            "cannot store it"),
    ('a: b\nc: "d\\0e"\n', 2, "the text holds a control character (U+0000, NUL); a lesson "
                              "cannot store it"),
    ('a: "\\x1b[31m"\n', 1, "the text holds a control character (U+001B, escape); a lesson "
                            "cannot store it"),
    ("a: b\nc: \ud800\n", 2, "the text holds an unpaired surrogate (U+D800), which is not "
                            "text; a lesson cannot store it"),
    ("a: 1\n---\nb: 2\n", 2, "not valid YAML: expected a single document in the stream, "
                             "found another"),
])
def test_tags_numbers_and_control_characters_are_problems_on_their_line(text, line, message):
    assert problems_of(text) == [(line, message)]


def test_dates_stay_text_and_the_plain_types_still_read():
    data = yamllines.load("a: 2024-02-30\nb: 2024-01-05\nc: yes\nd: true\ne: 1.5\nf: ~\n"
                          "g: !!str 5\nh: !!int 7\ni: 0x1F\nj: '12'\nk: 2022-01-05 10:00:00\n")
    assert data == {"a": "2024-02-30", "b": "2024-01-05", "c": "yes", "d": True, "e": 1.5,
                    "f": None, "g": "5", "h": 7, "i": 31, "j": "12", "k": "2022-01-05 10:00:00"}


def test_a_lesson_with_these_problems_is_refused_with_every_line():
    text = ("slug: x\ntitle: !foo t\nsummary: 2024-02-30\nlevel: intro\n"
            "minutes: " + "1" * 5000 + "\nexcerpts: []\nquestions: []\n")
    with pytest.raises(LessonInvalid) as invalid:
        compile_lesson(text, "x.yaml", {})
    assert [str(issue) for issue in invalid.value.issues] == [
        "x.yaml:2: the tag '!foo' is not used in lesson files (only text, numbers, "
        "true/false and null)",
        "x.yaml:5: a number of 5,000 characters is too long (at most 100); put it in quotes "
        "if it is text"]


# --- one reader -----------------------------------------------------------------------------

_READS = re.compile(r"yaml\.(?:safe_load|load|full_load|unsafe_load|compose|parse|scan)\b|"
                    r"Loader\b")


def test_the_app_reads_yaml_only_through_the_guarded_reader():
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "app").rglob("*.py")
                     if _READS.search(path.read_text(encoding="utf-8")))
    assert readers == ["app/domain/yamllines.py"]
