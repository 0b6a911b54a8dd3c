"""Page arithmetic for long lists (the gradebook shows its students a hundred at a time).

Pure: a :class:`Page` knows which slice of ``total`` items page ``number`` holds, how to
say so ("Students 101–200 of 1,000") and which page numbers a pager links to. Page
numbers are 1-based, as in the ``?page=`` parameter.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# "?page=" holds at most this many digits: nobody pages to a millionth page of students.
MAX_PAGE_DIGITS = 6
_PAGE_NUMBER = re.compile(rf"[0-9]{{1,{MAX_PAGE_DIGITS}}}")


def parse_page(raw: str | None) -> int:
    """Read a ``?page=`` parameter: absent or empty means page 1.

    Anything but a whole number from 1 up written with ASCII digits (no sign, no space,
    at most :data:`MAX_PAGE_DIGITS` digits) raises :class:`ValueError`.
    """
    if not raw:
        return 1
    if not _PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise ValueError(f"The page must be a whole number from 1 up "
                         f"(at most {MAX_PAGE_DIGITS} digits).")
    return int(raw)


@dataclass(frozen=True, slots=True)
class Page:
    """Page ``number`` of ``total`` items shown ``size`` at a time.

    An empty list has one (empty) page, so page 1 always exists. A ``number`` past
    :attr:`count` is allowed here; :attr:`exists` says whether it is a real page.
    """

    number: int
    size: int
    total: int

    def __post_init__(self) -> None:
        if self.number < 1 or self.size < 1 or self.total < 0:
            raise ValueError(f"no such page: {self.number} of {self.total} by {self.size}")

    @property
    def count(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, math.ceil(self.total / self.size))

    @property
    def exists(self) -> bool:
        return self.number <= self.count

    @property
    def start(self) -> int:
        """Index of the page's first item (for slicing)."""
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        """Index just past the page's last item (for slicing)."""
        return min(self.total, self.number * self.size)

    @property
    def previous(self) -> int | None:
        """The previous page's number, or None on the first page."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page's number, or None on the last page."""
        return self.number + 1 if self.number < self.count else None

    def label(self, noun: str) -> str:
        """Which items the page shows, in words: "Students 101–200 of 1,000".

        ``noun`` is the plural, capitalised as it should appear.
        """
        if not self.exists or self.total == 0:
            return f"No {noun.lower()}"
        return f"{noun} {self.start + 1:,}–{self.stop:,} of {self.total:,}"

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager links to: the first, the last, and ``around`` pages
        either side of this one, in order, with None where numbers are left out.

        A gap of one page is filled with that page rather than a None.
        """
        shown = {1, self.count, *range(self.number - around, self.number + around + 1)}
        result: list[int | None] = []
        last = 0
        for number in sorted(n for n in shown if 1 <= n <= self.count):
            if number - last == 2:
                result.append(number - 1)
            elif number - last > 2:
                result.append(None)
            result.append(number)
            last = number
        return result
