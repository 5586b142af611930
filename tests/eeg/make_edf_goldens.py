#!/usr/bin/python3
"""Writes tests/eeg/fixtures/edf_goldens.json: what MNE-Python reads from the real EDF/BDF
files in /work/shared/data/eeg and from the project's own writer fixture
(tests/eeg/fixtures/edf_writer_sample.edf, re-written first with deno when deno is on PATH).

Run with Debian's Python stack (numpy, mne), not the python3 first on PATH:

    /usr/bin/python3 tests/eeg/make_edf_goldens.py

Per file: channel names (MNE drops "EDF Annotations"), sample rate, n_times, which channels
MNE treats as stim, per channel a few samples (first, middle, last) in volts as MNE returns
them, sum / sum |x| / sum x^2 over the whole channel, and the annotations.

MNE conventions the tests account for (mne.io.edf.edf, MNE 1.3):
- Units: "uV"/"µV" are scaled by 1e-6, "mV" by 1e-3, anything else ("V", "", "Boolean",
  "n/a") by 1.
- Stim channels (named "status" or "trigger", case-insensitive; "Status" here): scaled by 1
  whatever the unit; EDF: int(physical) & (2**17 - 1); BDF: digital & (2**17 - 1), no
  physical scaling at all.
- Channels with fewer samples per record than the fastest are resampled (not the case in
  these files, whose channels share one rate).
- Annotation onsets are relative to the first record's time-keeping TAL; MNE sorts them by
  onset.
"""
import json
import pathlib
import shutil
import subprocess

import mne
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = HERE / "fixtures" / "edf_goldens.json"
WRITER_SAMPLE = HERE / "fixtures" / "edf_writer_sample.edf"

FILES = (
    [f"eeg/eegmat/Subject{s:02d}_{k}.edf" for s in range(16) for k in (1, 2)]
    + [
        "eeg/parkinsons_ds002778/sub-pd6/ses-off/eeg/sub-pd6_ses-off_task-rest_eeg.edf",
        "eeg/mne_testdata/test.bdf",
        "eeg/mne_testdata/test_edf_stim_channel.edf",
    ]
)


def _g(values):
    """Floats with 10 significant digits (the tests compare at rtol 1e-6)."""
    return [float(f"{v:.10g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def _golden(path, name, slice_len):
    read = mne.io.read_raw_bdf if path.suffix.lower() == ".bdf" else mne.io.read_raw_edf
    raw = read(str(path), preload=True, verbose="error")
    data = raw.get_data()  # [channels, n_times], float64, volts
    n = raw.n_times
    mid = n // 2 - slice_len // 2
    stim = [raw.ch_names[i] for i in mne.pick_types(raw.info, meg=False, stim=True)]
    annotations = sorted(
        (float(a["onset"]), float(a["duration"]), str(a["description"])) for a in raw.annotations
    )
    return {
        "path": name,
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(n),
        "meas_date": None if raw.info["meas_date"] is None else raw.info["meas_date"].isoformat(),
        "ch_names": list(raw.ch_names),
        "stim": stim,
        "slice_len": slice_len,
        "middle_start": int(mid),
        "first": [_g(x[:slice_len]) for x in data],
        "middle": [_g(x[mid:mid + slice_len]) for x in data],
        "last": [_g(x[-slice_len:]) for x in data],
        "sum": _g(data.sum(axis=1)),
        "sum_abs": _g(np.abs(data).sum(axis=1)),
        "sum_sq": _g((data * data).sum(axis=1)),
        "annotations": [[_g([o])[0], _g([d])[0], t] for o, d, t in annotations],
    }


def main():
    deno = shutil.which("deno")
    if deno:
        subprocess.run([deno, "run", "--allow-write", str(HERE / "_edf_writer_sample.ts")],
                       cwd=ROOT, check=True)
    files = []
    for name in FILES:
        # 2-sample slices for 30 of the 32 eegmat files keep the fixture under 200 KB; their
        # whole-channel sums still cover every sample.
        short = "eegmat" in name and "Subject00" not in name
        files.append(_golden(DATA / name, name, 2 if short else 8))
    files.append(_golden(WRITER_SAMPLE, "fixtures/edf_writer_sample.edf", 8))
    golden = {
        "generator": "tests/eeg/make_edf_goldens.py",
        "mne_version": mne.__version__,
        "numpy_version": np.__version__,
        "files": files,
    }
    OUT.write_text(json.dumps(golden, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(files)} files)")


if __name__ == "__main__":
    main()
