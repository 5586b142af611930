"""Peer for the matmul figure: numpy float32 matmul, median seconds over repeats."""
import json
import sys
import time

import numpy as np

args = json.loads(sys.argv[1])
n, repeats = int(args["n"]), int(args["repeats"])
rng = np.random.default_rng(0)
a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
a @ b  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - t0)
print(json.dumps({"seconds": float(np.median(times)), "version": np.__version__}))
