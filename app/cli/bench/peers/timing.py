"""Shared timing for the Python peers: the same warm-up + median rule as harness.ts."""
import time


def median_seconds(fn, repeats, warmup=1):
    """Median wall seconds of `fn()` over `repeats` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    n = len(times)
    return times[n // 2] if n % 2 == 1 else (times[n // 2 - 1] + times[n // 2]) / 2
