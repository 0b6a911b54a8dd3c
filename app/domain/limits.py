"""How long each piece of a lesson may be, so the compiler refuses what cannot be stored.

Some pieces land in database columns of a fixed width; the others are shown and edited
in the browser, whose forms have limits of their own. The lesson compiler checks every
text it reads against :data:`FIELDS` before anything is stored, so a lesson that imports,
syncs or publishes can always be saved, answered and edited. A test checks the column
widths against the models (``tests/unit/test_lesson_limits.py``).
"""

from __future__ import annotations

from typing import Final

SLUG: Final = 80  # lessons.slug
TITLE: Final = 200  # lessons.title
# Question ids are stored with every answer (attempt_answers.question_id); excerpt and
# option ids follow the same rule.
ID: Final = 64
DOCUMENT_SLUG: Final = 80  # documents.slug
WORD: Final = 16  # lessons.level and lessons.status
KIND: Final = 32  # attempt_answers.kind
SHORT_TEXT: Final = 300  # the editor's one-line fields: option text, neutral wording, a goal
LONG_TEXT: Final = 4_000  # the editor's text areas: summary, prompt, why, feedback
# An excerpt is what a student reads in one question; the longest shipped one is 1,700
# characters. The limit also bounds the closest-passage search when a quote is not found.
QUOTE: Final = 10_000
PHRASE: Final = 2_000  # a key phrase (a word, a phrase or a sentence of the excerpt)

# The limit of every text field of the lesson format, by field name.
FIELDS: Final[dict[str, int]] = {
    "slug": SLUG, "title": TITLE, "summary": LONG_TEXT, "level": WORD, "status": WORD,
    "id": ID, "kind": KIND, "document": DOCUMENT_SLUG, "quote": QUOTE, "prompt": LONG_TEXT,
    "excerpt": ID, "phrase": PHRASE, "neutral": SHORT_TEXT, "why": LONG_TEXT,
    "reason": LONG_TEXT, "text": SHORT_TEXT, "feedback": LONG_TEXT, "frame": ID,
    "frame_why": LONG_TEXT, "also_frame": ID, "also_why": LONG_TEXT, "goals": SHORT_TEXT,
    # readings (lessons/readings/): the case for and against a debatable judgement, a
    # public source cited by an explanation, a category, and the passage that places a
    # phrase repeated in the document
    "for": LONG_TEXT, "against": LONG_TEXT, "source": SHORT_TEXT, "notes": LONG_TEXT * 4,
    "about": ID, "in": PHRASE, "mark": ID,
    # verify and omission questions: the claim checked, the verdict, a card offered (a
    # shelf card's id), a fact offered ("<card id>#<fact id>") and its role
    "claim": PHRASE, "verdict": ID, "card": SLUG, "fact": SLUG + 1 + ID, "role": ID,
}

# Shelf cards (lessons/shelf/, app.domain.shelf): a card's id is its slug (shelf_cards.slug,
# as wide as a lesson's), its title the column's width; the rest is read in lists and inside
# questions, so it is kept short.
CARD_SUMMARY: Final = 300
FACT_TEXT: Final = 600
PROFILE_TEXT: Final = 1_500  # a source card's who, pays, wants and record
SOURCE_TITLE: Final = SHORT_TEXT  # the title of a published source a card cites
URL: Final = 2_000
CARD_FIELDS: Final[dict[str, int]] = {
    "id": SLUG, "kind": KIND, "title": TITLE, "summary": CARD_SUMMARY, "body": LONG_TEXT,
    "text": FACT_TEXT, "date": 100, "publisher": TITLE, "url": URL, "role": WORD,
    "names": TITLE, "who": PROFILE_TEXT, "pays": PROFILE_TEXT, "wants": PROFILE_TEXT,
    "record": PROFILE_TEXT,
}
