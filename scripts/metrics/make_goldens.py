#!/usr/bin/env python3
"""Golden vectors for FathomMetrics, computed by the reference implementations.

Requires: pip install rouge-score nltk pytrec-eval-terrier
(tested with rouge-score 0.1.2, nltk 3.10.4, pytrec-eval-terrier 0.5.11, CPython 3.11).

Writes Tests/Fixtures/metrics/*.json (deterministic: fixed seeds, sorted word sources):
  squad.json     normalize_answer / EM / SubEM / F1 (SQuAD v1.1 and HELMET variants)
  helmet.json    HELMET parse_output / parse_rankings / calculate_metrics (+ max(raw, parsed))
  rouge.json     rouge_score RougeScorer(['rougeL', 'rougeLsum'], use_stemmer=True) P/R/F
  porter.json    nltk PorterStemmer().stem(word) (the stemmer rouge_score uses)
  ndcg.json      pytrec_eval ndcg_cut.5 / ndcg_cut.10 on random graded qrels and runs
  pytext.json    CPython's str.isspace / re \w / re \d / str.lower over all code points
                 (as ranges), with the ranges of code points assigned in Python's Unicode data
  ruler.json     RULER's postprocess_pred and string_match_all / string_match_part per sample, on adversarial
                 Unicode (combining marks after digits and letters, ZWJ sequences, regional indicators, Greek
                 final sigma, Turkish dotted I, sharp s, NFC against NFD, control characters, Python whitespace)
Floats are written both as JSON numbers and as float.hex() strings (bit-exact checks).

Usage: python3 scripts/metrics/make_goldens.py [--out Tests/Fixtures/metrics]
"""
import argparse
import collections
import json
import os
import random
import re
import string
import sys
import sysconfig
from collections import Counter

import nltk
import pytrec_eval
import rouge_score
from nltk.stem import porter
from rouge_score import rouge_scorer

# ---------------------------------------------------------------------------------------------
# Reference functions. SQuAD v1.1 official evaluate-v1.1.py semantics, and HELMET utils.py
# semantics (princeton-nlp/HELMET), re-typed here; these are the definitions the goldens encode.


def normalize_answer(s):
    """SQuAD v1.1: lower, remove punctuation, articles and extra whitespace."""

    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def squad_f1(prediction, ground_truth):
    """SQuAD v1.1 f1_score (no yes/no rule)."""
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


def helmet_f1(prediction, ground_truth):
    """HELMET utils.f1_score: returns (f1, precision, recall) with the yes/no/noanswer rule."""
    p = normalize_answer(prediction)
    g = normalize_answer(ground_truth)
    zero = (0, 0, 0)
    if p in ["yes", "no", "noanswer"] and p != g:
        return zero
    if g in ["yes", "no", "noanswer"] and p != g:
        return zero
    pt = p.split()
    gt = g.split()
    common = Counter(pt) & Counter(gt)
    num_same = sum(common.values())
    if num_same == 0:
        return zero
    precision = 1.0 * num_same / len(pt)
    recall = 1.0 * num_same / len(gt)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1, precision, recall


def exact_match(prediction, gold):
    return normalize_answer(prediction) == normalize_answer(gold)


def sub_em(prediction, gold):
    return normalize_answer(gold) in normalize_answer(prediction)


def parse_output(output, prefix="Answer:"):
    """HELMET utils.parse_output."""

    def lstrip_string(s, sub):
        return re.sub(f"^{re.escape(sub)}", "", s, flags=re.IGNORECASE)

    patterns = [re.compile(f"(?:{prefix})(.*)(?:\n|$)", flags=re.IGNORECASE), re.compile(r"(?:^)(.*)(?:\n|$)")]
    for pat in patterns:
        m = pat.search(output)
        if m is not None:
            return lstrip_string(m[1].strip(), prefix).strip()
    return None


