#!/usr/bin/python3
"""Writes the MAT-file fixtures of tests/eeg/mat_reader_test.ts into tests/eeg/fixtures/mat/
and what SciPy reads from them into tests/eeg/fixtures/mat/goldens.json.

Run with Debian's Python stack (numpy, scipy), not the python3 first on PATH:

    /usr/bin/python3 tests/eeg/make_mat_fixtures.py

Files (all MAT Level 5 unless said otherwise):
- seed_like.mat / seed_like_compressed.mat: SEED-style trials djc_eeg1..djc_eeg3, 62
  channels x (64, 72, 56) samples of float64 in microvolts (~1e1 scale, seeded RNG), written
  by scipy.io.savemat without / with compression. Real SEED trials are 62 x ~47000 at
  200 Hz; the trials are short here only to keep the fixture folder under ~300 KB
  (random doubles barely compress, and 3 x 62 x 400 doubles alone would be 595 KB).
- label.mat: SEED's `label`, the 1 x 15 doubles 1, 0, -1, ... of the 15 film clips.
- classes.mat / classes_compressed.mat: every numeric class, logical, char (ASCII, non-ASCII
  and a 2-row char matrix), complex, a 3-D array, empty arrays, a struct and a cell.
- classes_be.mat: classes.mat byte-swapped into a big-endian ("MI") file by _swap_mat
  below. scipy.io.savemat always writes native (little-endian) order: handed '>f8' arrays,
  it converts them (checked with SciPy 1.10.1), so the swap is done here element by
  element. SciPy reads the swapped file back to the same values (asserted).
- storage_types.mat (+ storage_types_be.mat): written by hand with struct, as MATLAB
  writes arrays whose values fit a narrower type (a double array stored as miUINT8,
  miINT8, miINT16 ..., a 2-byte payload in the small-data-element format, char stored as
  miUINT16), which scipy.io.savemat never produces. Goldens read with mat_dtype=True.
- level4.mat: scipy.io.savemat(format="4"), a MATLAB v4 file the reader must refuse.
- v73_fake.mat: a 128-byte "MATLAB 7.3 MAT-file" header, zeros up to byte 512 and the HDF5
  signature, enough to exercise the v7.3 error.

goldens.json, per file and variable (as SciPy reads it): class and dims (scipy.io.whosmat
class; dims from loadmat with chars_as_strings=False), and for decoded arrays either all
values column-major (small arrays) or first/last/sum plus [index, value] samples. Floats
are JSON numbers (exact round trip), non-finite floats the strings "NaN", "Infinity",
"-Infinity", int64/uint64 values decimal strings, char arrays the column-major string.
"""
import io
import json
import math
import pathlib
import struct

import numpy as np
import scipy.io as sio

OUT = pathlib.Path(__file__).parent / "fixtures" / "mat"

# MAT Level 5 data types (MATLAB "MAT-File Format", R2024a, table 1-1).
MI_INT8, MI_UINT8, MI_INT16, MI_UINT16, MI_INT32, MI_UINT32 = 1, 2, 3, 4, 5, 6
MI_SINGLE, MI_DOUBLE, MI_INT64, MI_UINT64, MI_MATRIX = 7, 9, 12, 13, 14
MI_UTF8, MI_UTF16, MI_UTF32 = 16, 17, 18
ITEM_SIZE = {MI_INT8: 1, MI_UINT8: 1, MI_INT16: 2, MI_UINT16: 2, MI_INT32: 4, MI_UINT32: 4,
             MI_SINGLE: 4, MI_DOUBLE: 8, MI_INT64: 8, MI_UINT64: 8, MI_UTF8: 1, MI_UTF16: 2,
             MI_UTF32: 4}


def seed_like():
    rng = np.random.default_rng(20131027)
    trials = {}
    for i, samples in enumerate((64, 72, 56), start=1):
        # ~N(0, 12 uV) with a per-channel offset, like band-passed scalp EEG.
        offset = rng.normal(0, 3, size=(62, 1))
        trials[f"djc_eeg{i}"] = offset + rng.normal(0, 12, size=(62, samples))
    return trials


