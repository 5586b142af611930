"""Peer for the edf_read figure: mne.io.read_raw_edf(preload=True) over a set of files.

Reads every file fully (all signals, float64 volts, annotations parsed), once as a warm-up
so both sides read from the page cache, then `repeats` timed passes; prints the median
seconds per pass over the whole set and every pass's seconds.
"""
import json
import sys
import time

import mne

args = json.loads(sys.argv[1])
files, repeats = list(args["files"]), int(args["repeats"])


def read_all():
    samples = 0
    for path in files:
        raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
        samples += raw._data.size
    return samples


samples = read_all()  # warm-up: imports, page cache
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    read_all()
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({
    "seconds": times[len(times) // 2],
    "times": times,
    "samples": samples,
    "version": f"mne.io.read_raw_edf(preload=True) {mne.__version__}",
}))
