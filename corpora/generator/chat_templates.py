"""Templated dialogues in the chat corpus's turn format ("A: " / "B: ", blank line between).

They add variety to the hand-written chat.txt: every dialogue is drawn from a scene with slots
filled from the lexicon, so names, foods, places and times change from one to the next.
"""

from __future__ import annotations

import random

from . import lexicon as lx
from .grammar import article, plural

PRICES = ["one dollar", "two dollars", "three dollars", "five dollars", "ten dollars",
          "fifty cents", "a dollar fifty", "four dollars", "twelve dollars"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HOURS = ["seven", "eight", "nine", "ten", "eleven", "noon", "two", "three", "four", "six"]
HOBBIES = ["painting", "reading", "swimming", "cooking", "gardening", "running", "chess",
           "singing", "drawing", "fishing", "dancing", "cycling", "baking", "photography"]
FEELINGS = [("tired", "I did not sleep well last night."), ("happy", "I passed my exam."),
            ("worried", "My dog is sick."), ("excited", "We are going to the sea tomorrow."),
            ("sad", "My best friend moved to another city."), ("hungry", "I missed lunch."),
            ("nervous", "I have a job interview this afternoon."), ("bored", "It is raining again.")]
WEATHER = [("sunny", "Let us eat outside."), ("rainy", "Take your umbrella."),
           ("cold", "Wear a warm coat."), ("windy", "Hold on to your hat."),
           ("hot", "Drink a lot of water."), ("snowy", "The roads may be slippery."),
           ("foggy", "Drive slowly and carefully.")]


def _introductions(r: random.Random) -> list[str]:
    a, b = r.choice(lx.NAMES), r.choice(lx.NAMES)
    job = r.choice(lx.PEOPLE[:60])
    city = r.choice(["the north", "a small village", "the city", "the coast", "the mountains",
                     "a town near the river", "the island"])
    return [f"A: Hello, my name is {a}. What is your name?",
            f"B: I am {b}. Nice to meet you, {a}.",
            "A: Nice to meet you too. Where are you from?",
            f"B: I am from {city}. And you?",
            f"A: I live here. I work as {article(job)} {job}.",
            "B: That sounds interesting. Do you like your job?",
            r.choice(["A: Yes, I do. I like it very much.", "A: Most days, yes.",
                      "A: Not always, but the people are kind."])]


def _shopping(r: random.Random) -> list[str]:
    food = r.choice([f for f in lx.FOODS if f not in lx.MASS])
    other = r.choice([f for f in lx.FOODS if f not in lx.MASS and f != food])
    n = r.choice(["two", "three", "four", "six", "a few"])
    return [f"A: Excuse me, how much are the {plural(food)}?",
            f"B: They are {r.choice(PRICES)} a kilo.",
            f"A: I would like {n} {plural(food)}, please.",
            "B: Here you are. Do you need anything else?",
            r.choice([f"A: Yes, do you have any {plural(other)}?", "A: No, thank you. That is all."]),
            r.choice([f"B: Sorry, we do not have any {plural(other)} today.",
                      f"B: Yes, they are next to the {plural(food)}.", "B: Have a nice day!"])]


def _directions(r: random.Random) -> list[str]:
    place, landmark = r.sample(lx.PLACES[:40], 2)
    turn = r.choice(["left", "right"])
    return [f"A: Excuse me, is there {article(place)} {place} near here?",
            f"B: Yes, there is. Go straight and turn {turn} at the {landmark}.",
            "A: Is it far?",
            r.choice(["B: No, it is about five minutes on foot.",
                      "B: It is a bit far. You can take the bus.",
                      "B: Not at all. You can see it from the corner."]),
            "A: Thank you very much.",
            r.choice(["B: You are welcome.", "B: No problem. Good luck!"])]


def _yesterday(r: random.Random) -> list[str]:
    place = r.choice(lx.PLACES[:50])
    who = r.choice(["my sister", "my brother", "a friend", "my parents", "my cousin", "my team"])
    food = r.choice(lx.FOODS)
    return ["A: What did you do yesterday?",
            f"B: I went to the {place} with {who}.",
            "A: Did you have a good time?",
            r.choice(["B: Yes, we did. It was a lot of fun.",
                      "B: Not really. It was too crowded.",
                      "B: It was fine, but it rained in the afternoon."]),
            "A: What did you eat?",
            f"B: We ate {food if food in lx.MASS else plural(food)} and drank some juice."]


def _plans(r: random.Random) -> list[str]:
    day, hour = r.choice(DAYS), r.choice(HOURS)
    place = r.choice(["the park", "the cinema", "the beach", "the museum", "the market",
                      "the library", "the pool", "the cafe on the corner"])
    at = "at noon" if hour == "noon" else f"at {hour} o'clock"
    return [f"A: Are you free on {day}?",
            r.choice(["B: Yes, I am. Why?", "B: I think so. What is the plan?"]),
            f"A: Do you want to go to {place} with me?",
            "B: Sure. What time?",
            f"A: Let us meet {at}.",
            r.choice(["B: Great. See you then.", "B: Okay. I will bring some snacks."])]


def _feeling(r: random.Random) -> list[str]:
    feeling, reason = r.choice(FEELINGS)
    return [r.choice(["A: How are you today?", "A: You look different today. Are you okay?"]),
            f"B: I am {feeling}. {reason}",
            r.choice(["A: I am sorry to hear that.", "A: Oh, really?", "A: I understand."])
            if feeling not in ("happy", "excited") else "A: That is wonderful news!",
            r.choice(["B: Thank you for asking.", "B: How about you?", "B: Thanks."])]


def _weather(r: random.Random) -> list[str]:
    kind, advice = r.choice(WEATHER)
    return ["A: How is the weather today?",
            f"B: It is {kind}. {advice}",
            "A: Will it be the same tomorrow?",
            r.choice(["B: I think so.", "B: No, it will be better tomorrow.",
                      "B: I do not know. Let us check the news."])]


def _hobby(r: random.Random) -> list[str]:
    hobby, other = r.sample(HOBBIES, 2)
    return ["A: What do you do in your free time?",
            f"B: I like {hobby}. What about you?",
            f"A: I love {other}. I do it every weekend.",
            "B: How long have you done it?",
            f"A: For {r.choice(['two', 'three', 'five', 'ten'])} years.",
            r.choice(["B: You must be very good at it.", "B: Maybe you can teach me one day."])]


def _restaurant(r: random.Random) -> list[str]:
    dish = r.choice(["soup", "salad", "pasta", "pizza", "rice", "fish", "chicken", "steak"])
    drink = r.choice(["water", "juice", "tea", "coffee", "milk"])
    return ["A: Good evening. Are you ready to order?",
            f"B: Yes. I would like the {dish}, please.",
            "A: Anything to drink?",
            f"B: A glass of {drink}, please." if drink in ("water", "juice", "milk")
            else f"B: A cup of {drink}, please.",
            "A: Of course. It will be ready in ten minutes.",
            "B: Thank you."]


SCENES = (_introductions, _shopping, _directions, _yesterday, _plans, _feeling, _weather,
          _hobby, _restaurant)


def dialogues(seed: int, target_bytes: int) -> str:
    """Dialogues until about target_bytes, each a variable-length prefix of its scene."""
    r = random.Random(seed)
    out, size, seen = [], 0, set()
    while size < target_bytes:
        turns = r.choice(SCENES)(r)
        # A dialogue may end early, but always after a reply (on a B turn).
        end = r.choice([n for n in range(2, len(turns) + 1) if n % 2 == 0] or [len(turns)])
        text = "\n".join(turns[:end])
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
        size += len(text.encode()) + 2
    return "\n\n".join(out) + "\n"
