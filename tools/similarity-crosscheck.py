#!/usr/bin/env python3
"""Independent implementation of pactbase's portfolio-similarity measures (FIELD.md §3-4),
used to generate the cross-check fixtures in crates/analysis/tests/fixtures/.

Run from the repository root, with ../shared/data beside it:
    pip install scipy scikit-learn
    python3 tools/similarity-crosscheck.py

Built from the raw ATOP 5.1 member file, COW states2016 and NMC 7.0 with plain Python,
SciPy's kendalltau (tau-b) and scikit-learn's cohen_kappa_score (quadratic weights on the
labels observed in the pair, as R's psych::cohen.kappa that FPSIM used). Writes computed
values only, for a fixed sample of directed dyads in three years."""
import csv, math, pathlib, random
from collections import defaultdict
from datetime import date

from scipy.stats import kendalltau
from sklearn.metrics import cohen_kappa_score

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "crates" / "analysis" / "tests" / "fixtures"
YEARS = [1914, 1962, 2000]
SAMPLE = 400


def d(y, m, day):
    return date(int(y), max(int(m or 0), 1), max(int(day or 0), 1))


def members_of(year):
    """System members that year with their (start, end) ranges inside it."""
    spans = defaultdict(list)
    for r in csv.DictReader(open(DATA / "cow" / "states2016.csv")):
        s = d(r["styear"], r["stmonth"], r["stday"])
        e = d(r["endyear"], r["endmonth"], r["endday"])
        lo, hi = max(s, date(year, 1, 1)), min(e, date(year, 12, 31))
        if lo <= hi:
            spans[int(r["ccode"])].append((lo, hi))
    return spans


def overlap(a, b):
    return any(s1 <= e2 and s2 <= e1 for s1, e1 in a for s2, e2 in b)


def ties_of(year, states):
    """Valued tie of A toward B: 3 defense/offense, 2 neutral/consul, 1 nonagg."""
    rows = defaultdict(list)
    for r in csv.DictReader(open(DATA / "atop-5.1" / "atop5_1m.csv")):
        rows[(r["atopid"], r["phase"])].append(r)
    tie = defaultdict(int)
    for group in rows.values():
        for a in group:
            for b in group:
                if a["member"] == b["member"]:
                    continue
                ca, cb = int(a["member"]), int(b["member"])
                if ca not in states or cb not in states:
                    continue
                start = max(d(a["yrent"], a["moent"], a["dayent"]), d(b["yrent"], b["moent"], b["dayent"]))
                ends = [d(x["yrexit"], x["moexit"], x["dayexit"]) for x in (a, b) if x["yrexit"] != "0"]
                end = min(ends) if ends else date(2018, 12, 31)
                if start > end or not (start.year <= year <= end.year):
                    continue
                v = 3 if a["defense"] == "1" or a["offense"] == "1" else 2 if a["neutral"] == "1" or a["consul"] == "1" else 1 if a["nonagg"] == "1" else 0
                tie[(ca, cb)] = max(tie[(ca, cb)], v)
    return tie


def cinc_of(year):
    out = {}
    for r in csv.DictReader(open(DATA / "cow" / "nmc-7.0-abridged.csv")):
        if int(r["year"]) == year and r["cinc"] != "":
            out[int(r["ccode"])] = float(r["cinc"])
    return out


def s(x, y, d, squared, w=None):
    if w is None:
        dist = sum((a - b) ** 2 if squared else abs(a - b) for a, b in zip(x, y))
        return 1 - 2 * dist / (len(x) * (d * d if squared else d))
    total = sum(w)
    return 1 - 2 * (sum(wk * abs(a - b) for wk, a, b in zip(w, x, y)) / total) / d


def pi(x, y):
    if x == y:
        return 1.0
    n = len(x)
    po = sum(a == b for a, b in zip(x, y)) / n
    pooled = x + y
    pe = sum((pooled.count(c) / (2 * n)) ** 2 for c in set(pooled))
    return (po - pe) / (1 - pe)


def kappa_values(x, y, d):
    """Quadratic weights on the values 0..d themselves."""
    if x == y:
        return 1.0
    n = len(x)
    px = [x.count(v) / n for v in range(d + 1)]
    py = [y.count(v) / n for v in range(d + 1)]
    w = lambda a, b: 1 - (a - b) ** 2 / d ** 2
    po = sum(w(a, b) for a, b in zip(x, y)) / n
    pe = sum(w(a, b) * px[a] * py[b] for a in range(d + 1) for b in range(d + 1))
    return (po - pe) / (1 - pe)


def kappa_levels(x, y):
    return 1.0 if x == y else cohen_kappa_score(x, y, weights="quadratic")


def tau(x, y):
    if x == y:
        return 1.0
    t = kendalltau(x, y).statistic
    return None if math.isnan(t) else t


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1816)
    for year in YEARS:
        spans = members_of(year)
        states = sorted(spans)
        tie = ties_of(year, set(states))
        cinc = cinc_of(year)
        w = [cinc.get(k, 0.0) for k in states]
        row = {i: [3 if k == i else tie.get((i, k), 0) for k in states] for i in states}
        dyads = [(i, j) for i in states for j in states if i != j and overlap(spans[i], spans[j])]
        # Always include some allied pairs, then a seeded random sample of the rest.
        allied = [p for p in dyads if tie.get(p)]
        sample = sorted(set(rng.sample(allied, min(100, len(allied))) + rng.sample(dyads, SAMPLE)))
        path = OUT / f"similarity-{year}.csv"
        with open(path, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["ccode1", "ccode2", "year", "sallyvus", "sallyvua", "sallybus", "sallybua", "sallyvwa", "sallybwa",
                          "pallyv", "pallyb", "kallyv", "kallyb", "taub", "kallyv_values", "kallyb_values"])
            for i, j in sample:
                x, y = row[i], row[j]
                bx, by = [int(v > 0) for v in x], [int(v > 0) for v in y]
                values = [s(x, y, 3, True), s(x, y, 3, False), s(bx, by, 1, True), s(bx, by, 1, False),
                          s(x, y, 3, False, w), s(bx, by, 1, False, w), pi(x, y), pi(bx, by),
                          kappa_levels(x, y), kappa_levels(bx, by), tau(x, y), kappa_values(x, y, 3), kappa_values(bx, by, 1)]
                out.writerow([i, j, year] + ["" if v is None else repr(float(v)) for v in values])
        print(f"{path}: {len(sample)} dyads of {len(dyads)}")


if __name__ == "__main__":
    main()
