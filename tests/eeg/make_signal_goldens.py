#!/usr/bin/python3
"""Writes the golden values that tests/eeg/{window,resample,stft,log_spectrogram}_test.ts
compare lib/eeg against: scipy.signal (decimate, resample_poly, stft, istft, windows) and
a plain numpy version of the original project's log-frequency spectrogram (RECIPES.md,
step 6).

Run with Debian's Python stack (numpy, scipy, mne), not the python3 first on PATH:

    /usr/bin/python3 tests/eeg/make_signal_goldens.py

Inputs are slices of a real recording (eegmat Subject00_1.edf, read by mne in volts),
rounded to float32 so that the TypeScript tests feed exactly the same numbers. Inputs are
stored in the fixtures, so the tests do not need the EDF reader.
"""
import json
import pathlib

import mne
import numpy as np
import scipy
import scipy.signal as ss

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures"
EDF = pathlib.Path("/work/shared/data/eeg/eegmat/Subject00_1.edf")
CHANNELS = ["EEG Fp1", "EEG C3", "EEG O2"]
START = 10_000  # samples (20 s in at 500 Hz): past the recording's start-up transient


def _f(values, digits=9):
    """Nested lists of floats with `digits` significant digits (enough for rtol 1e-6)."""
    arr = np.asarray(values, dtype=np.float64)
    return json.loads(np.array2string(arr, separator=",", threshold=arr.size + 1,
                                      formatter={"float_kind": lambda v: f"{v:.{digits}g}"},
                                      max_line_width=1 << 30))


def _complex(z):
    return {"re": _f(np.real(z)), "im": _f(np.imag(z))}


def _write(name, payload):
    payload = {"generator": "tests/eeg/make_signal_goldens.py",
               "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                            "mne": mne.__version__},
               **payload}
    path = OUT / name
    path.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(HERE.parent.parent)}: {path.stat().st_size / 1024:.0f} KiB")


def read_input(samples, channels=CHANNELS, start=START):
    raw = mne.io.read_raw_edf(EDF, preload=False, verbose="error")
    data = raw.get_data(picks=channels, start=start, stop=start + samples)
    # float32 values: the TypeScript side reads them into Float32Array exactly.
    return data.astype(np.float32).astype(np.float64)


def windows():
    out = {}
    for length in (1, 2, 7, 8, 511):
        for name, scipy_name in (("hann", "hann"), ("hamming", "hamming"),
                                 ("rectangular", "boxcar")):
            out[f"{name}_{length}_periodic"] = _f(ss.get_window(scipy_name, length), 17)
            out[f"{name}_{length}_symmetric"] = _f(
                ss.get_window(scipy_name, length, fftbins=False), 17)
        out[f"kaiser5_{length}_symmetric"] = _f(ss.windows.kaiser(length, 5.0), 17)
    out["numpy_hanning_511"] = _f(np.hanning(511), 17)
    _write("windows.json", {"windows": out})


def resample():
    x = read_input(2400)
    sos = {str(q): _f(ss.cheby1(8, 0.05, 0.8 / q, output="sos"), 17) for q in (4, 8)}
    decimated = {str(q): _f(ss.decimate(x, q, zero_phase=True)) for q in (4, 8)}
    # The b/a form (filtfilt) equals the SOS form (sosfiltfilt, what scipy 1.10's decimate
    # uses) up to rounding: recorded to show the two agree.
    ba_gap = {}
    for q in (4, 8):
        b, a = ss.cheby1(8, 0.05, 0.8 / q)
        via_ba = ss.filtfilt(b, a, x)[:, ::q]
        ba_gap[str(q)] = float(np.max(np.abs(via_ba - ss.decimate(x, q))) / np.max(np.abs(x)))
    poly = {f"{up}/{down}": _f(ss.resample_poly(x, up, down, axis=-1))
            for up, down in ((125, 512), (5, 8))}
    firwin = {"numtaps": 161, "cutoff": 1 / 8, "taps": _f(ss.firwin(161, 1 / 8,
                                                                  window=("kaiser", 5.0)), 17)}
    _write("resample.json", {"channels": CHANNELS, "start": START, "sampleRateHz": 500,
                             "input": _f(x), "cheby1Sos": sos, "decimate": decimated,
                             "baVersusSosRelativeGap": ba_gap, "resamplePoly": poly,
                             "firwinKaiser": firwin})


