"""The grammar generator's words, grouped by how a sentence can use them. Written for rnn-tui.

Nouns are grouped by meaning so the generator can keep sentences sensible: people do jobs,
animals live in places, food is eaten, tools are used. Irregular forms are listed; the rest
follow the spelling rules in grammar.py.
"""

PEOPLE = """boy girl man woman child baby student teacher doctor nurse farmer baker driver
pilot singer dancer painter writer artist cook waiter player runner swimmer builder
carpenter plumber gardener fisherman sailor soldier officer judge lawyer banker clerk
cashier guard guide tourist visitor neighbor friend cousin uncle aunt brother sister
father mother grandfather grandmother son daughter husband wife king queen prince princess
captain coach scientist engineer mechanic dentist vet barber tailor potter librarian
photographer reporter actor musician drummer pianist poet chef butcher shopkeeper miner
hunter ranger keeper judge teenager adult stranger customer passenger traveler climber
rider hiker camper pupil classmate roommate partner boss worker helper volunteer
mayor president manager owner inventor explorer astronaut professor tutor""".split()

ANIMALS = """cat dog horse cow pig sheep goat duck chicken rabbit mouse bird owl eagle
crow parrot frog fish whale dolphin shark snake lizard turtle bear wolf fox deer lion tiger
elephant monkey zebra giraffe camel kangaroo squirrel bee ant spider butterfly beetle
donkey goose swan penguin seal otter hamster puppy kitten lamb calf pony rat bat
hedgehog badger moth crab octopus""".split()

THINGS = """book pen pencil bag box cup plate bowl spoon fork knife bottle glass chair table
desk bed lamp clock watch phone radio camera computer screen key door window wall floor
roof ball kite doll toy hat coat shirt dress skirt sock shoe boot scarf glove umbrella
ticket letter card map picture photo mirror basket bucket brush comb towel blanket pillow
candle ladder rope hammer saw nail shovel wheel bicycle car bus train truck boat ship
plane rocket tent flag drum guitar piano violin flute bell coin wallet envelope stamp
notebook magazine newspaper jar kettle pan pot oven fridge stove sink bench fence gate
sofa carpet curtain shelf cupboard drawer bin tray napkin helmet backpack suitcase
jacket sweater belt ring necklace bracelet badge medal trophy puzzle game robot engine
battery button rug vase statue sign leaf stone shell feather""".split()

FOODS = """apple banana orange pear peach plum grape lemon cherry melon mango carrot potato
tomato onion pepper cabbage bean pea egg cake cookie pie sandwich salad soup bread rice
pasta cheese butter milk tea coffee juice water honey jam sugar salt chocolate candy
pizza noodle pancake muffin biscuit sausage chicken fish steak yogurt cereal nut
strawberry pumpkin cucumber lettuce garlic mushroom corn popcorn toast omelet""".split()

PLACES = """house home school park garden kitchen bedroom bathroom hall office shop store
market bank hospital library museum station airport harbor beach river lake sea forest
field farm village town city street road bridge square church castle tower zoo cinema
theater restaurant cafe hotel factory bakery pharmacy gym pool playground classroom
garage basement attic yard island mountain hill valley desert cave jungle meadow pond
stadium studio laboratory prison palace port camp stable barn orchard""".split()

# Uncountable nouns take no article and no plural.
MASS = """water milk tea coffee juice rice bread butter cheese honey sugar salt music
money homework furniture information advice news weather traffic luggage sand snow rain
soup jam pasta popcorn cereal yogurt chocolate candy garlic corn lettuce toast""".split()

# Adjectives grouped by what they can sensibly describe.
ADJ_PEOPLE = """happy sad angry tired hungry thirsty busy lazy kind brave shy quiet loud
clever funny friendly honest polite rude calm nervous proud lucky careful careless strong
weak tall short young old rich poor famous popular healthy sick lonely excited bored
worried surprised cheerful curious patient gentle sleepy elegant wise calm""".split()
ADJ_THINGS = """big small long short old new heavy light dark bright soft hard smooth rough
sharp red blue green yellow orange purple pink brown black white gray golden silver cheap
expensive useful useless clean dirty empty full wet dry broken round square thin thick
wide narrow tiny huge wooden plastic metal paper woolen fancy plain strange ancient
modern warm cold""".split()
ADJ_FOODS = """sweet sour bitter salty fresh ripe rotten delicious hot cold warm cheap
expensive big small green red yellow soft hard crunchy spicy tasty""".split()
ADJ_ANIMALS = """big small young old wild gentle hungry sleepy friendly shy fast slow tiny
huge brown black white gray noisy quiet brave lazy clever curious fat thin""".split()
ADJ_PLACES = """big small old new quiet noisy busy empty crowded dark bright clean dirty
warm cold cozy sunny famous ancient modern narrow wide deep shallow safe dangerous
beautiful lovely""".split()
ADJECTIVES = list(dict.fromkeys(ADJ_PEOPLE + ADJ_THINGS + ADJ_FOODS + ADJ_ANIMALS + ADJ_PLACES
                                + """early late easy difficult simple cloudy windy rainy
snowy foggy stormy icy""".split()))