def parse_rankings(output):
    """HELMET utils.parse_rankings."""
    output = re.sub(r"[\[\]:]", "", output)
    output = output.lower().replace("id", "")
    longest = ""
    for m in re.finditer(r"(\d+)(?:\s*>\s*(\d+))*", output):
        if len(m.group(0)) > len(longest):
            longest = m.group(0)
    if len(longest) > 0:
        rankings = [num.strip() for num in longest.split(">") if num.strip().isdigit()]
    else:
        rankings = [output]
    results = {}
    for i, rank in enumerate(rankings):
        if rank not in results:
            results[rank] = len(rankings) - i
    return results


SCORER = rouge_scorer.RougeScorer(["rougeL", "rougeLsum"], use_stemmer=True)


def calculate_metrics(prediction, answers):
    """HELMET utils.calculate_metrics."""
    em = max(exact_match(prediction, a) for a in answers)
    f1 = max(helmet_f1(prediction, a)[0] for a in answers)
    sem = max(sub_em(prediction, a) for a in answers)
    rouges = [SCORER.score(target=a, prediction=prediction) for a in answers]
    out = {"exact_match": em, "f1": f1, "substring_exact_match": sem}
    for k in ["rougeL", "rougeLsum"]:
        out[k + "_f1"] = max(r[k].fmeasure for r in rouges)
        out[k + "_recall"] = max(r[k].recall for r in rouges)
    return out


def default_post_process(prediction, answers, prefix="Answer:"):
    """HELMET data.default_post_process (prefix parameterised as HELMET's json_kv does)."""
    mets = calculate_metrics(prediction, answers)
    parsed = parse_output(prediction, prefix)
    if parsed is not None:
        new = calculate_metrics(parsed, answers)
        mets = {k: max(v, new[k]) for k, v in mets.items()}
    return mets


def ruler_postprocess(predict_str):
    """RULER scripts/eval/evaluate.py postprocess_pred."""
    predict_str = predict_str.strip()
    np_pattern = re.compile(r"[\x00-\x1f]")
    return np_pattern.sub("\n", predict_str).strip()


def ruler_string_match_all(pred, refs):
    """RULER constants.py string_match_all for one sample (0...1, before RULER's x100)."""
    return sum([1.0 if r.lower() in pred.lower() else 0.0 for r in refs]) / len(refs)


def ruler_string_match_part(pred, refs):
    """RULER constants.py string_match_part for one sample (0...1)."""
    return max([1.0 if r.lower() in pred.lower() else 0.0 for r in refs])


# ---------------------------------------------------------------------------------------------
# Inputs


def stdlib_words(limit):
    """Lowercase alphabetic words from the CPython stdlib sources (a deterministic English-ish corpus)."""
    root = sysconfig.get_paths()["stdlib"]
    counts = Counter()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "test", "idlelib", "__pycache__"))
        for fn in sorted(filenames):
            if not fn.endswith(".py"):
                continue
            try:
                with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                    text = f.read()
            except (UnicodeDecodeError, OSError):
                continue
            for w in re.findall(r"[A-Za-z]+", text):
                counts[w.lower()] += 1
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return words[:limit]


STEM_WORDS = """caresses ponies ties caress cats feed agreed disabled matting mating meeting milling
messing meetings happy sky skies dying lying tying news innings inning outings outing cannings canning
howe proceed exceed succeed relational conditional rational valenci hesitanci digitizer conformabli
radicalli differentli vileli analogousli vietnamization predication operator feudalism decisiveness
hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti
electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible
irritant replacement adjustment dependent adoption homologou communism activate angulariti homologous
effective bowdlerize probate rate cease controll roll running runs ran runner agreement generously
generalization generalizations oscillators abilities ability possibly happily skying flying cried
spied died tied lied agreed disagreed feeds bleed bleeds hoping hopping filing filling fizzed fizzing
failing falling sizing sized tanned tanning conflated troubled troubling hopped hoped plastered bled
motoring sing singing anything nothing something ideology archaeology analogi logi bli alli fulli
eed ied ies sses ss yy y by try tries trying cry""".split()

