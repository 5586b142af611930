"""Peer for the stft figure: scipy.signal.stft (hann, nperseg 256, noverlap 192, other
arguments at their defaults) of the first 19 EEG channels of a recording read by MNE
(volts), first `samples` samples. Times float64 input (what MNE returns) and float32
input (what our reader returns; scipy then computes in complex64) and reports both.
"""
import json
import sys
import time

import mne
import numpy as np
import scipy
import scipy.signal

args = json.loads(sys.argv[1])
path, channels, samples = args["file"], int(args["channels"]), int(args["samples"])
nperseg, noverlap, repeats = int(args["nperseg"]), int(args["noverlap"]), int(args["repeats"])

raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
eeg = [i for i, name in enumerate(raw.ch_names) if name.startswith("EEG ")][:channels]
x64 = np.ascontiguousarray(raw.get_data(picks=eeg)[:, :samples])
x32 = x64.astype(np.float32)


def median_seconds(x):
    for _ in range(3):  # warm-up: scipy.fft plans and caches on the first calls
        scipy.signal.stft(x, window="hann", nperseg=nperseg, noverlap=noverlap)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        scipy.signal.stft(x, window="hann", nperseg=nperseg, noverlap=noverlap)
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


print(json.dumps({
    "seconds_float64": median_seconds(x64),
    "seconds_float32": median_seconds(x32),
    "shape": list(x64.shape),
    "version": f"scipy.signal.stft {scipy.__version__}",
}))
