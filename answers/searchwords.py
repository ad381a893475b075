"""The search-word signal: which of a document's search words a question contains, as an editor would read it.

A 115 knowledge base lists, per service, the words citizens use ("Fahrrad gefunden", "Dorffest", "alter
Fernseher"). A search word counts for a question when every one of its content words is in the question —
spelled differently (inflection: "alten" / "alter"), inside a compound ("Dorffest" holds "Fest",
"Sperrmüllabholung" holds "Sperrmüll"), split ("hunde steuer" is "Hundesteuer") or with one typo
("verlohren"). Rare words weigh more than common ones (inverse document frequency), and of the search words
a document has the one with the most weight counts, so the longer, more specific match wins: "Job
verloren" (Bürgergeld) over "verloren" (lost property).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from answers.language import ENGLISH, GERMAN

WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Endings of inflection and of the verb's noun ("Ummeldung" / "ummelden"), longest first; one is taken off
# when at least three letters remain.
ENDINGS = ("ungen", "ung", "ern", "em", "en", "er", "es", "e", "n", "s")
# What a question is made of but says nothing about its topic. The everyday lists of answers.language also
# hold verbs that name what someone wants ("verloren", "anmelden"): those are content here.
ACTIONS = {
    "verloren", "gefunden", "anmelden", "abmelden", "beantragen", "melden", "umgezogen", "neu", "neuen",
    "lost", "found", "moved", "register", "apply", "new", "kosten", "kostet", "cost", "costs",
}  # fmt: skip
EVERYDAY = {
    "im", "in", "an", "am", "zu", "über", "meinem", "meiner", "meines", "unser", "unsere", "unseren",
    "unserem", "mehr", "damit", "wohin", "etwas", "jetzt", "noch", "schon", "auch", "nur", "so", "als", "wenn",
    "dass", "gerade", "einfach", "jemand", "some", "any", "someone", "something", "into", "by", "about", "be",
    "its",
}  # fmt: skip
# "bin" is German "am" and the English waste bin: kept.
FUNCTION_WORDS = (GERMAN | ENGLISH | EVERYDAY) - ACTIONS - {"bin"}


def stem(word: str) -> str:
    """Lower case, umlauts folded, one inflection ending off: "Fernseher" and "Fernsehern" → "fernseh"."""
    folded = word.lower().translate(FOLD)
    for ending in ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            return folded[: -len(ending)]
    return folded


def content_stems(text: str) -> list[str]:
    """The stems of the words of ``text`` that carry meaning, in order."""
    return [stem(word) for word in WORD.findall(text) if word.lower() not in FUNCTION_WORDS]


def _edits_at_most(a: str, b: str, limit: int) -> bool:
    """Whether ``a`` becomes ``b`` in at most ``limit`` insertions, deletions, substitutions or swaps."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


# Prefixes that make another verb, not a compound: "ummelden" is no kind of "melden".
VERB_PREFIXES = {
    "an", "ab", "um", "aus", "ein", "auf", "zu", "ver", "be", "ge", "er", "ent", "zer", "vor", "nach",
}  # fmt: skip


def matches(asked: str, listed: str, *, loosely: bool = True) -> bool:
    """Whether the question's stem ``asked`` stands for the search word's stem ``listed``.

    Equal; or, ``loosely``: a compound of the question that ends with it (its head: "dorffest" holds "fest")
    or starts with a longer one ("sperrmullabholung" holds "sperrmull"); or one typo away (two in long words)
    after the same first two letters.
    """
    if asked == listed:
        return True
    if not loosely:
        return False
    modifier = asked[: -len(listed)] if len(listed) >= 4 and asked.endswith(listed) else ""
    if len(modifier) >= 3 and modifier not in VERB_PREFIXES:
        return True
    if len(listed) >= 5 and asked.startswith(listed):
        return True
    # Typos rarely hit the first two letters, and there "an-", "ab-" and "um-" make opposites: "anmeld" ≠ "abmeld".
    if len(listed) >= 5 and asked[:2] == listed[:2]:
        return _edits_at_most(asked, listed, 2 if len(listed) >= 10 else 1)
    return False


