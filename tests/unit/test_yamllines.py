"""The line-remembering YAML reader shared by lesson files and the lens lexicon."""

from __future__ import annotations

import pytest

from app.domain import yamllines


def test_maps_and_lists_remember_their_lines():
    data = yamllines.load("title: x\nitems:\n  - a\n  - b: 1\n")
    assert data.key_lines == {"title": 1, "items": 2}
    assert data["items"].item_lines == [3, 4]
    assert data["items"][1].line == 4


def test_yes_and_no_stay_words_but_true_and_false_are_booleans():
    data = yamllines.load("phrase: no\nother: Yes\ncorrect: true\nwrong: False\n")
    assert data == {"phrase": "no", "other": "Yes", "correct": True, "wrong": False}


def test_a_repeated_key_and_bad_syntax_name_their_lines():
    with pytest.raises(yamllines.YamlProblem) as repeated:
        yamllines.load("a: 1\nb: 2\na: 3\n")
    assert repeated.value.problems == [(3, "the key 'a' appears twice")]
    with pytest.raises(yamllines.YamlProblem) as broken:
        yamllines.load("a: 1\nb: x: y\n")
    assert broken.value.problems[0][0] == 2
    assert "not valid YAML" in broken.value.problems[0][1]
