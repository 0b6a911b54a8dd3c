"""The catalogue of source documents (``seeds/documents.yaml``) and text integrity.

Documents are the ground truth every excerpt is checked against, so the catalogue is
strict: every entry names its file and the SHA-256 of the file's bytes, and loading a
file whose bytes differ is refused rather than silently storing different text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from app.domain import yamllines

_FIELDS = ("slug", "file", "sha256", "title", "title_in_text", "author", "outlet",
           "publisher_note", "stance", "genre", "genre_note")

# What kind of writing a document is, and how the app names it. A news report tells what
# happened and attributes what it does not witness; the others argue, campaign, interpret
# or write up an event from the organiser's side. "" (not in this mapping) means no one
# has said yet, as for a teacher's document before they set it.
GENRE_LABELS: dict[str, str] = {
    "news_report": "News report",
    "opinion": "Opinion",
    "advocacy": "Advocacy",
    "analysis": "Analysis",
    "event_writeup": "Event write-up",
}
GENRES: tuple[str, ...] = tuple(GENRE_LABELS)


class CatalogueError(ValueError):
    """The catalogue is malformed or a document's bytes do not match it."""


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the catalogue records about one document."""

    slug: str
    file: str
    sha256: str
    title: str
    author: str
    outlet: str
    publisher_note: str
    stance: str = ""
    title_in_text: bool = True
    genre: str = ""
    genre_note: str = ""

    @property
    def genre_label(self) -> str:
        """The genre as the app names it ("Event write-up"), or "" when none is set."""
        return genre_label(self.genre)

    @property
    def credit(self) -> str:
        """How the document is credited next to an excerpt."""
        return credit(self.author, self.outlet)


def genre_label(genre: str | None) -> str:
    """How the app names a genre: ``genre_label("event_writeup") == "Event write-up"``.

    "" for no genre; an unknown value is shown as it is rather than hidden.
    """
    return GENRE_LABELS.get(genre or "", genre or "")


def credit(author: str | None, outlet: str | None) -> str:
    """Credit line for an excerpt: outlet and author where known, else says they are unknown."""
    known = {"author": author if author and author != "unknown" else None,
             "outlet": outlet if outlet and outlet != "unknown" else None}
    if known["author"] and known["outlet"]:
        return f"{known['author']}, {known['outlet']}"
    if known["author"]:
        return f"{known['author']} (outlet unknown)"
    if known["outlet"]:
        return f"{known['outlet']} (author unknown)"
    return "Author and outlet unknown"


def excerpt_credit(title: str, author: str | None, outlet: str | None) -> str:
    """Credit line for an excerpt named apart from its document: "Excerpt of “Title”, …".

    Never "From “Title”": a headline may itself start with "From" ("From January to
    July: …"), and the credit then read "From “From January…”".

    >>> excerpt_credit("From January to July", "A. Babich", "The Astana Times")
    'Excerpt of “From January to July”, A. Babich, The Astana Times'
    """
    return f"Excerpt of “{title}”, {credit(author, outlet)}"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of raw bytes (the catalogue's integrity check)."""
    return hashlib.sha256(data).hexdigest()


def parse_catalogue(text: str) -> list[DocumentMeta]:
    """Parse ``documents.yaml``; raise :class:`CatalogueError` naming the bad entry."""
    try:
        data: Any = yamllines.load(text)
    except yamllines.YamlProblem as error:
        raise CatalogueError(f"documents.yaml is not valid: {error}") from error
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError("documents.yaml needs a non-empty 'documents' list")
    documents: list[DocumentMeta] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CatalogueError(f"document #{number} must be a mapping")
        unknown = set(entry) - set(_FIELDS)
        if unknown:
            raise CatalogueError(f"document #{number} has unknown fields: {sorted(unknown)}")
        missing = [name for name in ("slug", "file", "sha256", "title") if not entry.get(name)]
        if missing:
            raise CatalogueError(f"document #{number} is missing: {', '.join(missing)}")
        if entry["slug"] in seen:
            raise CatalogueError(f"document slug '{entry['slug']}' appears twice")
        seen.add(entry["slug"])
        genre = str(entry.get("genre") or "")
        if genre and genre not in GENRES:
            raise CatalogueError(
                f"document '{entry['slug']}' has unknown genre '{genre}' "
                f"(one of: {', '.join(GENRES)})")
        if entry.get("genre_note") and not genre:
            raise CatalogueError(f"document '{entry['slug']}' has a genre_note but no genre")
        documents.append(DocumentMeta(
            slug=str(entry["slug"]), file=str(entry["file"]), sha256=str(entry["sha256"]).lower(),
            title=str(entry["title"]), author=str(entry.get("author") or "unknown"),
            outlet=str(entry.get("outlet") or "unknown"),
            publisher_note=str(entry.get("publisher_note") or ""),
            stance=str(entry.get("stance") or ""),
            title_in_text=bool(entry.get("title_in_text", True)),
            genre=genre, genre_note=str(entry.get("genre_note") or "").strip(),
        ))
    return documents


def decode_document(meta: DocumentMeta, data: bytes) -> str:
    """Check a document's bytes against the catalogue and decode them as UTF-8."""
    actual = sha256_hex(data)
    if actual != meta.sha256:
        raise CatalogueError(
            f"{meta.file} does not match documents.yaml (sha256 {actual[:12]}…, expected "
            f"{meta.sha256[:12]}…); the seed text must stay byte for byte as given"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogueError(f"{meta.file} is not UTF-8 text") from error
