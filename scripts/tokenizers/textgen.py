"""Seeded synthetic text for tokenizer fixtures and benchmarks (no downloaded corpora).

Every function takes a `random.Random` so output is a pure function of the seed.
"""
import random

WORDS = """the of and to in a is that for it as was with be by on not he this are or his from at which but
have an they you were her she there been one all we their has would when if so no will more can out other
about time only into some could them these two may then do first any now such like our over man me even most
made after also did many before must through back years where much your way well down should because each just
those people how too little state good very make world still own see men work long get here between both life
being under never day same another know while last might us great old year off come since against go came right
used take three system number order water market model token length context window memory search index vector
value function return string array dictionary compile build test result error warning request response server
client evaluation prompt answer question reasoning document retrieval needle haystack benchmark throughput latency""".split()

CONTRACTIONS = ["don't", "it's", "we're", "I've", "I'm", "you'll", "he'd", "can't", "won't", "they're", "she's",
                "IT'S", "DON'T", "WE'RE", "I'VE", "I'M", "YOU'LL", "HE'D", "Let's", "that'll", "o'clock", "rock'n'roll",
                "'tis", "the '90s", "Jones'", "y'all'd've"]

MULTI = ["café", "naïve", "São Paulo", "Zürich", "façade", "résumé", "Ærøskøbing", "straße", "İstanbul", "ǅemal",
         "Привет, мир!", "Москва — столица России.", "Ёлка и ёж", "Здравствуйте",
         "مرحبا بالعالم", "اللغة العربية جميلة", "שלום עולם",
         "你好，世界！", "我们正在测试分词器。", "東京都は日本の首都です。", "こんにちは、カタカナとひらがな",
         "안녕하세요 세계", "한국어 토큰화", "Γειά σου Κόσμε", "नमस्ते दुनिया", "हिन्दी में परीक्षण", "สวัสดีชาวโลก",
         "e\u0301te\u0301", "n\u0303o", "Å\u030a", "ﬁnancial ﬂow", "ℌ𝔢𝔩𝔩𝔬", "½ ¾ ² ³ Ⅻ ٣٤٥ ९८७", "ʰʲʷ ˈstres", "ſtraße"]

EMOJI = ["👍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇺🇸🇩🇪", "❤️", "🤖", "🚀✨", "😀😃😄", "👩🏾‍💻", "1️⃣", "☕"]

SPACES = [" ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n", "\r\n\r\n", " \n", "  \n  ", "\u00a0", "\u3000", "\u2009",
          "\u200b", "\x0b", "\x0c", "\u0085", "\u2028"]

CODE = [
    "def encode(self, text: str) -> list[int]:\n    ids = []\n    for piece in self.split(text):\n        ids.extend(self.bpe(piece))\n    return ids\n",
    "func count(_ text: String) -> Int {\n\treturn encode(text).count\n}\n",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }\r\n",
    "{\"id\": 42, \"name\": \"needle\", \"tags\": [\"a\", \"b\"], \"score\": 0.875}\n",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name HAVING COUNT(*) > 1;\n",
    "    if x == None:\n        raise ValueError(f\"bad value: {x!r}\")  \n",
    "const total = items.reduce((acc, it) => acc + it.price * it.qty, 0);\n",
    "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1234567); return 0; }\n",
    "let url = URL(fileURLWithPath: \"/tmp/x.json\")   // trailing spaces   \n",
    "<div class=\"row\"><a href=\"https://example.com/a/b?q=1&r=2\">link</a></div>\n",
    "x = [1, 2, 3]; y = {'a': 1}; z = (x, y) if x else None\n",
    "$ swift build -c release -j 1 && ./.build/release/fathom bench tokenize --repeat 5\n",
]


SYLLABLES = """ba be bi bo bu ca co cu da de di do du fa fe fi fo ga ge go gu ha he hi ho ja jo ka ke ki ko la le li lo
lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi
ya yo za zo ar er ir or ur an en in on un al el il ol ul as es is os us tion ment ness able ing ed er ly st str
pr tr gr bl cl fl pl th sh ch wh qu ph""".split()


def pseudo_word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def word(rng):
    w = pseudo_word(rng) if rng.random() < 0.2 else rng.choice(WORDS)
    r = rng.random()
    if r < 0.08:
        w = w.capitalize()
    elif r < 0.10:
        w = w.upper()
    return w


def sentence(rng):
    n = rng.randint(4, 18)
    parts = []
    for i in range(n):
        r = rng.random()
        if r < 0.07:
            parts.append(rng.choice(CONTRACTIONS))
        elif r < 0.10:
            parts.append(str(rng.choice([rng.randint(0, 99), rng.randint(100, 99999), rng.randint(10**6, 10**12)])))
        elif r < 0.12:
            parts.append(f"{rng.randint(0, 999)}.{rng.randint(0, 99):02d}")
        else:
            parts.append(word(rng))
        if rng.random() < 0.08:
            parts[-1] += rng.choice([",", ";", ":", " -", " (see above)", "'s", "s'"])
    s = " ".join(parts)
    s = s[0].upper() + s[1:]
    return s + rng.choice([".", ".", ".", "?", "!", "...", ".\"", ":"])


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 7)))


def prose_and_code(rng, target_bytes):
    """English-like prose with code blocks: the benchmark input distribution."""
    out, size = [], 0
    while size < target_bytes:
        if rng.random() < 0.25:
            block = "".join(rng.choice(CODE) for _ in range(rng.randint(1, 4)))
            chunk = "```\n" + block + "```\n\n"
        else:
            chunk = paragraph(rng) + "\n\n"
        out.append(chunk)
        size += len(chunk.encode())
    text = "".join(out)
    b = text.encode()[:target_bytes]
    return b.decode("utf-8", errors="ignore")


def mixed(rng):
    """One varied text mixing every category."""
    kinds = [lambda: sentence(rng), lambda: rng.choice(CODE), lambda: rng.choice(MULTI), lambda: rng.choice(EMOJI),
             lambda: rng.choice(SPACES), lambda: str(rng.randint(0, 10**rng.randint(1, 15))),
             lambda: rng.choice(CONTRACTIONS)]
    return "".join(rng.choice(kinds)() + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 8)))


FUZZ_ALPHABET = [" ", " ", " ", "\n", "\r", "\t", "a", "b", "B", "Z", "s", "S", "t", "T", "d", "l", "L", "m", "r", "e",
                 "v", "'", "'", "1", "2", "9", ".", ",", "/", "!", "-", "_", "(", "\u0301", "é", "É", "中", "ß", "ſ",
                 "\u00a0", "\u3000", "ǅ", "ʰ", "ℵ", "ا", "٣", "Ⅻ", "😀", "\u200d", "👍🏽", "\x0b", "\u0085", "Ж", "ж",
                 "ǈ", "ﬁ", "²", "\u2028", "\u0903", "क", "\u2029", "\u1680", "\u205f", "\u200a", "ǲ", "ᾈ", "ʼ",
                 "ˆ", "ꙮ", "𝔞", "𝔄", "𐐀", "𐐨", "٠", "᠐", "\u0300", "\u0488", "R", "E", "V", "M", "D", "\r\n", "𝟙",
                 "½", "<", "|", ">", "▁", "▁▁"]


def fuzz(rng):
    return "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(0, 24)))


def training_corpus(seed, n_lines):
    rng = random.Random(seed)
    lines = []
    for i in range(n_lines):
        r = rng.random()
        if r < 0.55:
            lines.append(paragraph(rng))
        elif r < 0.75:
            lines.append(rng.choice(CODE))
        else:
            lines.append(mixed(rng))
    return lines
