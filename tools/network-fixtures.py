#!/usr/bin/env python3
"""Alliance-network fixtures computed with networkx (FIELD.md §5), for the tests in
crates/analysis/tests/network_real_data.rs.

Run from the repository root (needs networkx 3 with numpy and scipy: `pip install networkx
numpy scipy`):

    python3 tools/network-fixtures.py            # reads ../shared/data, writes the fixtures
    python3 tools/network-fixtures.py --check    # recomputes and compares, writes nothing

It reads cow/states2016.csv and atop-5.1/atop5_1m.csv from ../shared/data (or
$PACTBASE_SHARED_DATA) and writes crates/analysis/tests/fixtures/network-<year>-<level>.csv
for the years 1914, 1955, 1990 and 2018 and the levels `any` and `defense`: computed values
only, no dataset rows. Columns:

    year, ccode, degree, strength, betweenness, closeness, clustering, eigenvector,
    pagerank, component_size, modularity

`component_size` is the size of the node's connected component (ids are arbitrary, sizes
are not); `modularity` is the modularity of networkx's Louvain partition, the same on every
row of a file. Louvain is randomised and on small sparse graphs its result depends on the
seed (1914, level any: 0.469 with seed 42, 0.548 with most others), so the fixture takes the
best of the seeds LOUVAIN_SEEDS: what networkx's Louvain finds, not what one unlucky node
order gives. The range over the seeds is printed.

The graphs are built independently of the Rust code, from the rules in FIELD.md:
- nodes: every COW system member on any day of the year (states alive on 2016-12-31, the
  end of COW 2016, continue through 2018); isolates included;
- directed pair-years (ATOP codebook §2.7): ordered pairs of members of the same alliance
  phase, in the years both are members, skipping pairs where one joined after the other
  left (full dates; a blank day is 0); A's obligations toward B are A's member-row flags,
  OR-ed over every alliance the pair shares that year; ATOP codes >= 1000 are dropped;
- undirected edge between two nodes: level `any`, they share an alliance; level `defense`,
  a defense or offense obligation runs in either direction. Weight = valued tie (3
  defense/offense, 2 neutrality/consultation, 1 nonaggression only, 0 none), the maximum
  of both directions, and at least 1 (a shared alliance with no obligation between the
  pair is still an edge, of the weakest kind).

Measures are networkx's defaults: degree; strength = degree(weight="weight");
betweenness_centrality(G) (normalized, unweighted); closeness_centrality(G) (Wasserman-Faust
improved, unweighted); clustering(G) (unweighted); eigenvector_centrality(G, max_iter=
EIGENVECTOR_MAX_ITER, tol=1e-6) (unweighted); pagerank(G, alpha=0.85) (weighted, networkx's
default weight="weight"); louvain_communities(G, weight="weight", resolution=1,
seed=s) and modularity(G, blocs, weight="weight"), best over s in LOUVAIN_SEEDS.
"""
import csv
import os
import pathlib
import sys
from collections import defaultdict

