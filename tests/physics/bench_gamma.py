"""Benchmark: all anomalous dimensions on 1e4 complex n (run directly, not collected by pytest).

.venv/bin/python tests/physics/bench_gamma.py
"""

import time

import numpy as np

from ekodask.physics import harmonics
from ekodask.physics.anomalous_dimensions import gamma_ns, gamma_singlet


def bench(order: int, n: np.ndarray, repeat: int = 3) -> float:
    """Best wall time of computing ns+, ns-, nsv and the singlet matrix up to ``order``."""
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        for kind in ("+", "-", "v"):
            gamma_ns(order, kind, n, 4)
        gamma_singlet(order, n, 4)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    rng = np.random.default_rng(0)
    # Talbot-like contour points: Re n from -20 to 6, |Im n| up to 40
    n = rng.uniform(-20, 6, 10_000) + 1j * rng.uniform(-40, 40, 10_000)
    harmonics.S((-2, 1), n[:2])  # builds the cached asymptotic expansion once
    for order in (1, 2, 3):
        try:
            t = bench(order, n)
        except ImportError as err:  # as3 not there yet
            print(f"order {order}: skipped ({err})")
            continue
        print(f"order {order}: ns+, ns-, nsv and singlet on {n.size} complex n: {t * 1e3:.1f} ms")
    t0 = time.perf_counter()
    gamma_singlet(2, n, 4)
    print(f"gamma_singlet(2) alone: {(time.perf_counter() - t0) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