UNICODE_BITS = ["caf\u00e9", "na\u00efve", "\u0130stanbul", "\u212aelvin", "\u039f\u0394\u039f\u03a3",
                "\u03a3\u03b1\u03c3", "\u00fcber", "stra\u00dfe", "\u4e2d\u6587", "\u0442\u0435\u0441\u0442",
                "x\u00a0y", "a\u3000b", "e\u0301t\u00e9", "\u2160\u2161", "\u0661\u0662\u0663",
                "\uff11\uff12", "the\u0301", "\u00e9the", "\U0001F600", "\u017fun", "\u0131t"]

PUNCT = list(".,;:!?\"'()[]{}-_/\\@#$%^&*+=<>|~`")


def make_text(rng, words, min_words, max_words, newline_rate=0.0):
    n = rng.randint(min_words, max_words)
    out = []
    for i in range(n):
        r = rng.random()
        if r < 0.06:
            w = rng.choice(UNICODE_BITS)
        elif r < 0.12:
            w = str(rng.choice([rng.randint(0, 100), rng.randint(1000, 99999), rng.random() * 100]))
            if rng.random() < 0.3:
                w = f"{rng.randint(1, 999)},{rng.randint(100, 999)}"
        elif r < 0.2:
            w = rng.choice(["a", "an", "the", "A", "An", "The", "THE", "yes", "no", "noanswer"])
        elif r < 0.35:
            w = rng.choice(STEM_WORDS)
        else:
            w = rng.choice(words)
        c = rng.random()
        if c < 0.1:
            w = w.upper()
        elif c < 0.25:
            w = w.capitalize()
        if rng.random() < 0.15:
            w = w + rng.choice(PUNCT)
        if rng.random() < 0.05:
            w = rng.choice(PUNCT) + w
        out.append(w)
        if i < n - 1:
            if rng.random() < newline_rate:
                out.append(rng.choice(["\n", "\n", ".\n", "\n\n", " \n"]))
            else:
                out.append(rng.choice([" "] * 12 + ["  ", "\t", "\u00a0"]))
    return "".join(out)


def perturb(rng, text, words):
    """A related text: drop, swap, restem and insert words so the LCS is non-trivial."""
    toks = text.split(" ")
    out = []
    for t in toks:
        r = rng.random()
        if r < 0.15:
            continue
        if r < 0.25:
            out.append(rng.choice(words))
        elif r < 0.3:
            out.append(t + "s")
        elif r < 0.33:
            out.append(t + "\n")
        else:
            out.append(t)
        if rng.random() < 0.08:
            out.append(rng.choice(words))
    if len(out) > 3 and rng.random() < 0.3:
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return " ".join(out)


def fx(x):
    x = float(x)
    return {"v": x, "hex": x.hex()}


# ---------------------------------------------------------------------------------------------


