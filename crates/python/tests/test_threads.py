"""The GIL is released while pactbase computes: two panels compute at the same time while
this thread runs Python.

With a switch interval far longer than the test, a thread holding the GIL keeps it until
it blocks or releases it. So the main thread runs again after starting a worker only if
the worker released the GIL, and it sees both workers still inside `panel` only if both
released it there: a panel that held the GIL would have finished before `start` returned."""

import sys
import threading

import pactbase


def test_two_panels_compute_concurrently(database):
    registry = pactbase.open(database)
    results = {}

    def work(name):
        results[name] = registry.panel("dyad-year", years=(1816, 2016), directed=True, with_="atop,nmc")

    workers = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        for worker in workers:
            worker.start()
        both_inside = all(worker.is_alive() for worker in workers) and not results
    finally:
        sys.setswitchinterval(interval)
        for worker in workers:
            worker.join()
    assert both_inside, "a panel held the GIL while it computed"
    assert results["a"].equals(results["b"]) and results["a"].num_rows > 1_000_000