# (base, third person singular, past) for verbs whose past is irregular.
IRREGULAR = [
    ("be", "is", "was"), ("have", "has", "had"), ("do", "does", "did"), ("go", "goes", "went"),
    ("see", "sees", "saw"), ("eat", "eats", "ate"), ("drink", "drinks", "drank"),
    ("write", "writes", "wrote"), ("read", "reads", "read"), ("run", "runs", "ran"),
    ("swim", "swims", "swam"), ("sing", "sings", "sang"), ("buy", "buys", "bought"),
    ("bring", "brings", "brought"), ("make", "makes", "made"), ("take", "takes", "took"),
    ("give", "gives", "gave"), ("find", "finds", "found"), ("build", "builds", "built"),
    ("sell", "sells", "sold"), ("tell", "tells", "told"), ("teach", "teaches", "taught"),
    ("catch", "catches", "caught"), ("draw", "draws", "drew"), ("drive", "drives", "drove"),
    ("ride", "rides", "rode"), ("fly", "flies", "flew"), ("throw", "throws", "threw"),
    ("break", "breaks", "broke"), ("wear", "wears", "wore"), ("lose", "loses", "lost"),
    ("keep", "keeps", "kept"), ("leave", "leaves", "left"), ("meet", "meets", "met"),
    ("sleep", "sleeps", "slept"), ("sit", "sits", "sat"), ("stand", "stands", "stood"),
    ("feed", "feeds", "fed"), ("hold", "holds", "held"), ("know", "knows", "knew"),
    ("grow", "grows", "grew"), ("speak", "speaks", "spoke"), ("forget", "forgets", "forgot"),
    ("send", "sends", "sent"), ("spend", "spends", "spent"), ("cut", "cuts", "cut"),
    ("put", "puts", "put"), ("hide", "hides", "hid"), ("win", "wins", "won"),
    ("choose", "chooses", "chose"), ("begin", "begins", "began"), ("wake", "wakes", "woke"),
    ("feel", "feels", "felt"), ("hear", "hears", "heard"), ("think", "thinks", "thought"),
    ("come", "comes", "came"), ("get", "gets", "got"), ("pay", "pays", "paid"),
    ("lend", "lends", "lent"), ("shut", "shuts", "shut"), ("shake", "shakes", "shook"),
]

# Regular verbs that take an object, grouped by what the object can be.
VERBS_THINGS = """carry clean paint open close fix wash push pull drop move lift pack
borrow collect count check touch kick shape polish repair deliver mend fill empty
order return share use wrap print pick test measure decorate""".split()
VERBS_FOODS = """cook cut bake boil fry taste slice peel serve order share warm mix roast
chop wash""".split()
VERBS_PEOPLE = """help call visit thank greet answer invite follow watch help hug
trust miss remember teach ask join guide warn thank love""".split()
VERBS_ANIMALS = """feed watch follow chase pet brush walk wash train photograph""".split()

# Regular verbs that take no object, each with a place or manner that suits it.
VERBS_INTRANSITIVE = """walk jump dance play laugh smile cry shout work study travel
rest wait listen talk cough sneeze climb skate ski sail cycle jog shop relax
whistle hurry arrive return stay""".split()

PREPOSITIONS_PLACE = ["in", "on", "under", "behind", "near", "next to", "in front of",
                      "beside", "above", "below", "inside", "outside", "between", "at"]
PREPOSITIONS_MOTION = ["to", "into", "out of", "across", "through", "along", "around",
                       "toward", "past", "over"]

TIME_PRESENT = ["every day", "every morning", "every evening", "on Mondays", "on weekends",
                "after school", "after work", "in the morning", "at night", "every summer",
                "twice a week", "once a month", "on Sundays", "before breakfast"]
TIME_PAST = ["yesterday", "last night", "last week", "last year", "two days ago",
             "this morning", "an hour ago", "last summer", "on Monday", "the day before",
             "three weeks ago", "last winter", "after lunch"]
TIME_FUTURE = ["tomorrow", "next week", "next year", "tonight", "soon", "on Friday",
               "next summer", "in an hour"]

# Manner adverbs follow the verb; frequency adverbs stand before it.
ADVERBS = """quickly slowly carefully quietly loudly happily sadly easily gently together
alone well badly politely proudly calmly softly""".split()
FREQUENCY = ["often", "always", "never", "sometimes", "usually", "rarely"]