def classes():
    ints = [[0, 1, -1], [7, -100, 100]]
    return {
        "v_double": np.array([[1.5, -0.0, np.nan], [np.inf, -np.inf, 5e-324]]),
        "v_single": np.array([[1.5, -2.25, 3.4e38], [np.float32(0.1), 0, 1e-45]], np.float32),
        "v_int8": np.array([[-128, 127, 0], [1, -1, 5]], np.int8),
        "v_uint8": np.array([[0, 255, 1], [2, 3, 4]], np.uint8),
        "v_int16": np.array([[-32768, 32767, 0], [1, -1, 5]], np.int16),
        "v_uint16": np.array([[0, 65535, 1], [2, 3, 4]], np.uint16),
        "v_int32": np.array([[-2**31, 2**31 - 1, 0], [1, -1, 5]], np.int32),
        "v_uint32": np.array([[0, 2**32 - 1, 1], [2, 3, 4]], np.uint32),
        "v_int64": np.array([[-2**63, 2**63 - 1, 0], [2**53 + 1, -1, 5]], np.int64),
        "v_uint64": np.array([[0, 2**64 - 1, 1], [2**53 + 1, 3, 4]], np.uint64),
        "v_logical": np.array([[True, False], [False, True]]),
        "v_char": "hello",
        "v_char_utf8": "µV αβ",
        "v_char_rows": np.array(["abc", "def"]),
        "v_complex": np.array([[1 + 2j, -3.5 + 0j], [0 - 1j, 2.25 + 4j]]),
        "v_3d": np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5 - 3,
        "v_scalar": 42.0,
        "v_ints": np.array(ints, np.int16),
        "v_empty": np.zeros((0, 0)),
        "v_empty_cols": np.zeros((3, 0), np.int32),
        "v_empty_char": "",
        "v_struct": {"fs": 200.0, "note": "skip me"},
        "v_cell": np.array([[1.0, "two", np.zeros((2, 2))]], dtype=object),
    }


def _tag(mdtype, payload):
    """One little-endian data element: tag, payload, padding to 8 bytes; the small format
    (16-bit byte count in the upper half of the first word) when the payload fits 4 bytes."""
    n = len(payload)
    if 0 < n <= 4:
        return struct.pack("<HH", mdtype, n) + payload.ljust(4, b"\0")
    return struct.pack("<II", mdtype, n) + payload + b"\0" * (-n % 8)


def _matrix(name, class_code, dims, mdtype, data, flags=0):
    fmt = {MI_INT8: "b", MI_UINT8: "B", MI_INT16: "h", MI_UINT16: "H", MI_INT32: "i",
           MI_UINT32: "I", MI_SINGLE: "f", MI_DOUBLE: "d"}[mdtype]
    body = (_tag(MI_UINT32, struct.pack("<II", class_code | flags << 8, 0))
            + _tag(MI_INT32, struct.pack(f"<{len(dims)}i", *dims))
            + _tag(MI_INT8, name.encode())
            + _tag(mdtype, struct.pack(f"<{len(data)}{fmt}", *data)))
    return struct.pack("<II", MI_MATRIX, len(body)) + body


def storage_types():
    header = b"MATLAB 5.0 MAT-file, Platform: GLNXA64, written by make_mat_fixtures.py"
    header = header.ljust(116, b" ") + b"\0" * 8 + struct.pack("<H", 0x0100) + b"IM"
    label = [1, 0, -1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 0, 1, -1]
    elements = [
        # MATLAB's own label.mat stores the 1 x 15 double label as miINT8.
        _matrix("label", 6, [1, 15], MI_INT8, label),
        _matrix("d_as_uint8", 6, [2, 2], MI_UINT8, [0, 255, 7, 200]),
        _matrix("d_as_int16", 6, [1, 3], MI_INT16, [-32768, 1000, 32767]),
        _matrix("d_as_uint16", 6, [3, 1], MI_UINT16, [65535, 0, 12]),
        _matrix("d_as_int32", 6, [1, 2], MI_INT32, [-2**31, 123456789]),
        _matrix("d_small", 6, [1, 2], MI_UINT8, [3, 4]),  # small-data-element format
        _matrix("s_as_int16", 7, [1, 3], MI_INT16, [-5, 0, 300]),
        _matrix("i32_as_int8", 12, [1, 3], MI_INT8, [-128, 0, 127]),
        _matrix("u16_as_uint8", 11, [1, 2], MI_UINT8, [255, 1]),
        _matrix("c_uint16", 4, [1, 4], MI_UINT16, [ord(c) for c in "EEG\u00b5"]),
    ]
    return header + b"".join(elements)


def _swap_elements(data, start, end):
    """Byte-swaps the data elements in data[start:end] in place (recursing into miMATRIX)."""
    pos = start
    while pos < end:
        word = struct.unpack_from("<I", data, pos)[0]
        if word >> 16:  # small data element: 16-bit byte count, 16-bit type
            count, mdtype = word >> 16, word & 0xFFFF
            struct.pack_into(">HH", data, pos, count, mdtype)
            _swap_items(data, pos + 4, count, mdtype)
            pos += 8
            continue
        mdtype, count = struct.unpack_from("<II", data, pos)
        struct.pack_into(">II", data, pos, mdtype, count)
        if mdtype == MI_MATRIX:
            _swap_elements(data, pos + 8, pos + 8 + count)
        else:
            _swap_items(data, pos + 8, count, mdtype)
        pos += 8 + count + (-count % 8)


