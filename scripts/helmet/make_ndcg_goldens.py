#!/usr/bin/env python3
"""Golden NDCG@5 / NDCG@10 vectors for helmet.rerank, computed by pytrec_eval (trec_eval's ndcg_cut).

    pip install pytrec-eval-terrier        # tested with 0.5.11, CPython 3.11
    python3 scripts/helmet/make_ndcg_goldens.py > Tests/Fixtures/metrics/helmet_ndcg_rerank.json

Cases are shaped like helmet.rerank samples: random unique 5-7-digit passage IDs, graded 3 (one passage), 2 and
1 (a few) and 0 (the rest), as `HelmetRerank` grades them, and runs as `ParsedRanking.run` makes them: the i-th
of n ranked IDs scores n - i. Runs are perfect, reversed, shuffled, cut short (as max_tokens cuts them), missing
the relevant passages, or padded with IDs the qrels do not judge. Each case is checked by
`FathomMetricsTests` against `ndcgAtK` to the last bit.
"""
import json
import random

import pytrec_eval


def fx(x):
    return {"v": x, "hex": float.hex(x)}


def case(rng, n_passages, style):
    ids = set()
    while len(ids) < n_passages:
        digits = rng.randint(5, 7)
        ids.add(str(rng.randint(10 ** (digits - 1), 10 ** digits - 1)))
    ids = sorted(ids)
    rng.shuffle(ids)
    grades = {pid: 0 for pid in ids}
    grades[ids[0]] = 3
    for pid in ids[1:1 + rng.randint(0, 6)]:
        grades[pid] = 2
    for pid in ids[7:7 + rng.randint(0, 8)]:
        grades[pid] = 1
    ideal = sorted(ids, key=lambda p: -grades[p])
    if style == "perfect":
        ranking = ideal[: rng.randint(min(10, len(ideal)), len(ideal))]
    elif style == "reversed":
        ranking = list(reversed(ideal))
    elif style == "shuffled":
        ranking = ids[:]
        rng.shuffle(ranking)
    elif style == "cut":
        ranking = ids[:]
        rng.shuffle(ranking)
        ranking = ranking[: rng.randint(0, 12)]
    elif style == "missing":
        ranking = [p for p in ids if grades[p] < 2]
        rng.shuffle(ranking)
    else:  # unjudged IDs mixed in
        ranking = ids[:]
        rng.shuffle(ranking)
        ranking = ranking[:15]
        for i in range(5):
            ranking.insert(rng.randint(0, len(ranking)), str(90000000 + i))
    run = {pid: float(len(ranking) - i) for i, pid in enumerate(ranking)}
    evaluator = pytrec_eval.RelevanceEvaluator({"q": grades}, {"ndcg_cut.5,10"})
    result = evaluator.evaluate({"q": run} if run else {"q": {}})
    scores = result.get("q", {})
    return {
        "style": style,
        "qrels": grades,
        "run": run,
        "ndcg_cut_5": fx(scores.get("ndcg_cut_5", 0.0)),
        "ndcg_cut_10": fx(scores.get("ndcg_cut_10", 0.0)),
    }


def main():
    rng = random.Random(12)
    cases = []
    for style in ["perfect", "reversed", "shuffled", "cut", "missing", "unjudged"]:
        for _ in range(25):
            cases.append(case(rng, rng.choice([7, 14, 30, 60]), style))
    out = {"generator": "scripts/helmet/make_ndcg_goldens.py", "pytrec_eval": "pytrec-eval-terrier 0.5.11", "cases": cases}
    print(json.dumps(out, sort_keys=True, indent=0))


if __name__ == "__main__":
    main()
