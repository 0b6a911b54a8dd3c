"""Per-process caches of what never changes once written, or is keyed by all it depends on.

The quiz page keeps three such things (a lesson version's content, its blank question
markup, the page cut where each student's values go; docs/deploy.md lists them). Each is
a :class:`Kept`: bounded, least recently used out first, safe for gunicorn's threads,
and one per app (``app.extensions``), so a test's fresh app starts empty.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

from flask import current_app

V = TypeVar("V")


class Kept(Generic[V]):
    """At most ``size`` values by key; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, make: Callable[[], V | None]) -> V | None:
        """The value kept for ``key``, else ``make()``'s, kept unless it is None.

        ``make`` runs outside the lock: two threads missing the same key at once both
        make it, and either result may stay (they are equal).
        """
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
                return found
        made = make()
        if made is not None:
            with self._lock:
                self._values[key] = made
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return made


def kept(name: str, size: int) -> Kept:
    """The current app's cache ``name`` (made on first use, holding ``size`` values)."""
    caches = current_app.extensions.setdefault("framinglab.kept", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, Kept(size))
    return cache
