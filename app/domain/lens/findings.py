"""What the lens reports: a :class:`Finding` is a span of the analysed text with a verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("loaded", "attribution", "hedge")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of language the lens flags, located by Python ``str`` offsets.

    ``text`` is always ``analysed_text[start:end]``. ``kind`` is one of :data:`KINDS`;
    ``category`` is a category id from ``data/categories.yaml``; ``suggestion`` is a
    neutral alternative ("" when none fits) and ``reason`` one line saying why it was flagged.
    """

    start: int
    end: int
    text: str
    kind: str
    category: str
    suggestion: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict with the keys the CLI and web views use."""
        return asdict(self)