def squad_cases(rng, words):
    hand = [
        ("", ""), ("", "gold"), ("pred", ""), ("...", "!!!"), ("The", "a"), ("the cat", "cat"),
        ("An apple a day", "apple day"), ("Yes", "yes"), ("yes", "no"), ("No.", "no answer"),
        ("noanswer", "no-answer"), ("YES!", "Yes, it is"), ("theater", "the ater"), ("a-an-the", ""),
        ("Caf\u00e9 au lait", "cafe au lait"), ("\u0130stanbul", "istanbul"), ("\u0130stanbul", "i\u0307stanbul"),
        ("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2"), ("\u03a3", "\u03c3"), ("A\u03a3 b", "a\u03c2 b"),
        ("\u00e9the cat", "cat"), ("the\u0301 cat", "\u0301 cat"), ("x\u00a0the\u3000y", "x y"),
        ("the_cat", "thecat"), ("a1 the2 an3", "a1 the2 an3"), ("\u212aelvin", "kelvin"),
        ("e\u0301", "\u00e9"), ("1,000", "1000"), ("$5.00", "500"), ("the the the", ""),
        ("cat cat dog", "cat dog dog"), ("\u2160 the \u2161", "\u2160 \u2161"), ("\u0661the", "\u0661the"),
        ("under_the_bridge", "underthebridge"), ("  spaced   out  ", "spaced out"), ("\u00ab the \u00bb", "\u00ab \u00bb"),
    ]
    cases = list(hand)
    for _ in range(600):
        pred = make_text(rng, words, 0, 12)
        if rng.random() < 0.5:
            gold = perturb(rng, pred, words)
            if rng.random() < 0.5:
                gold = " ".join(gold.split(" ")[: rng.randint(0, 4)])
        else:
            gold = make_text(rng, words, 0, 5)
        cases.append((pred, gold))
    out = []
    for pred, gold in cases:
        hf1, hp, hr = helmet_f1(pred, gold)
        out.append({
            "prediction": pred, "gold": gold,
            "norm_prediction": normalize_answer(pred), "norm_gold": normalize_answer(gold),
            "em": exact_match(pred, gold), "subem": sub_em(pred, gold),
            "squad_f1": fx(squad_f1(pred, gold)),
            "helmet_f1": fx(hf1), "helmet_precision": fx(hp), "helmet_recall": fx(hr),
        })
    return out


def helmet_cases(rng, words):
    prefixes = ["Answer:", "Corresponding value:", "Ranking:", "label:", "Summary:"]
    outputs = [
        "Answer: Paris", "answer: the Paris\nmore text", "The answer is: Answer: Answer: 42\n", "no prefix here\nsecond line",
        "\n\nleading newlines", "ANSWER:   spaced  \r\nnext", "Answer:", "", "   ", "x Answer:Answer: y", "\u0130Answer: z",
        "answer\u2028: sep", "Corresponding value: 1234-5678\nfoo", "Ranking: [ID: 3] > [ID: 1] > [ID: 2]", "label: 7",
        "Summary: A long summary.\nWith lines.", "\u00a0Answer:\u00a0 nbsp \u00a0", "ANſWER: long s", "answ\u0131r",
        "Answer: \u212a", "Answer: yes", "Answer: no.", "\u0131d: 5",
    ]
    parse_cases = []
    for o in outputs:
        for p in prefixes:
            parse_cases.append({"output": o, "prefix": p, "parsed": parse_output(o, p)})
    for _ in range(150):
        o = make_text(rng, words, 0, 10, newline_rate=0.2)
        p = rng.choice(prefixes)
        if rng.random() < 0.6:
            pos = rng.randint(0, len(o))
            pp = rng.choice([p, p.upper(), p.lower()])
            o = o[:pos] + pp + rng.choice(["", " ", "  "]) + o[pos:]
        parse_cases.append({"output": o, "prefix": p, "parsed": parse_output(o, p)})

    rank_outputs = [
        "[ID: 3] > [ID: 1] > [ID: 2]", "Ranking: ID3 > ID1 > ID2", "3>1>2", "3 > 1 > 2 > 1", "no numbers", "",
        "12 > 5, then 7 > 8 > 9", "1 > 2 >", "> 1 > 2", "id 10 > id 09 > id 9", "\uff11 > \uff12", "\u0661 > \u0662 > 3",
        "[1] > [2] > [3]\nRanking: 4 > 5 > 6 > 7", "1 >  2\t>\n3", "ID: 1 > ID: 2", "IDs: 5 > 4", "iid 3 > 4", "1 2 3",
        "5 > 5 > 5", "Paid 3 > idle 4", "\u0130D3 > 2", "1>2>3 and 44>55>66>77",
    ]
    rank_cases = [{"output": o, "rankings": parse_rankings(o)} for o in rank_outputs]
    for _ in range(150):
        ids = [str(rng.randint(0, 60)) for _ in range(rng.randint(0, 12))]
        parts = []
        for i, d in enumerate(ids):
            fmt = rng.choice(["[ID: {}]", "ID{}", "{}", "[{}]", "id {}", "Id: {}"])
            parts.append(fmt.format(d))
            if i < len(ids) - 1:
                parts.append(rng.choice([" > ", ">", " >", "> ", ", ", " > ", " then ", "\n> "]))
        o = "".join(parts)
        if rng.random() < 0.3:
            o = make_text(rng, words, 0, 5) + " " + o
        rank_cases.append({"output": o, "rankings": parse_rankings(o)})

    qa_cases = []
    for _ in range(200):
        golds = [make_text(rng, words, 1, 4) for _ in range(rng.randint(1, 3))]
        g = rng.choice(golds)
        r = rng.random()
        if r < 0.3:
            out = "Answer: " + g + "\n" + make_text(rng, words, 0, 8)
        elif r < 0.5:
            out = make_text(rng, words, 0, 6) + " " + g + " " + make_text(rng, words, 0, 6)
        elif r < 0.7:
            out = perturb(rng, g, words)
        else:
            out = make_text(rng, words, 0, 12, newline_rate=0.2)
        prefix = rng.choice(["Answer:", "Answer:", "Corresponding value:"])
        mets = default_post_process(out, golds, prefix)
        qa_cases.append({"output": out, "golds": golds, "prefix": prefix,
                         "metrics": {k: fx(v) for k, v in mets.items()}})
    return {"parse_output": parse_cases, "parse_rankings": rank_cases, "qa_metrics": qa_cases}


