"""Peer for the recipe figure: the spectrogram recipe of RECIPES.md for one recording,
written plainly with MNE, scipy and numpy as the original project would.

Read with MNE (volts), pick the 20 montage channels by name, scipy.signal.decimate to
125 Hz (zero phase), windows of 2048 samples every 1024, per window and channel the
log-frequency DFT of RECIPES step 6 (hop 172, numpy.hanning(511), 255 log-spaced
frequencies, a precomputed complex basis), dB image clipped to the Math bounds, tiled
into a 256x256 uint8 image, PNG-encoded in memory (PIL when installed, else zlib +
struct). Prints the median seconds of `repeats` runs after one warm-up run.

With `files` (a list of paths) and `out_dir` instead of `file` (the preprocess figure):
processes the files one after the other in this one process, as the original would,
writing each window's PNG into out_dir plus a metadata.csv, once, and prints the wall
seconds and the total seconds of EEG.
"""
import os
import io
import json
import struct
import sys
import time
import zlib

import mne
import numpy as np
import scipy
import scipy.signal

try:
    from PIL import Image
except ImportError:  # python3-pil absent: write the PNG by hand
    Image = None

args = json.loads(sys.argv[1])
montage = list(args["montage"])
min_db, max_db = args["db_range"]
RATE, L, SHIFT, HOP, N, SIZE = 125, 2048, 1024, 172, 511, 256
ALIASES = {"t7": "t3", "t8": "t4", "p7": "t5", "p8": "t6"}

# The non-uniform DFT basis, computed once: f_0 = 0, f_k = 10^e_k for k = 1..255.
freqs = 10.0 ** np.linspace(-3, np.log10(0.5), 255)
hann = np.hanning(N)
basis = np.exp(-2j * np.pi * freqs[:, None] * np.arange(N)[None, :])  # [255, 511]


def key(label):
    name = label.strip().lower()
    if name.startswith("eeg "):
        name = name[4:]
    return ALIASES.get(name, name)


def png_bytes(image):
    if Image is not None:
        out = io.BytesIO()
        Image.fromarray(image, "L").save(out, "PNG")
        return out.getvalue()

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + image[y].tobytes() for y in range(image.shape[0]))
    header = struct.pack(">IIBBBBB", image.shape[1], image.shape[0], 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def log_spectrogram(x):
    """RECIPES step 6 for one channel of one window: [256, 12] complex."""
    dc = x.sum() / np.sqrt(len(x))
    x = np.concatenate([x - x.mean(), np.zeros(N - len(x) % HOP)])
    starts = range(0, len(x) - N + 1, HOP)
    frames = np.stack([x[s:s + N] for s in starts]) * hann  # [12, 511]
    spec = np.empty((256, len(starts)), dtype=complex)
    spec[0] = dc
    spec[1:] = (2 * frames @ basis.T / np.sqrt(N)).T
    return spec


def recipe(path):
    raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
    by_key = {}
    for i, name in enumerate(raw.ch_names):
        by_key.setdefault(key(name), i)
    picks = [by_key[key(name)] for name in montage]
    x = raw.get_data(picks=picks)  # volts
    q = int(round(raw.info["sfreq"] / RATE))
    x = scipy.signal.decimate(x, q, zero_phase=True)
    count = (x.shape[1] - L) // SHIFT + 1
    pngs = []
    for w in range(count):
        image = np.zeros((SIZE, SIZE), dtype=np.uint8)
        for c in range(len(montage)):
            spec = log_spectrogram(x[c, w * SHIFT:w * SHIFT + L])
            db = np.clip(20 * np.log10(np.abs(spec) + 1e-9), min_db, max_db)
            pixels = np.floor(255 * (db - min_db) / (max_db - min_db)).astype(np.uint8)[::-1]
            left = (SIZE - len(montage) * pixels.shape[1]) // 2 + c * pixels.shape[1]
            image[:, left:left + pixels.shape[1]] = pixels
        pngs.append(png_bytes(image))
    return raw.n_times / raw.info["sfreq"], pngs


VERSION = (f"MNE {mne.__version__} + scipy {scipy.__version__} + numpy {np.__version__}"
           + (" + PIL" if Image is not None else " + zlib PNG"))


def one_recording(path, repeats):
    seconds_of_eeg, pngs = recipe(path)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        recipe(path)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {
        "seconds": times[len(times) // 2],
        "windows": len(pngs),
        "png_bytes": sum(len(p) for p in pngs),
        "eeg_seconds": seconds_of_eeg,
        "version": VERSION,
    }


def many_recordings(paths, out_dir):
    t0 = time.perf_counter()
    eeg_seconds, windows, rows = 0.0, 0, ["file_name,recording,start_s"]
    for path in paths:
        stem = os.path.splitext(os.path.basename(path))[0]
        seconds, pngs = recipe(path)
        eeg_seconds += seconds
        for w, png in enumerate(pngs):
            name = f"images/{stem}_w{w:03d}.png"
            os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(png)
            rows.append(f"{name},{stem},{w * SHIFT / RATE:.6f}")
        windows += len(pngs)
    with open(os.path.join(out_dir, "metadata.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    return {
        "seconds": time.perf_counter() - t0,
        "recordings": len(paths),
        "windows": windows,
        "eeg_seconds": eeg_seconds,
        "version": VERSION,
    }


if "files" in args:
    print(json.dumps(many_recordings(list(args["files"]), args["out_dir"])))
else:
    print(json.dumps(one_recording(args["file"], int(args["repeats"]))))
