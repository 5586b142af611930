"""Goldens for spectrogram images: the original recipe (RECIPES.md steps 1-9) in numpy/scipy.

Run with Debian's Python: /usr/bin/python3 tests/eeg/make_spectrogram_image_goldens.py
Writes tests/eeg/fixtures/spectrogram_image_goldens.json with, for one window of a real
Math recording (read from ../shared/data by the test itself): the db, db-iq and db-polar
images (uint8), each gzip-compressed and base64-encoded, and the window's sum of |x|.
"""
import base64
import gzip
import json
import pathlib

import mne
import numpy as np
import scipy.signal

ROOT = pathlib.Path(__file__).resolve().parents[2]
EDF = ROOT.parent / "shared" / "data" / "eeg" / "eegmat" / "Subject00_1.edf"
OUT = ROOT / "tests" / "eeg" / "fixtures" / "spectrogram_image_goldens.json"
CHANNELS = ["Fp1", "Fp2", "F3", "F4", "Fz", "F7", "F8", "C3", "C4", "Cz",
            "P3", "P4", "Pz", "O1", "O2", "T3", "T4", "T5", "T6", "A2-A1"]
MIN_DB, MAX_DB = -127.028, -44.068
NSAMPS, SHIFT, HOP, N = 2048, 1024, 172, 511
WINDOW_INDEX = 3


def log_spectrogram(x):
    """RECIPES.md step 6 for one channel of one window."""
    L = len(x)
    dc = x.sum() / np.sqrt(L)
    x = x - x.mean()
    x = np.concatenate([x, np.zeros(N - (L % HOP))])
    starts = list(range(0, len(x) - N + 1, HOP))
    window = np.hanning(N)
    e = np.linspace(-3, np.log10(0.5), 255)
    f = 10.0 ** e
    n = np.arange(N)
    basis = np.exp(-2j * np.pi * f[:, None] * n[None, :])  # [255, 511]
    out = np.zeros((256, len(starts)), dtype=complex)
    for t, s in enumerate(starts):
        frame = x[s:s + N] * window
        out[1:, t] = 2 * basis @ frame / np.sqrt(N)
        out[0, t] = dc
    return out


def minmax(v, lo, hi):
    return np.floor(255 * (v - lo) / (hi - lo)) if hi > lo else np.zeros_like(v)


def images(window):
    db_img = np.zeros((256, 256), np.uint8)
    iq = np.zeros((256, 256, 3), np.uint8)
    polar = np.zeros((256, 256, 3), np.uint8)
    for c in range(20):
        X = log_spectrogram(window[c])
        D = np.clip(20 * np.log10(np.abs(X) + 1e-9), MIN_DB, MAX_DB)
        db = np.floor(255 * (D - MIN_DB) / (MAX_DB - MIN_DB))[::-1]
        re, im = X.real, X.imag
        lo, hi = min(re.min(), im.min()), max(re.max(), im.max())
        mag = np.abs(X)
        cols = slice(8 + 12 * c, 8 + 12 * (c + 1))
        db_img[:, cols] = db
        iq[:, cols, 0] = db
        iq[:, cols, 1] = minmax(re, lo, hi)[::-1]
        iq[:, cols, 2] = minmax(im, lo, hi)[::-1]
        polar[:, cols, 0] = db
        polar[:, cols, 1] = minmax(mag, mag.min(), mag.max())[::-1]
        polar[:, cols, 2] = np.minimum(255, np.floor(255 * (np.angle(X) + np.pi) / (2 * np.pi)))[::-1]
    return db_img, iq, polar


def pack(array):
    return base64.b64encode(gzip.compress(np.ascontiguousarray(array).tobytes(), mtime=0)).decode()


raw = mne.io.read_raw_edf(EDF, preload=True, verbose="error")
names = [ch.replace("EEG ", "") for ch in raw.ch_names]
data = raw.get_data()[[names.index(c) for c in CHANNELS]]  # volts
decimated = scipy.signal.decimate(data, 4, zero_phase=True, axis=-1)
start = SHIFT * WINDOW_INDEX
window = decimated[:, start:start + NSAMPS]
db_img, iq, polar = images(window)
OUT.write_text(json.dumps({
    "source": "Subject00_1.edf", "channels": CHANNELS, "window_index": WINDOW_INDEX,
    "decimated_samples": int(decimated.shape[1]), "db_range": [MIN_DB, MAX_DB], "hop": HOP,
    "window_sum_abs": float(np.abs(window).sum()),
    # Full dB image; the noisy Re/Im/|X|/phase planes only for the first 4 channel strips
    # (columns 8..55) to keep the fixture small.
    "db_gz_b64": pack(db_img), "rgb_columns": [8, 56],
    "db_iq_gz_b64": pack(iq[:, 8:56]), "db_polar_gz_b64": pack(polar[:, 8:56]),
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "mne": mne.__version__},
}, indent=1) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
