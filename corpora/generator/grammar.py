"""Simple English sentences with correct agreement, built from the lexicon by a seeded generator.

Each sentence is a list of (word, tag) pairs. The tag marks words a fill-in-the-blank item can
hide (be-verb, article, preposition, pronoun, agreement, tense, content word), so the same
templates make the training text and the held-out blank set.
"""

from __future__ import annotations

import random
from . import lexicon as lx
from .forms import IRREGULAR, PRONOUNS, Subject, Word, article, past, plural, third_person


def _unique(words):
    return list(dict.fromkeys(words))


PEOPLE, ANIMALS, THINGS = _unique(lx.PEOPLE), _unique(lx.ANIMALS), _unique(lx.THINGS)
FOODS, PLACES = _unique(lx.FOODS), _unique(lx.PLACES)
ADJ_FOR = {id(PEOPLE): lx.ADJ_PEOPLE, id(ANIMALS): lx.ADJ_ANIMALS, id(THINGS): lx.ADJ_THINGS,
           id(FOODS): lx.ADJ_FOODS, id(PLACES): lx.ADJ_PLACES}
MASS = set(lx.MASS)
MALE = {"boy", "man", "father", "grandfather", "son", "husband", "king", "prince", "uncle",
        "brother", "fisherman"}
FEMALE = {"girl", "woman", "mother", "grandmother", "daughter", "wife", "queen", "princess",
          "aunt", "sister"}
# People who are someone's: "my teacher", "her uncle" (but not "my woman").
RELATIONAL = {"friend", "cousin", "uncle", "aunt", "brother", "sister", "father", "mother",
              "grandfather", "grandmother", "son", "daughter", "husband", "wife", "teacher",
              "doctor", "neighbor", "coach", "boss", "classmate", "roommate", "partner", "tutor",
              "dentist", "baby", "child", "helper", "manager"}
PLACE_PREPOSITIONS = ["in", "near", "behind", "next to", "in front of", "outside", "beside", "at"]
FEMALE_NAMES = set("""Anna Clara Emma Grace Iris Kate Lucy Mia Olivia Rosa Vera Zoe Bella Daisy
Fiona Hana Julia Lena Nina Ruth Tara Wendy Yuki Alice Carmen Elena Gina Ines Laura Mina Nora
Rita Sara Ursula Yara Jisoo Haeun""".split())


_ZIPF: dict[int, list[float]] = {}


