#!/usr/bin/env python3
"""networkx counterpart of `cargo bench -p pactbase-analysis --bench network`: the alliance
networks of every year 1816-2018 at level `any` (built as tools/network-fixtures.py builds
them), timed measure by measure.

    python3 tools/network-bench.py [--dump FILE]

Times (best of REPEAT runs, one core, as networkx runs): betweenness_centrality, pagerank,
clustering and louvain_communities (+ modularity) for all years, the issue's reference set;
then closeness, eigenvector centrality, degree/strength and connected components, for the
full set the Rust benchmark computes. `--dump FILE` writes year,modularity (seed 0) per year.
"""
import importlib.util
import pathlib
import platform
import sys
import time

import networkx as nx

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("fixtures", HERE / "network-fixtures.py")
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

REPEAT = 3


def timed(label, f, graphs):
    best = float("inf")
    for _ in range(REPEAT):
        t = time.perf_counter()
        for g in graphs:
            f(g)
        best = min(best, time.perf_counter() - t)
    print(f"  {label:<44} {best:8.3f} s")
    return best


def louvain(g):
    if g.number_of_edges() == 0:
        return None
    blocs = nx.community.louvain_communities(g, weight="weight", resolution=1, seed=0)
    return nx.community.modularity(g, blocs, weight="weight")


def main():
    t = time.perf_counter()
    graphs = fixtures.graphs(1816, 2018, levels=["any"])
    built = time.perf_counter() - t
    gs = [graphs[k] for k in sorted(graphs)]
    print(f"networkx {nx.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{len(gs)} graphs (1816-2018, level any), {sum(g.number_of_edges() for g in gs)} edges, "
          f"up to {max(g.number_of_nodes() for g in gs)} nodes; reading files and building graphs {built:.2f} s")
    ref = 0.0
    ref += timed("betweenness_centrality", nx.betweenness_centrality, gs)
    ref += timed("pagerank (alpha 0.85, weighted)", lambda g: nx.pagerank(g, alpha=0.85), gs)
    ref += timed("clustering", nx.clustering, gs)
    ref += timed("louvain_communities + modularity", louvain, gs)
    print(f"  {'reference set (the four above)':<44} {ref:8.3f} s")
    rest = 0.0
    rest += timed("closeness_centrality", nx.closeness_centrality, gs)
    rest += timed("eigenvector_centrality (max_iter 1000)",
                  lambda g: nx.eigenvector_centrality(g, max_iter=fixtures.EIGENVECTOR_MAX_ITER, tol=1e-6), gs)
    rest += timed("degree, strength", lambda g: (dict(g.degree()), dict(g.degree(weight="weight"))), gs)
    rest += timed("connected_components", lambda g: list(nx.connected_components(g)), gs)
    print(f"  {'every measure':<44} {ref + rest:8.3f} s")
    if "--dump" in sys.argv[1:]:
        path = sys.argv[sys.argv.index("--dump") + 1]
        with open(path, "w") as f:
            f.write("year,modularity\n")
            for (year, _), g in sorted(graphs.items()):
                q = louvain(g)
                f.write(f"{year},{'' if q is None else repr(q)}\n")


if __name__ == "__main__":
    main()