def rouge_cases(rng, words):
    hand = [
        ("", ""), ("", "the cat"), ("the cat", ""), ("!!!", "..."), ("The cat sat.", "the cat sat"),
        ("running runs ran", "run running runner"), ("ponies caresses agreed", "pony caress agree"),
        ("a\nb\nc", "a b c"), ("line one\n\nline two\n", "line two\nline one"), ("\u0130stanbul \u212aelvin", "istanbul kelvin"),
        ("caf\u00e9 na\u00efve", "caf na ve"), ("\u4e2d\u6587 text", "text"), ("x" * 40, "x" * 40), ("1990s 2020", "1990 2020s"),
        ("the the the the", "the"), ("a b a b a b", "b a b a"), ("sky skies dying", "sky sky die"),
        ("\n\n\n", "word"), ("word\r\nword", "word word"), ("generalizations oscillators", "generalization oscillator"),
    ]
    cases = list(hand)
    for i in range(560):
        if i % 4 == 0:
            ref = make_text(rng, words, 1, 15)
            pred = make_text(rng, words, 0, 15)
        else:
            nl = rng.choice([0.0, 0.05, 0.15, 0.3])
            ref = make_text(rng, words, 5, 80, newline_rate=nl)
            pred = perturb(rng, ref, words)
        cases.append((pred, ref))
    out = []
    for pred, ref in cases:
        s = SCORER.score(target=ref, prediction=pred)
        out.append({
            "prediction": pred, "reference": ref,
            "reference_tokens": rouge_score.tokenize.tokenize(ref, porter.PorterStemmer()),
            "rougeL": {"p": fx(s["rougeL"].precision), "r": fx(s["rougeL"].recall), "f": fx(s["rougeL"].fmeasure)},
            "rougeLsum": {"p": fx(s["rougeLsum"].precision), "r": fx(s["rougeLsum"].recall), "f": fx(s["rougeLsum"].fmeasure)},
        })
    return out