STFT_SETTINGS = [
    {"nperseg": 64, "noverlap": None, "nfft": None},
    {"nperseg": 50, "noverlap": 35, "nfft": 72},  # odd hop, nfft not a power of two
]


def stft():
    x = read_input(200, CHANNELS[:2])
    for window in ("hann", "hamming", "boxcar"):
        cases = []
        for setting in STFT_SETTINGS:
            for boundary in ("zeros", None):
                for padded in (True, False):
                    f, t, z = ss.stft(x, window=window, boundary=boundary, padded=padded,
                                      **setting)
                    cases.append({**setting, "window": window, "boundary": boundary,
                                  "padded": padded, "frequencies": _f(f), "times": _f(t),
                                  "shape": list(z.shape), **_complex(z)})
        _write(f"stft_{window}.json", {"input": _f(x), "cases": cases})


def stft_extra():
    """A two-sided, psd-scaled case with fs, and istft round trips."""
    x = read_input(200, CHANNELS[:2])
    f, t, z = ss.stft(x, fs=500, window="hann", nperseg=32, return_onesided=False,
                      scaling="psd")
    twosided = {"fs": 500, "window": "hann", "nperseg": 32, "frequencies": _f(f),
                "times": _f(t), "shape": list(z.shape), **_complex(z)}
    _, xr = ss.istft(z, fs=500, window="hann", nperseg=32, input_onesided=False,
                     scaling="psd")
    twosided["istft"] = _f(np.real(xr))  # scipy keeps two-sided output complex (imag ~ 0)
    roundtrips = []
    for window, setting in (("hann", STFT_SETTINGS[0]), ("hamming", STFT_SETTINGS[1])):
        _, _, z = ss.stft(x, window=window, **setting)
        _, xr = ss.istft(z, window=window, **setting)
        roundtrips.append({**setting, "window": window, "istft": _f(xr)})
    _write("stft_extra.json", {"input": _f(x), "twosided": twosided, "roundtrips": roundtrips})


def log_spectrogram_reference(x, hop, n=511):
    """RECIPES.md step 6, written out plainly for one channel window x of length L."""
    L = len(x)
    dc = x.sum() / np.sqrt(L)
    x = x - x.mean()
    padded = np.concatenate([x, np.zeros(n - L % hop)])
    starts = [s for s in range(0, len(padded), hop) if s + n <= len(padded)]
    window = np.hanning(n)
    exponents = np.linspace(-3, np.log10(0.5), 255)
    freqs = 10.0 ** exponents  # cycles per sample, k = 1..255
    out = np.zeros((256, len(starts)), dtype=np.complex128)
    samples = np.arange(n)
    for j, s in enumerate(starts):
        frame = padded[s:s + n] * window
        for k, fk in enumerate(freqs, start=1):
            out[k, j] = 2 * np.sum(frame * np.exp(-2j * np.pi * fk * samples)) / np.sqrt(n)
        out[0, j] = dc
    return out


def log_spectrogram():
    # A recipe-like input: 8192 samples at 500 Hz decimated to 2048 at 125 Hz.
    raw = read_input(4 * 2048, CHANNELS[:2])
    x = ss.decimate(raw, 4).astype(np.float32).astype(np.float64)
    # One file per hop keeps each under 300 KB; the 176 (SEED) file holds channel 0 only.
    for hop, channels in ((172, 2), (176, 1)):
        spec = np.stack([log_spectrogram_reference(x[c], hop) for c in range(channels)])
        _write(f"log_spectrogram_{hop}.json", {"input": _f(x[:channels]), "sampleRateHz": 125,
                                               "hop": hop, "shape": list(spec.shape),
                                               **_complex(spec)})


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    windows()
    resample()
    stft()
    stft_extra()
    log_spectrogram()
