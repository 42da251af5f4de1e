"""English word forms and agreement for the grammar generator: plurals, verb forms, a/an,
and what a subject agrees with (be, reflexive, possessive, pronoun)."""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon as lx

Word = tuple[str, str | None]

IRREGULAR = {base: (s, past) for base, s, past in lx.IRREGULAR}
DOUBLING = {"drop", "wrap", "chop", "pet", "hug", "jog", "shop", "stop", "plan", "skip"}


def plural(noun: str) -> str:
    if noun in lx.PLURALS:
        return lx.PLURALS[noun]
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb][0]
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def past(verb: str) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb][1]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if verb in DOUBLING:
        return verb + verb[-1] + "ed"
    return verb + "ed"


def article(word: str) -> str:
    w = word.lower()
    if w in lx.AN_EXCEPTIONS:
        return "an"
    if w in lx.A_EXCEPTIONS:
        return "a"
    return "an" if w[0] in "aeiou" else "a"


@dataclass(frozen=True)
class Subject:
    words: tuple[Word, ...]
    person: int  # 1, 2 or 3
    plural: bool
    gender: str | None = None  # "m", "f", or None when unknown

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)

    @property
    def third_singular(self) -> bool:
        return self.person == 3 and not self.plural

    def be(self, tense: str) -> str:
        if tense == "past":
            return "were" if self.plural or self.person == 2 else "was"
        if self.person == 1 and not self.plural:
            return "am"
        return "is" if self.third_singular else "are"

    def reflexive(self) -> str | None:
        return self._form(2)

    def possessive(self) -> str | None:
        return self._form(1)

    def pronoun(self) -> str | None:
        return self._form(0)

    def _form(self, which: int) -> str | None:
        """One of (pronoun, possessive, reflexive); None for a third-person singular of unknown
        gender ("the doctor"), which the templates then avoid."""
        key = (self.person, self.plural) if not self.third_singular else self.gender
        forms = PERSONAL_FORMS.get(key)
        return forms[which] if forms else None


# (pronoun, possessive, reflexive) by (person, plural), and by gender for the third singular.
PERSONAL_FORMS = {
    (1, False): ("I", "my", "myself"), (2, False): ("you", "your", "yourself"),
    (1, True): ("we", "our", "ourselves"), (2, True): ("you", "your", "yourselves"),
    (3, True): ("they", "their", "themselves"),
    "m": ("he", "his", "himself"), "f": ("she", "her", "herself"),
}


PRONOUNS = [Subject((("I", None),), 1, False), Subject((("You", None),), 2, False),
            Subject((("He", None),), 3, False, "m"), Subject((("She", None),), 3, False, "f"),
            Subject((("We", None),), 1, True), Subject((("They", None),), 3, True)]