def porter_cases(rng, words):
    stemmer = porter.PorterStemmer()
    vocab = set(words[:2500]) | set(STEM_WORDS)
    suffixes = ["s", "es", "ed", "ing", "er", "ers", "ly", "ness", "ation", "ational", "ization", "izer", "ful",
                "fulness", "ousness", "iveness", "ive", "ity", "iti", "al", "ally", "alli", "ence", "ance", "ement",
                "ment", "ent", "ion", "ions", "ism", "ate", "ize", "ous", "able", "ible", "ical", "icate", "logy", "logi",
                "bli", "eli", "entli", "ousli", "fulli", "ied", "ies", "eed", "y", "ies", "ll", "e"]
    bases = sorted(words[:600])
    for b in bases:
        for sfx in rng.sample(suffixes, 4):
            vocab.add(b + sfx)
    letters = "aeiouybcdlmnprstyyz"
    for _ in range(600):
        vocab.add("".join(rng.choice(letters) for _ in range(rng.randint(1, 10))))
    for _ in range(100):
        vocab.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 8))))
    vocab |= {"", "a", "I", "Is", "IES", "Running", "CARESSES", "Sky", "\u0130ng", "caf\u00e9s", "na\u00efvely",
              "\u0131es", "stra\u00dfes", "\u212aing"}
    out = [{"word": w, "stem": stemmer.stem(w)} for w in sorted(vocab)]
    return out


def ndcg_cases(rng):
    cases = []
    hand = [
        ({"a": 2, "b": 1, "c": 0, "z": 3}, {"a": 1.0, "b": 1.0}),
        ({"a": 2, "b": -1, "c": 0, "z": 1}, {"a": 1.0, "b": 2.0}),
        ({"a": 0, "b": 0}, {"a": 1.0}),
        ({"d1": 1}, {"d10": 5.0, "d2": 5.0, "d1": 5.0, "D1": 5.0}),
        ({"x": 3}, {"y": 1.0}),
        ({"caf\u00e9": 2, "cafe": 1}, {"caf\u00e9": 0.5, "cafe": 0.5}),
    ]
    for q, r in hand:
        cases.append((q, r))
    for _ in range(300):
        ndocs = rng.randint(1, 40)
        docs = [f"d{rng.randint(0, 80)}" for _ in range(ndocs)]
        docs = sorted(set(docs))
        qrels = {}
        for d in docs:
            if rng.random() < 0.7:
                qrels[d] = rng.choice([0, 0, 1, 1, 2, 3, -1] if rng.random() < 0.1 else [0, 0, 1, 2, 3])
        if not qrels:
            qrels[docs[0]] = 1
        run = {}
        tied = rng.random() < 0.4
        for d in docs + [f"u{rng.randint(0, 20)}" for _ in range(rng.randint(0, 5))]:
            if rng.random() < 0.8:
                run[d] = float(rng.randint(0, 5)) if tied else rng.random()
        if not run:
            run[docs[0]] = 1.0
        cases.append((qrels, run))
    out = []
    for qrels, run in cases:
        ev = pytrec_eval.RelevanceEvaluator({"q": qrels}, {"ndcg_cut.5,10"})
        res = ev.evaluate({"q": run})["q"]
        out.append({"qrels": qrels, "run": run, "ndcg_cut_5": fx(res["ndcg_cut_5"]), "ndcg_cut_10": fx(res["ndcg_cut_10"])})
    # HELMET-style: parse_rankings output as the run
    for _ in range(50):
        ids = [str(i) for i in range(rng.randint(3, 20))]
        qrels = {d: rng.choice([0, 0, 1, 2, 3]) for d in ids}
        rng.shuffle(ids)
        text = " > ".join(f"[ID: {d}]" for d in ids[: rng.randint(1, len(ids))])
        run = parse_rankings(text)
        ev = pytrec_eval.RelevanceEvaluator({"q": qrels}, {"ndcg_cut.5,10"})
        res = ev.evaluate({"q": {k: float(v) for k, v in run.items()}})
        if "q" not in res:
            continue
        out.append({"qrels": qrels, "ranking_text": text, "run": {k: float(v) for k, v in run.items()},
                    "ndcg_cut_5": fx(res["q"]["ndcg_cut_5"]), "ndcg_cut_10": fx(res["q"]["ndcg_cut_10"])})
    return out