def _swap_items(data, pos, count, mdtype):
    size = ITEM_SIZE[mdtype]
    if size > 1:
        items = np.frombuffer(bytes(data[pos:pos + count]), dtype=f"<u{size}")
        data[pos:pos + count] = items.astype(f">u{size}").tobytes()


def swap_mat(little):
    """A big-endian copy of an uncompressed little-endian Level 5 file."""
    assert little[126:128] == b"IM"
    data = bytearray(little)
    data[124:126] = struct.pack(">H", struct.unpack_from("<H", little, 124)[0])
    data[126:128] = b"MI"
    _swap_elements(data, 128, len(data))
    return bytes(data)


def v73_fake():
    text = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Oct 27 10:00:00 2013 " \
           b"HDF5 schema 1.00 ."
    header = text.ljust(116, b" ") + b"\0" * 8 + struct.pack("<H", 0x0200) + b"IM"
    return header.ljust(512, b"\0") + b"\x89HDF\r\n\x1a\n" + b"\0" * 56


def savemat(path, data, **options):
    """scipy.io.savemat, then a fixed header text (SciPy's holds the time of writing), so
    re-running this script rewrites identical files."""
    sio.savemat(path, data, **options)
    text = b"MATLAB 5.0 MAT-file Platform: posix, written by scipy.io.savemat"
    with open(path, "r+b") as f:
        f.write(text.ljust(116, b" "))


def _json_float(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _values(flat, kind):
    if kind in "iu" and flat.dtype.itemsize == 8:
        return [str(int(v)) for v in flat]
    if kind in "iub":
        return [int(v) for v in flat]
    return [_json_float(v) for v in flat]


def golden(path, mat_dtype=False):
    who = {name: (shape, cls) for name, shape, cls in sio.whosmat(str(path))}
    # uint16_codec: SciPy decodes miUINT16 chars as raw bytes in this codec, whereas MATLAB
    # means UTF-16 code units; "latin1" reads code units <= 0xFF right in either byte order.
    loaded = sio.loadmat(str(path), chars_as_strings=False, mat_dtype=mat_dtype,
                         uint16_codec="latin1")
    variables = {}
    for name, (shape, cls) in who.items():
        entry = {"class": cls, "dims": list(shape)}
        if cls in ("struct", "cell"):
            variables[name] = entry
            continue
        arr = loaded[name]
        entry["dims"] = list(arr.shape)
        flat = arr.flatten(order="F")
        if cls == "char":
            entry["text"] = "".join(flat.tolist())
        elif np.iscomplexobj(arr):
            entry["complex"] = True
            entry["values"] = _values(flat.real, "f")
            entry["imag"] = _values(flat.imag, "f")
        elif flat.size <= 64:
            entry["values"] = _values(flat, arr.dtype.kind)
        else:
            entry["first"] = _json_float(flat[0])
            entry["last"] = _json_float(flat[-1])
            entry["sum"] = _json_float(flat.sum())
            step = max(1, flat.size // 11)
            entry["samples"] = [[i, _json_float(flat[i])] for i in range(0, flat.size, step)]
        variables[name] = entry
    return variables


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    trials = seed_like()
    savemat(OUT / "seed_like.mat", trials)
    savemat(OUT / "seed_like_compressed.mat", trials, do_compression=True)
    label = np.array([[1, 0, -1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 0, 1, -1]], np.float64)
    savemat(OUT / "label.mat", {"label": label})
    savemat(OUT / "classes.mat", classes())
    savemat(OUT / "classes_compressed.mat", classes(), do_compression=True)
    (OUT / "classes_be.mat").write_bytes(swap_mat((OUT / "classes.mat").read_bytes()))
    (OUT / "storage_types.mat").write_bytes(storage_types())
    (OUT / "storage_types_be.mat").write_bytes(swap_mat(storage_types()))
    sio.savemat(OUT / "level4.mat", {"x": np.array([[1.0, 2.0]])}, format="4")
    (OUT / "v73_fake.mat").write_bytes(v73_fake())

    goldens = {}
    for name in ("seed_like", "seed_like_compressed", "label", "classes",
                 "classes_compressed", "classes_be"):
        goldens[f"{name}.mat"] = golden(OUT / f"{name}.mat")
    for name in ("storage_types", "storage_types_be"):
        goldens[f"{name}.mat"] = golden(OUT / f"{name}.mat", mat_dtype=True)
    # The swapped and compressed files must read back to what the plain files hold.
    assert goldens["classes_be.mat"] == goldens["classes.mat"]
    assert goldens["classes_compressed.mat"] == goldens["classes.mat"]
    assert goldens["storage_types_be.mat"] == goldens["storage_types.mat"]
    assert goldens["seed_like_compressed.mat"] == goldens["seed_like.mat"]
    text = json.dumps(goldens, separators=(",", ":"), ensure_ascii=False)
    (OUT / "goldens.json").write_text(text + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