class Grammar:
    """Draws sentences; every choice comes from `rng`, so a seed fixes the whole text."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def pick(self, seq):
        """Earlier entries are likelier (lists put common words first), like real text."""
        n = len(seq)
        if n not in _ZIPF:
            acc, cum = 0.0, []
            for i in range(n):
                acc += 1.0 / (i + 4)
                cum.append(acc)
            _ZIPF[n] = cum
        return self.r.choices(seq, cum_weights=_ZIPF[n])[0]

    def noun_phrase(self, pool, *, definite=None, adjective=0.4, counted=0.3
                    ) -> tuple[list[Word], bool]:
        """A noun phrase from `pool` (a group of the lexicon) and whether it is plural."""
        noun = self.pick(pool)
        adj = self.pick(ADJ_FOR[id(pool)]) if self.r.random() < adjective else None
        adj_words = [(adj, None)] if adj else []
        if noun in MASS:
            return adj_words + [(noun, None)], False
        if self.r.random() < counted:
            return [(self.pick(lx.NUMBERS), None), *adj_words, (plural(noun), None)], True
        definite = self.r.random() < 0.5 if definite is None else definite
        art = "the" if definite else article(adj or noun)
        return [(art, "article"), *adj_words, (noun, None)], False

    def subject(self, pronoun_share=0.45) -> Subject:
        roll = self.r.random()
        if roll < pronoun_share:
            return self.pick(PRONOUNS)
        if roll < pronoun_share + 0.2:
            name = self.pick(lx.NAMES)
            return Subject(((name, None),), 3, False, "f" if name in FEMALE_NAMES else "m")
        person = self.pick(PEOPLE)
        gender = "m" if person in MALE else "f" if person in FEMALE else None
        if self.r.random() < 0.3:
            return Subject((("The", None), (plural(person), None)), 3, True)
        det = self.pick(["The", "My", "Our", "Your", "Her", "His"]) if person in RELATIONAL else "The"
        return Subject(((det, None), (person, None)), 3, False, gender)

    # --- sentence templates: each returns a list of words ending in punctuation ---------------

    def be_identity(self) -> list[Word]:
        s = self.subject()
        tense = self.pick(["present", "present", "past"])
        person = self.pick(PEOPLE)
        if s.plural:
            complement = [(plural(person), None)]
        else:
            adj = self.pick(lx.ADJ_PEOPLE) if self.r.random() < 0.35 else None
            complement = [(article(adj or person), "article")] + \
                ([(adj, None)] if adj else []) + [(person, None)]
        neg = [("not", None)] if self.r.random() < 0.2 else []
        return [*s.words, (s.be(tense), "be-verb"), *neg, *complement, (".", None)]

    def be_adjective(self) -> list[Word]:
        s = self.subject()
        tense = self.pick(["present", "past"])
        adv = [(self.pick(["very", "so", "a little", "really", "quite"]), None)] \
            if self.r.random() < 0.3 else []
        tail = []
        if self.r.random() < 0.4:
            tail = [(self.pick(lx.TIME_PAST if tense == "past" else ["today", "now", "again"]), None)]
        be_tag = "tense" if tail and tense == "past" else "be-verb"
        return [*s.words, (s.be(tense), be_tag), *adv, (self.pick(lx.ADJ_PEOPLE), None),
                *tail, (".", None)]

    def be_place(self) -> list[Word]:
        s = self.subject()
        tense = self.pick(["present", "past"])
        np, _ = self.noun_phrase(PLACES, definite=True, adjective=0.2, counted=0)
        # in / at / near all fit here, so this preposition is not a blank.
        return [*s.words, (s.be(tense), "be-verb"), (self.pick(["in", "at", "near"]), None),
                *np, (".", None)]

    def have(self) -> list[Word]:
        s = self.subject()
        tense = self.pick(["present", "past"])
        verb = "had" if tense == "past" else ("has" if s.third_singular else "have")
        np, _ = self.noun_phrase(self.pick([THINGS, ANIMALS, FOODS]), definite=False)
        return [*s.words, (verb, "agreement" if tense == "present" else "tense"), *np, (".", None)]

    def there(self) -> list[Word]:
        np, plural_np = self.noun_phrase(self.pick([THINGS, ANIMALS, FOODS]), definite=False)
        tense = self.pick(["present", "present", "past"])
        be = ("were" if plural_np else "was") if tense == "past" else ("are" if plural_np else "is")
        if self.r.random() < 0.7:
            place, _ = self.noun_phrase(PLACES, definite=True, adjective=0.2, counted=0)
            prep = self.pick(["in", "near", "behind", "next to", "in front of", "outside"])
        else:
            place, _ = self.noun_phrase(THINGS, definite=True, adjective=0.2, counted=0)
            prep = self.pick(["on", "under", "next to", "near", "behind", "beside"])
        if self.r.random() < 0.2:  # the question form
            return [(be.capitalize(), "be-verb"), ("there", None), *np, (prep, None), *place,
                    ("?", None)]
        return [("There", None), (be, "be-verb"), *np, (prep, None), *place, (".", None)]

    def _object_verb(self):
        kind = self.r.random()
        if kind < 0.35:
            return self.pick(lx.VERBS_THINGS), THINGS
        if kind < 0.6:
            return self.pick(lx.VERBS_FOODS), FOODS
        if kind < 0.85:
            return self.pick(lx.VERBS_PEOPLE), PEOPLE
        return self.pick(lx.VERBS_ANIMALS), ANIMALS

    def action(self) -> list[Word]:
        """Regular and irregular verbs in present and past, with a time marker that fixes tense."""
        s = self.subject()
        if self.r.random() < 0.3:
            verb, obj = self.pick(list(IRREGULAR)[3:]), [(self.pick(["it", "them", "something"]), None)]
        else:
            verb, pool = self._object_verb()
            obj, _ = self.noun_phrase(pool)
        if self.r.random() < 0.5:
            form, tag = past(verb), None
            time = self.pick(lx.TIME_PAST)
        else:
            form = third_person(verb) if s.third_singular else verb
            tag, time = None, self.pick(lx.TIME_PRESENT)
        if self.r.random() < 0.3:
            return [(time.capitalize(), None), *_mid(s.words), (form, tag), *obj, (".", None)]
        return [*s.words, (form, tag), *obj, (time, None), (".", None)]

    def movement(self) -> list[Word]:
        s = self.subject()
        verb = self.pick(lx.VERBS_INTRANSITIVE + ["go", "run", "swim", "ride", "drive", "fly"])
        is_past = self.r.random() < 0.5
        form = past(verb) if is_past else (third_person(verb) if s.third_singular else verb)
        np, _ = self.noun_phrase(PLACES, definite=True, adjective=0.2, counted=0)
        prep = self.pick(lx.PREPOSITIONS_MOTION if verb in ("go", "run", "swim", "walk", "jog",
                         "ride", "drive", "fly", "hurry", "travel", "cycle", "sail") else
                         PLACE_PREPOSITIONS)
        adv = [(self.pick(lx.ADVERBS), None)] if self.r.random() < 0.3 else []
        time = self.pick(lx.TIME_PAST if is_past else lx.TIME_PRESENT)
        freq = []
        if not is_past and self.r.random() < 0.25:
            freq, time = [(self.pick(lx.FREQUENCY), None)], None
        return [*s.words, *freq, (form, None), *adv, (prep, None), *np, *([(time, None)] if time else []), (".", None)]

    def do_question(self) -> list[Word]:
        s = self.pick(PRONOUNS[:4] + PRONOUNS[5:]) if self.r.random() < 0.6 else self.subject(0)
        verb, pool = self._object_verb()
        np, _ = self.noun_phrase(pool)
        if self.r.random() < 0.4:
            aux, tag, tail = "Did", "tense", [(self.pick(lx.TIME_PAST), None)]
        else:
            aux = "Does" if s.third_singular else "Do"
            tag, tail = "agreement", []
        return [(aux, tag), *_mid(s.words), (verb, None), *np, *tail, ("?", None)]

    def negation(self) -> list[Word]:
        s = self.subject()
        verb, pool = self._object_verb()
        np, _ = self.noun_phrase(pool)
        if self.r.random() < 0.4:
            return [*s.words, ("did", "tense"), ("not", None), (verb, None), *np,
                    (self.pick(lx.TIME_PAST), None), (".", None)]
        aux = "does" if s.third_singular else "do"
        contracted = self.r.random() < 0.3
        neg = [(aux + "n't", "agreement")] if contracted else [(aux, "agreement"), ("not", None)]
        return [*s.words, *neg, (verb, None), *np, (".", None)]

    def wh_question(self) -> list[Word]:
        s = self.subject(0.6)
        kind = self.r.random()
        subj = _mid(s.words)
        if kind < 0.4:
            return [(self.pick(["Where", "How"]), None), (s.be("present"), "be-verb"),
                    *subj, (self.pick(["today", "now", "tonight"]), None), ("?", None)]
        if kind < 0.7:
            verb = self.pick(["see", "eat", "buy", "make", "find", "bring", "write", "read",
                              "build", "sell", "draw", "lose", "cook", "bake", "clean", "paint",
                              "order", "borrow", "fix", "wash", "carry", "collect"])
            return [("What", None), ("did", "tense"), *subj, (verb, None),
                    (self.pick(lx.TIME_PAST), None), ("?", None)]
        np, _ = self.noun_phrase(self.pick([THINGS, ANIMALS]), definite=True, adjective=0.3)
        return [("Who", None), ("has", "agreement"), *np, ("?", None)]  # "who" takes the singular

    def reflexive(self) -> list[Word]:
        s = self.subject(0.6)
        refl = s.reflexive()
        if refl is None:
            return self.be_adjective()
        verb = self.pick(["hurt", "saw", "taught", "found", "dried", "washed", "enjoyed",
                          "introduced", "helped", "blamed", "drew", "asked"])
        tail = self.pick([[("in", None), ("the", None), ("mirror", None)],
                          [("at", None), ("the", None), ("party", None)], [],
                          [(self.pick(lx.TIME_PAST), None)], [("again", None)]])
        return [*s.words, (verb, None), (refl, "pronoun"), *tail, (".", None)]

    def possessive(self) -> list[Word]:
        s = self.subject(0.5)
        poss = s.possessive()
        if poss is None:
            return self.have()
        verb, obj = self.pick([("washed", "hands"), ("brushed", "teeth"), ("lost", "keys"),
                               ("packed", "bag"), ("cleaned", "room"), ("called", "mother"),
                               ("found", "book"), ("fed", "cat"), ("closed", "eyes"),
                               ("opened", "umbrella"), ("visited", "grandmother"),
                               ("fixed", "bicycle"), ("painted", "fence"), ("sold", "car")])
        return [*s.words, (verb, None), (poss, "pronoun"), (obj, None), (".", None)]

    def time_preposition(self) -> list[Word]:
        s = self.subject()
        prep, when = self.pick([("on", "Monday"), ("on", "Friday"), ("on", "Sunday"),
                                ("on", "the weekend"), ("in", "the morning"), ("in", "the evening"),
                                ("in", "the afternoon"), ("at", "night"), ("at", "noon"),
                                ("in", "July"), ("in", "winter"), ("in", "summer"),
                                ("at", "seven o'clock"), ("in", "April"), ("on", "her birthday"),
                                ("at", "midnight"), ("in", "the spring"), ("on", "Tuesday")])
        verb = self.pick(lx.VERBS_INTRANSITIVE)
        form = third_person(verb) if s.third_singular else verb
        return [*s.words, (form, None), (prep, "preposition"),
                *[(w, None) for w in when.split()], (".", None)]

    def verb_preposition(self) -> list[Word]:
        s = self.subject()
        phrase = self.pick([("listened", "to", ["music", "the radio", "the teacher", "the birds",
                                                "the rain"]),
                            ("waited", "for", ["the bus", "the train", "a long time", "her friend",
                                               "the doctor"]),
                            ("looked", "at", ["the stars", "the map", "the picture", "the sky",
                                              "the clock"]),
                            ("was afraid", "of", ["the dark", "the dog", "the storm", "spiders"]),
                            ("was good", "at", ["math", "drawing", "football", "singing"]),
                            ("was interested", "in", ["science", "music", "history", "birds"]),
                            ("arrived", "at", ["the station", "the airport", "school", "work"]),
                            ("talked", "about", ["the weather", "the game", "the trip", "the news"]),
                            ("laughed", "at", ["the joke", "the clown", "the funny dog"]),
                            ("thought", "about", ["the future", "the question", "her family"])])
        verb, prep, objs = phrase
        words = verb.split()
        if words[0] == "was":
            words[0] = s.be("past")
        return [*s.words, *[(w, "be-verb" if w in ("was", "were") else None) for w in words],
                (prep, "preposition"), *[(w, None) for w in self.pick(objs).split()], (".", None)]

    def pronoun_reference(self) -> list[Word]:
        name = self.pick(lx.NAMES)
        pron = "she" if name in FEMALE_NAMES else "he"
        reason = self.pick(["worked all day", "ran to school", "slept badly", "walked home in the rain",
                            "studied until midnight", "cleaned the whole house", "played football"])
        adj = self.pick(["tired", "hungry", "sleepy", "happy", "wet", "thirsty", "proud"])
        return [(name, None), ("was", "be-verb"), (adj, None), ("because", None),
                (pron, "pronoun"), *[(w, None) for w in reason.split()], (".", None)]

    def compound(self) -> list[Word]:
        a, b = self.simple(), self.simple()
        joiner = self.pick(["and", "but", "so", "because", "when", "while", "although", "or"])
        return [*a[:-1], (",", None), (joiner, None), *_mid(b)]

    def content(self) -> list[Word]:
        template, answer, _ = self.pick(lx.COLLOCATIONS)
        s = self.subject(0.5)
        while s.possessive() is None:
            s = self.subject(0.5)
        before, after = template.split("{}")
        fill = lambda part, first: _words(part.replace("{p}", s.possessive()).replace(
            "{s}", s.text if first and part.startswith("{s}") else _mid_text(s)))
        return fill(before, True) + [(answer, "content")] + fill(after, False)

    SIMPLE = ("be_identity", "be_adjective", "be_place", "have", "there", "action", "movement",
              "negation", "reflexive", "possessive", "time_preposition", "verb_preposition",
              "pronoun_reference")
    # Pronoun agreement reaches back across the sentence (a name's gender, a subject's person),
    # the hardest thing here for a small model to learn, so it gets more practice.
    WEIGHTS = (4, 2, 2, 2, 2, 4, 3, 2, 3, 3, 1, 1, 3)

    def simple(self) -> list[Word]:
        name = self.r.choices(self.SIMPLE, weights=self.WEIGHTS)[0]
        return getattr(self, name)()

    def sentence(self) -> list[Word]:
        roll = self.r.random()
        if roll < 0.12:
            return self.compound()
        if roll < 0.2:
            return self.do_question()
        if roll < 0.26:
            return self.wh_question()
        if roll < 0.31:
            return self.content()
        return self.simple()


def _mid(words) -> list[Word]:
    """The same words placed mid-sentence: the first loses its capital unless it is I or a name."""
    first, tag = words[0]
    if first != "I" and first not in lx.NAMES:
        first = first.lower()
    return [(first, tag), *words[1:]]


def _mid_text(s: Subject) -> str:
    return " ".join(w for w, _ in _mid(s.words))


def _words(fragment: str) -> list[Word]:
    out: list[Word] = []
    for token in fragment.split():
        if token[-1] in ".?!," and len(token) > 1:
            out += [(token[:-1], None), (token[-1], None)]
        else:
            out.append((token, None))
    return out


def render(words: list[Word]) -> str:
    """Join words with spaces, punctuation attached; capitalise the first letter."""
    text = ""
    for w, _ in words:
        text += w if (w in ".,?!" or not text) else " " + w
    return text[0].upper() + text[1:] if text else text