# Pieces where Python (code points) and Swift Characters (grapheme clusters, canonical equivalence) disagree.
RULER_PIECES = [
    "42\u0301", "7\u20e3", "1\ufe0f\u20e3", "caf\u00e9", "cafe\u0301", "\u00e9", "e\u0301", "\u1e9b\u0323",
    "\u1e69", "s\u0323\u0307", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F468", "\u200d",
    "\U0001F1FA\U0001F1F8", "\U0001F1EC\U0001F1E7", "\U0001F1F8\U0001F1EC", "\u039f\u0394\u039f\u03a3",
    "\u03bf\u03b4\u03bf\u03c2", "\u03bf\u03b4\u03bf\u03c3", "\u03a3\u0391", "\u0130stanbul", "i\u0307stanbul",
    "\u0131", "I", "stra\u00dfe", "STRASSE", "\u1e9e", "\u212a", "\u2126", "\u03a9", "\u00c5", "\u212b",
    "\ufb01", "\u01c5", "\u0345", "\u1f88", "\uff21\uff22", "\u0661\u0662", "\r\n", "\n\u0301", "\u0085",
    "\u00a0", "\u2028", "\u3000", "\u180e", "\u200b", "\ufeff", "\x7f", "\x1c", "\x00", "\t", "\ufffd",
    "\U0001F44D\U0001F3FD", "\U0001F44D", "\u0915\u094d\u0937", "\u0915", "\u1100\u1161\u11a8", "\uac01",
]


def ruler_cases(rng):
    hand = [
        ("The number is 42\u0301.", ["42"]),
        ("42\u0301", ["42\u0301"]),
        ("4\u0301" + "2", ["42"]),
        ("Answer: 1234567\u20dd and 7654321", ["1234567", "7654321"]),
        ("\U0001F468\u200d\U0001F469\u200d\U0001F467", ["\U0001F468"]),
        ("\U0001F468\u200d\U0001F469\u200d\U0001F467", ["\U0001F469\u200d\U0001F467"]),
        ("\U0001F1FA\U0001F1F8\U0001F1EC\U0001F1E7", ["\U0001F1F8\U0001F1EC"]),
        ("\U0001F1FA\U0001F1F8\U0001F1EC\U0001F1E7", ["\U0001F1EC\U0001F1E7"]),
        ("\u03bf\u03b4\u03bf\u03c2", ["\u039f\u0394\u039f\u03a3"]),
        ("\u039f\u0394\u039f\u03a3", ["\u03bf\u03b4\u03bf\u03c2"]),
        ("\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3\u0391", ["\u03bf\u03b4\u03bf\u03c3\u03b1"]),
        ("\u0130stanbul", ["istanbul"]),
        ("\u0130stanbul", ["i"]),
        ("\u0130", ["\u0130"]),
        ("istanbul", ["\u0130stanbul"]),
        ("\u0131stanbul", ["ISTANBUL"]),
        ("STRASSE", ["stra\u00dfe"]),
        ("stra\u00dfe", ["STRASSE"]),
        ("\u1e9e", ["\u00df"]),
        ("caf\u00e9", ["cafe\u0301"]),
        ("cafe\u0301", ["caf\u00e9"]),
        ("cafe\u0301", ["cafe"]),
        ("caf\u00e9", ["cafe"]),
        ("\u212a", ["k"]),
        ("\u212b", ["\u00e5"]),
        ("\u2126", ["\u03c9"]),
        ("\ufb01ne", ["fi"]),
        ("1\ufe0f\u20e3 2\ufe0f\u20e3", ["1", "2", "3"]),
        ("\U0001F44D\U0001F3FD", ["\U0001F44D"]),
        ("\u0915\u094d\u0937", ["\u0915"]),
        ("\u1100\u1161\u11a8", ["\uac01"]),
        ("\uac01", ["\u1100\u1161\u11a8"]),
        ("a\r\nb", ["a\nb"]),
        ("a\r\nb", ["a\n\nb"]),
        ("a\r\nb", ["\r"]),
        ("x\n\u0301y", ["\ny"]),
        ("\u0085 value \u0085", ["value"]),
        ("\u180e value", ["\u180evalue"]),
        ("\u200bvalue\u200b", ["value"]),
        ("\ufeff42", ["42"]),
        ("\x1c42\x1f", ["42"]),
        ("4\x002", ["4\n2"]),
        ("\x7f42\x7f", ["\x7f42"]),
        ("", [""]),
        ("anything", [""]),
        ("   ", ["x"]),
        ("\ufffd\ufffd", ["\ufffd"]),
        ("\u01c5", ["\u01c6"]),
        ("\u1f88", ["\u1f80"]),
        ("\uff21\uff22", ["\uff41\uff42"]),
    ]
    cases = list(hand)
    for _ in range(400):
        n = rng.randint(0, 8)
        parts = []
        for _ in range(n):
            r = rng.random()
            if r < 0.4:
                parts.append(rng.choice(RULER_PIECES))
            elif r < 0.7:
                parts.append(str(rng.randint(0, 9999999)))
            else:
                parts.append(rng.choice(["key", "Value", "THE", "magic", "number", "is", ":", ",", ".", " ", "\n"]))
        pred = "".join(p + rng.choice(["", "", " ", "\u0301", "\u200d", "\u20e3", "\u0307"]) for p in parts)
        refs = []
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if r < 0.45 and pred:
                i = rng.randrange(len(pred))
                j = rng.randint(i, min(len(pred), i + 8))
                ref = pred[i:j]
                if rng.random() < 0.3:
                    ref = ref.upper()
            elif r < 0.75:
                ref = rng.choice(RULER_PIECES) + rng.choice(["", "\u0301", str(rng.randint(0, 9))])
            else:
                ref = str(rng.randint(0, 9999999))
            refs.append(ref)
        cases.append((pred, refs))
    out = []
    for pred, refs in cases:
        post = ruler_postprocess(pred)
        out.append({"prediction": pred, "references": refs, "postprocessed": post,
                    "string_match_all": fx(ruler_string_match_all(post, refs)),
                    "string_match_part": fx(ruler_string_match_part(post, refs))})
    return out