NAMES = """Anna Ben Clara David Emma Felix Grace Henry Iris Jack Kate Leo Lucy Max Mia
Noah Olivia Paul Rosa Sam Tom Vera Will Zoe Adam Bella Chris Daisy Eric Fiona George
Hana Ivan Julia Kevin Lena Mark Nina Oscar Peter Quinn Ruth Simon Tara Umar Victor Wendy
Yuki Alice Bruno Carmen Dan Elena Frank Gina Hugo Ines Jonas Kim Laura Mina Nora Omar
Pablo Rita Sara Theo Ursula Vic Walter Xavier Yara Zack Minho Jisoo Seojun Haeun""".split()

NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "twenty", "many", "some", "a few", "several"]

# Irregular plurals; uncounted ones (sheep, fish, deer) stay the same.
PLURALS = {"man": "men", "woman": "women", "child": "children", "mouse": "mice",
           "person": "people", "foot": "feet", "tooth": "teeth", "goose": "geese",
           "sheep": "sheep", "fish": "fish", "deer": "deer", "knife": "knives",
           "leaf": "leaves", "wife": "wives", "calf": "calves", "shelf": "shelves",
           "loaf": "loaves", "wolf": "wolves", "potato": "potatoes", "tomato": "tomatoes",
           "hero": "heroes", "fisherman": "fishermen", "photo": "photos", "piano": "pianos",
           "radio": "radios", "zoo": "zoos", "studio": "studios", "volcano": "volcanoes",
           "octopus": "octopuses", "cactus": "cacti"}

# Words whose article does not follow their first letter.
AN_EXCEPTIONS = {"hour", "honest", "heir", "honor"}
A_EXCEPTIONS = {"useful", "useless", "university", "unicorn", "uniform", "user", "usual",
                "european", "one", "unique", "union"}

# Collocations that leave one clear answer for a content-word blank, with close alternatives.
# {s} is a subject, {p} its possessive; all in the past so no agreement is needed.
COLLOCATIONS = [
    ("{s} brushed {p} {} before bed.", "teeth", []),
    ("{s} drank a cup of hot {} in the morning.", "tea", ["coffee", "milk", "chocolate", "water", "soup"]),
    ("The {} barked at {s} all night.", "dog", ["dogs", "puppy"]),
    ("{s} saw the cat chase a small gray {}.", "mouse", ["bird", "rat"]),
    ("{s} swam in the {} all afternoon.", "sea", ["lake", "river", "pool"]),
    ("{s} opened the {} to let in some fresh air.", "window", ["windows", "door"]),
    ("{s} took the warm {} out of the oven.", "bread", ["cake", "pie", "cookies"]),
    ("{s} put on {p} {} because it was raining.", "coat", ["jacket", "boots", "hat", "raincoat"]),
    ("{s} opened {p} {} when it started to rain.", "umbrella", []),
    ("{s} milked the {} in the barn.", "cow", ["cows", "goat", "goats"]),
    ("{s} read a good {} before going to sleep.", "book", ["story", "magazine"]),
    ("{s} cut the bread with a sharp {}.", "knife", []),
    ("{s} ate the soup with a {}.", "spoon", []),
    ("{s} watched the sun rise in the {}.", "east", ["morning"]),
    ("{s} found a bird's {} in the tree.", "nest", []),
    ("{s} wrote a {} to {p} grandmother.", "letter", ["card", "note"]),
    ("{s} bought a ticket at the train {}.", "station", []),
    ("{s} planted flowers in the {}.", "garden", ["yard", "park"]),
    ("{s} caught a big {} in the river.", "fish", []),
    ("At night {s} looked at the {} and the stars.", "moon", ["sky"]),
    ("{s} built a sandcastle on the {}.", "beach", []),
    ("{s} locked the door with {p} {}.", "key", ["keys"]),
    ("{s} played the {} in the school band.", "guitar", ["drums", "piano", "violin", "flute", "trumpet"]),
    ("{s} tasted the sweet {} that the bees made.", "honey", []),
    ("{s} climbed up the {} to the roof.", "ladder", ["stairs"]),
    ("{s} washed {p} hands with soap and {}.", "water", []),
    ("{s} wiped {p} nose with a {}.", "tissue", ["handkerchief", "napkin"]),
    ("{s} looked at the time on {p} {}.", "watch", ["phone", "clock"]),
    ("{s} sat on a {} in the park and fed the birds.", "bench", []),
    ("{s} tied the laces of {p} {}.", "shoes", ["boots", "shoe"]),
    ("{s} paid for the groceries with {p} credit {}.", "card", []),
    ("{s} boiled some {} for the tea.", "water", []),
    ("{s} took a photo with {p} {}.", "camera", ["phone"]),
    ("{s} slept under a warm {} on the cold night.", "blanket", ["quilt"]),
    ("{s} combed {p} {} in front of the mirror.", "hair", []),
]
