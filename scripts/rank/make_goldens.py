#!/usr/bin/env python3
"""Generate the golden fixtures for FathomRank's tests.

Usage:  pip install choix pref_voting scipy numpy
        python3 scripts/rank/make_goldens.py [OUT_DIR]   (default Tests/Fixtures/rank)

Writes
  choix.json          BT/PL estimates from choix 0.4.1 run to a tight tolerance
                      (exact MLE), one-step LSR, and alpha=0.1 outputs per solver
                      (ilsr / mm / opt) with choix's own regularisation semantics.
  social_choice.json  >=1000 random weak-order profiles (<=8 candidates, ties,
                      partial ballots) with pref_voting outputs: Kemeny-Young
                      winners (+ brute-force optimal cost and number of optimal
                      orders from pref_voting's margins), Schulze (beat_path)
                      winners, ranked_pairs_tb winner (tie_breaker = sorted
                      candidates) and Copeland scores/winners.
  kendall.json        scipy.stats.kendalltau (tau-b) on random tied data.

Everything is seeded; re-running reproduces the files byte for byte (given the
same library versions, which are recorded in each file).
"""
import importlib.metadata
import itertools
import json
import os
import random
import sys

import numpy as np

import choix
import scipy
import scipy.stats
import pref_voting
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.margin_based_methods import beat_path, ranked_pairs_tb
from pref_voting.c1_methods import copeland
from pref_voting.other_methods import kemeny_young

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "rank")
os.makedirs(OUT, exist_ok=True)

TIGHT = dict(max_iter=100000, tol=1e-14)


def centred(x):
    x = np.asarray(x, dtype=float)
    return [float(v) for v in (x - x.mean())]


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- choix
def choix_case(name, kind, n, data, cyclic=False):
    """kind: pairwise [(w, l)], rankings [[best..worst]], top1 [(w, [losers])]."""
    if kind == "pairwise":
        ml = choix.ilsr_pairwise(n, data, alpha=0.0, **TIGHT)
        ml_newton = choix.opt_pairwise(n, data, alpha=0.0, method="Newton-CG", tol=1e-12)
        lsr = choix.lsr_pairwise(n, data)
        ilsr_a = choix.ilsr_pairwise(n, data, alpha=0.1, **TIGHT)
        mm_a = choix.mm_pairwise(n, data, alpha=0.1, **TIGHT)
        opt_a = choix.opt_pairwise(n, data, alpha=0.1, method="Newton-CG", tol=1e-14)
    elif kind == "rankings":
        ml = choix.ilsr_rankings(n, data, alpha=0.0, **TIGHT)
        ml_newton = choix.opt_rankings(n, data, alpha=0.0, method="Newton-CG", tol=1e-12)
        lsr = choix.lsr_rankings(n, data)
        ilsr_a = choix.ilsr_rankings(n, data, alpha=0.1, **TIGHT)
        mm_a = choix.mm_rankings(n, data, alpha=0.1, **TIGHT)
        opt_a = choix.opt_rankings(n, data, alpha=0.1, method="Newton-CG", tol=1e-14)
    else:
        ml = choix.ilsr_top1(n, data, alpha=0.0, **TIGHT)
        ml_newton = choix.opt_top1(n, data, alpha=0.0, method="Newton-CG", tol=1e-12)
        lsr = choix.lsr_top1(n, data)
        ilsr_a = choix.ilsr_top1(n, data, alpha=0.1, **TIGHT)
        mm_a = choix.mm_top1(n, data, alpha=0.1, **TIGHT)
        opt_a = choix.opt_top1(n, data, alpha=0.1, method="Newton-CG", tol=1e-14)
    ml, ml_newton = centred(ml), centred(ml_newton)
    assert max(abs(a - b) for a, b in zip(ml, ml_newton)) < 1e-6, (name, ml, ml_newton)
    enc = [[int(w), [int(x) for x in l]] for w, l in data] if kind == "top1" else \
          [[int(x) for x in r] for r in data]
    return {"name": name, "kind": kind, "n": n, "data": enc, "cyclic": cyclic,
            "ml": ml, "lsr_one_step": centred(lsr),
            "alpha": 0.1, "ilsr_alpha": centred(ilsr_a), "mm_alpha": centred(mm_a),
            "opt_alpha": centred(opt_a)}


