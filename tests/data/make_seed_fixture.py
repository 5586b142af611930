#!/usr/bin/python3
"""Writes the tiny SEED-like dataset of tests/data/seed_test.ts into tests/data/fixtures/seed/.

Run with Debian's Python stack (numpy, scipy), not the python3 first on PATH:

    /usr/bin/python3 tests/data/make_seed_fixture.py

Layout (as SEED's Preprocessed_EEG folder, scaled down):
- 1_20131027.mat: subject 1, trials djc_eeg1..djc_eeg3 of 62 x (3400, 5000, 3400) samples.
- 2_20140404.mat: subject 2, trials jl_eeg1..jl_eeg3 of 62 x (3400, 3400, 5000) samples.
  Each trial is a 62 x N float64 matrix in microvolts at 200 Hz, written by
  scipy.io.savemat(do_compression=True). 3400 samples resample (200 -> 125 Hz, factor
  5/8) to 2125 >= 2048: one window; 5000 samples to 3125: two windows.
- label.mat: `label`, 1 x 15 doubles, SEED's film-clip labels (-1 negative, 0 neutral,
  1 positive); the fixture's trials 1..3 are positive, neutral, negative.
- participants.csv: subject, age, gender (one subject as "F", the other as "male").
- broken/3_20140101.mat: subject 3 with only ab_eeg1 and ab_eeg2 (62 x 100 samples each)
  and no ab_eeg3; the test copies it next to the others to check that the missing trial
  is reported as failed. The adapter only lists the root, so broken/ is ignored otherwise.

Size: 6 x 62 x ~3900 doubles are ~11 MB raw, and random doubles barely compress. So each
channel is periodic with a period of 16 samples (sines at multiples of 12.5 Hz plus a
seeded random 16-sample pattern as "noise"), rounded to 0.01 uV: in MATLAB's
column-major order one period is 16 x 62 x 8 = 7936 bytes, inside deflate's 32 KiB window,
so every period after the first compresses to a few bytes. Channels differ in amplitude
and phase, so a channel mapped to the wrong row would change the images.
"""
import pathlib

import numpy as np
import scipy.io as sio

OUT = pathlib.Path(__file__).parent / "fixtures" / "seed"
RATE_HZ = 200
PERIOD = 16
CHANNELS = 62
# SEED's labels of its 15 film clips (label.mat), in trial order.
LABELS = [1, 0, -1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 0, 1, -1]


def trial(rng: np.random.Generator, samples: int) -> np.ndarray:
    """A 62 x samples matrix in microvolts, periodic with PERIOD samples."""
    n = np.arange(PERIOD)
    period = np.zeros((CHANNELS, PERIOD))
    for c in range(CHANNELS):
        gain = 1.0 + c / CHANNELS
        phase = rng.uniform(0, 2 * np.pi)
        # 12.5 Hz and 25 Hz (harmonics 1 and 2 of 200 / 16 Hz), then 37.5 Hz weaker.
        period[c] = gain * (
            20.0 * np.sin(2 * np.pi * 1 * n / PERIOD + phase)
            + 8.0 * np.sin(2 * np.pi * 2 * n / PERIOD + 2 * phase)
            + 3.0 * np.sin(2 * np.pi * 3 * n / PERIOD + 0.5)
        ) + rng.normal(0.0, 1.5, PERIOD)
    reps = -(-samples // PERIOD)
    return np.round(np.tile(period, reps)[:, :samples], 2)


def session(path: pathlib.Path, prefix: str, lengths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    variables = {f"{prefix}_eeg{k + 1}": trial(rng, n) for k, n in enumerate(lengths)}
    sio.savemat(path, variables, do_compression=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "broken").mkdir(exist_ok=True)
    session(OUT / "1_20131027.mat", "djc", [3400, 5000, 3400], seed=1)
    session(OUT / "2_20140404.mat", "jl", [3400, 3400, 5000], seed=2)
    session(OUT / "broken" / "3_20140101.mat", "ab", [100, 100], seed=3)
    sio.savemat(OUT / "label.mat", {"label": np.array([LABELS], dtype=np.float64)},
                do_compression=True)
    (OUT / "participants.csv").write_text("subject,age,gender\n1,23,F\n2,22,male\n")
    # Check what SciPy reads back.
    back = sio.loadmat(OUT / "1_20131027.mat")
    assert back["djc_eeg2"].shape == (CHANNELS, 5000)
    assert sio.loadmat(OUT / "label.mat")["label"].shape == (1, 15)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