import networkx as nx

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("PACTBASE_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = ROOT / "crates" / "analysis" / "tests" / "fixtures"
YEARS = [1914, 1955, 1990, 2018]
LEVELS = ["any", "defense"]
COW_END = (2016, 12, 31)
ATOP_END = (2018, 12, 31)
LOUVAIN_SEEDS = range(10)
EIGENVECTOR_MAX_ITER = 1000
OBLIGATIONS = ["defense", "offense", "neutral", "nonagg", "consul"]


def system_members(first, last):
    """{year: sorted ccodes} of states that are system members on any day of the year."""
    members = defaultdict(set)
    for r in csv.DictReader(open(SHARED / "cow" / "states2016.csv")):
        start = int(r["styear"])
        end = (int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
        end_year = 10**6 if end >= COW_END else end[0]
        for year in range(max(start, first), min(end_year, last) + 1):
            members[year].add(int(r["ccode"]))
    return {y: sorted(members[y]) for y in range(first, last + 1)}


def _int(s):
    return int(s) if s.strip() else 0


def directed_ties(first, last):
    """{year: {(a, b): set of obligation names A holds toward B}} from the member file."""
    phases = defaultdict(list)
    for r in csv.DictReader(open(SHARED / "atop-5.1" / "atop5_1m.csv")):
        member = _int(r["member"])
        if member >= 1000:
            continue
        entry = (_int(r["yrent"]), _int(r["moent"]), _int(r["dayent"]))
        exit_ = None if _int(r["yrexit"]) == 0 else (_int(r["yrexit"]), _int(r["moexit"]), _int(r["dayexit"]))
        obligations = {o for o in OBLIGATIONS if _int(r[o]) == 1}
        phases[(_int(r["atopid"]), _int(r["phase"]))].append((member, entry, exit_, obligations))
    ties = defaultdict(lambda: defaultdict(set))
    for rows in phases.values():
        for a, a_entry, a_exit, a_obl in rows:
            for b, b_entry, b_exit, _ in rows:
                if a == b:
                    continue
                start = max(a_entry, b_entry)
                exits = [x for x in (a_exit, b_exit) if x is not None]
                end = min(exits) if exits else ATOP_END
                if start > end:
                    continue
                for year in range(max(start[0], first), min(end[0], last) + 1):
                    ties[year][(a, b)] |= a_obl
    return ties


def tie_value(obligations):
    if "defense" in obligations or "offense" in obligations:
        return 3
    if "neutral" in obligations or "consul" in obligations:
        return 2
    if "nonagg" in obligations:
        return 1
    return 0


def graph(nodes, ties, level):
    """The undirected alliance network of one year (FIELD.md §5)."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    present = set(nodes)
    for (a, b), obl in ties.items():
        if a > b or a not in present or b not in present:
            continue
        back = ties.get((b, a), set())
        if level == "defense" and not ({"defense", "offense"} & (obl | back)):
            continue
        g.add_edge(a, b, weight=max(tie_value(obl), tie_value(back), 1))
    return g


def graphs(first, last, levels=LEVELS):
    """{(year, level): graph} for every year of first..=last."""
    members = system_members(first, last)
    ties = directed_ties(first, last)
    return {(y, lv): graph(members[y], ties.get(y, {}), lv) for y in range(first, last + 1) for lv in levels}


def measures(g):
    """Rows of the fixture for one graph, in ccode order."""
    degree = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    betweenness = nx.betweenness_centrality(g)
    closeness = nx.closeness_centrality(g)
    clustering = nx.clustering(g)
    eigenvector = nx.eigenvector_centrality(g, max_iter=EIGENVECTOR_MAX_ITER, tol=1e-6)
    pagerank = nx.pagerank(g, alpha=0.85)
    component_size = {}
    for comp in nx.connected_components(g):
        for v in comp:
            component_size[v] = len(comp)
    modularity = max(louvain_modularities(g), default=None)
    return [
        [degree[v], strength[v], betweenness[v], closeness[v], clustering[v], eigenvector[v], pagerank[v],
         component_size[v], modularity]
        for v in sorted(g)
    ]


def louvain_modularities(g):
    """Modularity of networkx's Louvain partition for each seed (none without edges)."""
    if g.number_of_edges() == 0:
        return []
    return [nx.community.modularity(g, nx.community.louvain_communities(g, weight="weight", resolution=1, seed=s),
                                    weight="weight") for s in LOUVAIN_SEEDS]


def fmt(x):
    if x is None:
        return ""
    return repr(float(x)) if isinstance(x, float) else str(x)


def main():
    check = "--check" in sys.argv[1:]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    header = ["year", "ccode", "degree", "strength", "betweenness", "closeness", "clustering", "eigenvector",
              "pagerank", "component_size", "modularity"]
    differ = 0
    for year in YEARS:
        gs = graphs(year, year)
        for level in LEVELS:
            g = gs[(year, level)]
            rows = [[year, v] + r for v, r in zip(sorted(g), measures(g))]
            text = ",".join(header) + "\n" + "".join(",".join(fmt(x) for x in row) + "\n" for row in rows)
            path = FIXTURES / f"network-{year}-{level}.csv"
            seeds = louvain_modularities(g) or [float("nan")]
            print(f"{path.name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
                  f"{nx.number_connected_components(g)} components, modularity {fmt(rows[0][-1])} "
                  f"(Louvain over seeds {LOUVAIN_SEEDS.start}-{LOUVAIN_SEEDS.stop - 1}: {min(seeds):.4f}..{max(seeds):.4f})")
            if check:
                if not path.exists() or path.read_text() != text:
                    print(f"  differs from {path}")
                    differ += 1
            else:
                path.write_text(text)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
