"""The excerpt as checkboxes (the `markable` macro of student/_marking.html): its text is the
excerpt's, character for character, so no space ever opens before a comma or a full stop
("dangers ,") and a student reads the excerpt as the author wrote it; every word is a real
checkbox with its label, so marking works without JavaScript."""

from __future__ import annotations

import html
import re

from app.student.present import markable_view

TEXT = ("The year was full of dangers, and they let themselves be felt.\n\n"
        "“Will he stand up to the mob?” There were calls for “concessions”; Mr. Smith—"
        "the envoy—said: no (not yet).")


def render(app, unit: str, checked: set[int] = frozenset()) -> str:
    marker = markable_view("q.x", TEXT, unit, set(checked))
    with app.test_request_context("/"):
        macros = app.jinja_env.get_template("student/_marking.html").module
        return str(macros.markable(marker, "label-id"))


def group_text(markup: str) -> str:
    """What the group shows: its markup without tags (the inputs show nothing)."""
    inner = re.search(r'<div class="markable[^"]*"[^>]*>(.*)</div>', markup, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", inner))


def test_the_words_and_the_text_between_them_are_the_excerpt_exactly(app):
    markup = render(app, "word", {5})
    assert group_text(markup) == TEXT
    labels = [html.unescape(label) for label in re.findall(r"<label [^>]*>([^<]*)</label>", markup)]
    assert labels[:6] == ["The", "year", "was", "full", "of", "dangers"]
    assert all(label == label.strip() for label in labels)
    # Nothing between a word and the punctuation that follows it.
    assert ">dangers</label>, <input" in markup
    assert ">mob</label>?” <input" in markup
    # Each word a checkbox with its own label; the marked one ticked, without JavaScript.
    assert markup.count('type="checkbox"') == len(labels)
    assert re.search(r'<input class="mark" type="checkbox" id="q-x-w5" name="q.x.w" value="5" '
                     r'checked><label for="q-x-w5">dangers</label>', markup)


def test_sentences_keep_the_text_between_them(app):
    markup = render(app, "sentence")
    assert group_text(markup) == TEXT
    assert 'data-unit="sentence"' in markup and "markable-sentence" in markup
    first = re.search(r"<label [^>]*>([^<]*)</label>", markup).group(1)
    assert first == "The year was full of dangers, and they let themselves be felt."