@dataclass(frozen=True)
class SearchWords:
    """The search words of a set of documents, prepared once per build of the index."""

    phrases: tuple[tuple[tuple[str, ...], ...], ...]  # per document: its search words as stems
    vocabulary: frozenset[str]  # every stem of every search word
    weight: dict[str, float]  # inverse document frequency of a stem
    full: float  # the weight of a word only one document has: a match that heavy scores 1

    @classmethod
    def of(cls, documents: Iterable[Iterable[str]]) -> SearchWords:
        phrases = tuple(tuple(dict.fromkeys(filter(None, map(_phrase, words)))) for words in documents)
        frequency: dict[str, int] = {}
        for document in phrases:
            for found in {word for phrase in document for word in phrase}:
                frequency[found] = frequency.get(found, 0) + 1
        total = max(len(phrases), 1)
        weight = {word: math.log(1 + total / count) for word, count in frequency.items()}
        return cls(phrases, frozenset(weight), weight, math.log(1 + total))

    def _asked(self, text: str) -> list[tuple[str, bool, float]]:
        """The question's stems, each saying whether it only matches exactly, with its share of its weight.

        A word of the question that is a search word itself stands for that one only (the longest match:
        "Parkausweis" is the parking permit, not "Ausweis"); joined neighbours only ever match exactly.
        """
        return [(word, joined or word in self.vocabulary, part) for word, joined, part in question_stems(text)]

    def scores(self, text: str) -> dict[int, float]:
        """Per document index: the weight of its heaviest search word that the question contains (1: as heavy as
        a word only one document has; more for several words)."""
        asked = self._asked(text)
        known: dict[str, float] = {}

        def share(listed: str) -> float:
            if listed not in known:
                known[listed] = max(
                    (part for word, exact, part in asked if matches(word, listed, loosely=not exact)), default=0.0
                )
            return known[listed]

        found: dict[int, float] = {}
        for index, document in enumerate(self.phrases):
            best = 0.0
            for phrase in document:
                shares = [share(word) for word in phrase]
                if all(shares):
                    best = max(best, sum(self.weight[word] * part for word, part in zip(phrase, shares, strict=True)))
            if best > 0:
                found[index] = best / self.full
        return found

    def cue(self, text: str, cues: Iterable[str]) -> float:
        """The weight (as in :meth:`scores`) of the heaviest of ``cues`` that the question contains; words no
        search word has weigh as much as the rarest."""
        asked = self._asked(text)
        heaviest = 0.0
        for phrase in filter(None, map(_phrase, cues)):
            if all(any(matches(word, listed, loosely=not exact) for word, exact, _part in asked) for listed in phrase):
                heaviest = max(heaviest, sum(self.weight.get(word, self.full) for word in phrase) / self.full)
        return heaviest


def _phrase(words: str) -> tuple[str, ...]:
    """A search word's content stems; none when most of its words say nothing ("where does someone live")."""
    stems = content_stems(words)
    return tuple(stems) if 2 * len(stems) >= len(WORD.findall(words)) else ()


PURPOSE = {"für", "fürs", "for"}  # "Wohnsitzbestätigung fürs Jobcenter": what it is for, not what it is
PURPOSE_SHARE = 0.5  # of the weight of the first content word after it

# Particles of German separable verbs: "ich gebe meinen Laden auf" is "aufgeben", "läuft … ab" is "ablaufen".
PARTICLES = {"ab", "an", "auf", "aus", "ein", "mit", "um", "vor", "weg", "zu", "zurück", "los"}


def question_stems(text: str) -> list[tuple[str, bool, float]]:
    """The question's content stems, each saying whether it was joined from two words, and its share of its
    weight (½ for the word that names a purpose: "für die Bank").

    Besides the words themselves: two neighbours joined (a compound split apart, "hunde steuer"), and a
    trailing particle joined to each word before it in its clause (a separable verb, "gebe … auf").
    """
    asked: list[tuple[str, bool, float]] = []
    for clause in re.split(r"[,.;:!?]", text):
        content: list[str] = []
        purpose = False
        for word in WORD.findall(clause):
            lower = word.lower()
            if lower in PURPOSE:
                purpose = True
                continue
            if lower in PARTICLES:
                asked += [(stem(lower + earlier), True, 1.0) for earlier in content]
            if lower in FUNCTION_WORDS or lower in PARTICLES:
                continue
            part, purpose = (PURPOSE_SHARE if purpose else 1.0), False
            asked.append((stem(lower), False, part))
            if content:
                asked.append((stem(content[-1] + lower), True, part))
            content.append(lower)
    return asked