def make_choix():
    cases = [
        choix_case("pairwise-2", "pairwise", 3, [(0, 1), (0, 1), (1, 2), (2, 0)]),
        choix_case("rankings-2", "rankings", 4, [[0, 1, 2], [3, 2, 0], [1, 3]]),
        choix_case("top1-2", "top1", 3, [(0, [1]), (1, [2]), (2, [0, 1])]),
        choix_case("pairwise-cycle", "pairwise", 3, [(0, 1), (1, 2), (2, 0)], cyclic=True),
        choix_case("rankings-cycle", "rankings", 3, [[0, 1, 2], [1, 2, 0], [2, 0, 1]], cyclic=True),
        choix_case("top1-cycle", "top1", 3, [(0, [1, 2]), (1, [2, 0]), (2, [0, 1])], cyclic=True),
    ]
    rng = random.Random(7)
    # Random strongly connected pairwise data (every item beats and loses to its
    # successor in a ring plus random noise) for solver cross-checks.
    for k in range(4):
        n = rng.randint(4, 12)
        strengths = [rng.gauss(0, 1) for _ in range(n)]
        data = [(i, (i + 1) % n) for i in range(n)] + [((i + 1) % n, i) for i in range(n)]
        for _ in range(rng.randint(20, 200)):
            a, b = rng.sample(range(n), 2)
            pa = 1 / (1 + np.exp(strengths[b] - strengths[a]))
            data.append((a, b) if rng.random() < pa else (b, a))
        cases.append(choix_case(f"pairwise-random-{k}", "pairwise", n, data))
        rankings = []
        for _ in range(rng.randint(10, 60)):
            m = rng.randint(2, n)
            items = rng.sample(range(n), m)
            noisy = sorted(items, key=lambda i: -(strengths[i] + rng.gauss(0, 1.5)))
            rankings.append(noisy)
        # make it strongly connected
        rankings += [[i, (i + 1) % n] for i in range(n)] + [[(i + 1) % n, i] for i in range(n)]
        cases.append(choix_case(f"rankings-random-{k}", "rankings", n, rankings))
    dump("choix.json", {"choix_version": importlib.metadata.version("choix"), "cases": cases})


# ---------------------------------------------------------------- social choice
def random_profile(rng):
    n = rng.randint(2, 8)
    nv = rng.randint(1, 15)
    ballots = []
    for _ in range(nv):
        if rng.random() < 0.3 and n > 2:
            m = rng.randint(2, n)
            cands = rng.sample(range(n), m)
        else:
            cands = list(range(n))
        levels = rng.randint(1, len(cands))
        ballots.append({c: rng.randint(1, levels) for c in cands})
    return n, ballots


def kemeny_bruteforce(n, N):
    """cost(order) = sum over a before b of N[b][a]; returns min cost, #optima."""
    best, count = None, 0
    for perm in itertools.permutations(range(n)):
        cost = 0
        for i in range(n):
            for j in range(i + 1, n):
                cost += N[perm[j]][perm[i]]
        if best is None or cost < best:
            best, count = cost, 1
        elif cost == best:
            count += 1
    return best, count


def make_social_choice(count=1200):
    rng = random.Random(20261122)
    profiles = []
    for _ in range(count):
        n, ballots = random_profile(rng)
        prof = ProfileWithTies(ballots, candidates=list(range(n)))
        N = [[int(prof.support(a, b)) if a != b else 0 for b in range(n)] for a in range(n)]
        mg = prof.margin_graph()
        cost, optima = kemeny_bruteforce(n, N)
        cop = prof.copeland_scores()
        profiles.append({
            "n": n,
            # ballot: candidate -> rank (1 = best); a missing candidate is unranked
            "ballots": [{str(c): r for c, r in sorted(b.items())} for b in ballots],
            "support": N,
            "kemeny_winners": [int(c) for c in kemeny_young(mg)],
            "kemeny_cost": cost,
            "kemeny_optima": optima,
            "schulze_winners": [int(c) for c in beat_path(prof)],
            "ranked_pairs_winner": [int(c) for c in ranked_pairs_tb(prof)],
            "copeland_winners": [int(c) for c in copeland(prof)],
            "copeland_scores": [float(cop[c]) for c in range(n)],
        })
    dump("social_choice.json", {"pref_voting_version": importlib.metadata.version("pref_voting"),
                                "profiles": profiles})


# ---------------------------------------------------------------- kendall
def make_kendall(count=300):
    rng = random.Random(99)
    cases = []
    for k in range(count):
        n = rng.randint(2, 60)
        levels = rng.choice([2, 3, 5, 10, 1000])
        x = [rng.randint(0, levels) for _ in range(n)]
        y = [rng.randint(0, levels) if rng.random() < 0.5 else v + rng.randint(-1, 1) for v in x]
        if k % 50 == 0:
            x = [1] * n  # all tied: undefined
        res = scipy.stats.kendalltau(x, y)
        tau = float(res.statistic)
        cases.append({"x": x, "y": y, "tau_b": None if np.isnan(tau) else tau})
    dump("kendall.json", {"scipy_version": scipy.__version__, "cases": cases})


if __name__ == "__main__":
    make_choix()
    make_kendall()
    make_social_choice()
    print("goldens written to", os.path.abspath(OUT))