def ranges(predicate):
    out = []
    start = None
    for c in range(0x110001):
        ok = c < 0x110000 and not (0xD800 <= c < 0xE000) and predicate(c)
        if ok and start is None:
            start = c
        elif not ok and start is not None:
            out.append([start, c - 1])
            start = None
    return out


def pytext_cases():
    import unicodedata
    lower = {}
    for c in range(0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        low = chr(c).lower()
        if low != chr(c):
            lower[str(c)] = [ord(x) for x in low]
    return {
        "unicode_version": unicodedata.unidata_version,
        "assigned": ranges(lambda c: unicodedata.category(chr(c)) != "Cn"),
        "space": ranges(lambda c: chr(c).isspace()),
        "word": ranges(lambda c: re.match(r"\w", chr(c)) is not None),
        "digit": ranges(lambda c: re.match(r"\d", chr(c)) is not None),
        "lower": lower,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "metrics"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    words = stdlib_words(6000)
    meta = {"generator": "scripts/metrics/make_goldens.py", "python": sys.version.split()[0],
            "rouge_score": "0.1.2", "nltk": nltk.__version__, "pytrec_eval": "pytrec-eval-terrier"}
    outputs = {
        "squad.json": squad_cases(random.Random(1), words),
        "helmet.json": helmet_cases(random.Random(2), words),
        "rouge.json": rouge_cases(random.Random(3), words),
        "porter.json": porter_cases(random.Random(4), words),
        "ndcg.json": ndcg_cases(random.Random(5)),
        "pytext.json": pytext_cases(),
        "ruler.json": ruler_cases(random.Random(6)),
    }
    for name, cases in outputs.items():
        path = os.path.join(args.out, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "cases": cases}, f, ensure_ascii=True, indent=None if name == "pytext.json" else 0,
                  sort_keys=True)
            f.write("\n")
        n = len(cases) if isinstance(cases, list) else sum(len(v) for v in cases.values())
        print(f"{path}: {n} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
