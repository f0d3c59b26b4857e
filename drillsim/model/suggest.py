"""Suggestions for mistyped names in messages: `` (did you mean 'gpki'?)``."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable

__all__ = ["Suggester", "did_you_mean"]


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'gpki'?)`` when a close match exists, else an empty string."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


class Suggester:
    """Did-you-mean over a large set of ids in O(log n) a question.

    Comparing a typo with each of 50,000 ids takes a tenth of a second, so a file with many
    unknown references would take minutes. Typos keep most of the start or most of the end of a
    word: the closest match is looked for among the ids nearest in sorted order, forwards and
    backwards spelt. Sets of up to :attr:`FULL` ids are searched whole.
    """

    FULL = 500
    NEAR = 40

    def __init__(self, candidates: Iterable[str]):
        self.all = sorted(candidates)
        self.backwards = sorted(c[::-1] for c in self.all) if len(self.all) > self.FULL else []

    def _near(self, ordered: list[str], key: str) -> list[str]:
        at = bisect.bisect_left(ordered, key)
        return ordered[max(0, at - self.NEAR): at + self.NEAR]

    def __call__(self, value: str) -> str:
        if len(self.all) <= self.FULL:
            return did_you_mean(value, self.all)
        pool = self._near(self.all, value) + [c[::-1] for c in self._near(self.backwards, value[::-1])]
        return did_you_mean(value, dict.fromkeys(pool))
