"""Writes the tiny TIFF fixtures and their expectations for tests/image/tiff_test.ts.

Rerun from the repository root with Debian's Python (tifffile 2023.2.3, Pillow 9.4 with
libtiff 4.5, numpy):

    /usr/bin/python3 tests/image/make_tiff_fixtures.py

Pixels follow formulas that tiff_test.ts recomputes (see `pattern` below), so the JSON
holds only what each file is. Every file is read back here by an independent reader and
checked against the formula: tifffile for uncompressed and Deflate files, Pillow's
libtiff for LZW (tifffile needs imagecodecs for LZW, which Debian lacks, so the LZW
strips are written by the small encoder below, the one libtiff's tif_lzw.c describes, and
libtiff decodes them). Also records tifffile's view of the real em_mito raw/00.tif.
"""

import io
import json
import pathlib

import numpy as np
import tifffile
from PIL import Image

HERE = pathlib.Path(__file__).parent
OUT = HERE / "fixtures" / "tiff"
EM_RAW = HERE / "../../../shared/data/seg/em_mito/raw/00.tif"
WIDTH, HEIGHT = 17, 13


def pattern(pages, channels, dtype):
    """The values tiff_test.ts recomputes: page p, row y, column x, channel c."""
    p, y, x, c = np.meshgrid(
        np.arange(pages), np.arange(HEIGHT), np.arange(WIDTH), np.arange(channels),
        indexing="ij",
    )
    if dtype == np.uint8:
        v = (p * 71 + y * 31 + x * 13 + c * 89 + (x * y) % 11) % 256
    else:  # high and low bytes both vary, so a byte-order slip shows
        v = (p * 7919 + y * 3001 + x * 1031 + c * 20011 + x * y * 17) % 65536
    v = v.astype(dtype)
    return v[..., 0] if channels == 1 else v


def lzw_encode(data):
    """TIFF LZW (MSB-first codes, 9 to 12 bits, width grows when the next free code
    passes 2^bits - 1, clear at 4094) as libtiff's LZWEncode/LZWPostEncode do."""
    data = bytes(data)
    out, acc, nacc = bytearray(), 0, 0

    def put(code, bits):
        nonlocal acc, nacc
        acc = (acc << bits) | code
        nacc += bits
        while nacc >= 8:
            out.append((acc >> (nacc - 8)) & 255)
            nacc -= 8
        acc &= (1 << nacc) - 1

    def reset():
        return {bytes([i]): i for i in range(256)}, 258, 9

    table, free, bits = reset()
    put(256, bits)

    def added():
        nonlocal table, free, bits
        free += 1
        if free == 4094:
            put(256, bits)
            table, free, bits = reset()
        elif free > (1 << bits) - 1:
            bits += 1

    word = b""
    for value in data:
        candidate = word + bytes([value])
        if candidate in table:
            word = candidate
            continue
        put(table[word], bits)
        table[candidate] = free
        added()
        word = bytes([value])
    if word:
        put(table[word], bits)
        added()
    put(257, bits)
    if nacc:
        out.append((acc << (8 - nacc)) & 255)
    return bytes(out)


# tifffile looks compressors up in this mapping; without imagecodecs it has no LZW.
tifffile.TIFF.COMPRESSORS._codecs[5] = lambda data, **kwargs: lzw_encode(data)

# name: (pages, photometric, channels, dtype, byte order, compression, predictor)
CASES = {
    "grey_u8_le_none": (3, "minisblack", 1, np.uint8, "<", None, False),
    "grey_u8_be_lzw": (3, "minisblack", 1, np.uint8, ">", "lzw", False),
    "grey_u8_le_deflate": (3, "minisblack", 1, np.uint8, "<", "zlib", False),
    "grey_u16_be_none": (3, "minisblack", 1, np.uint16, ">", None, False),
    "grey_u16_le_lzw": (3, "minisblack", 1, np.uint16, "<", "lzw", False),
    "grey_u16_be_deflate": (3, "minisblack", 1, np.uint16, ">", "zlib", False),
    "grey_u16_le_lzw_predictor": (2, "minisblack", 1, np.uint16, "<", "lzw", True),
    "rgb_u8_le_lzw": (3, "rgb", 3, np.uint8, "<", "lzw", False),
    "rgb_u8_be_deflate_predictor": (2, "rgb", 3, np.uint8, ">", "zlib", True),
    "rgb_u16_le_none": (2, "rgb", 3, np.uint16, "<", None, False),
    "rgb_u16_be_lzw": (2, "rgb", 3, np.uint16, ">", "lzw", False),
    "rgba_u8_be_none": (1, "rgb", 4, np.uint8, ">", None, False),
    "greyalpha_u16_le_deflate": (1, "minisblack", 2, np.uint16, "<", "zlib", False),
    "miniswhite_u8_le_none": (1, "miniswhite", 1, np.uint8, "<", None, False),
}


def write(name, pages, photometric, channels, dtype, order, compression, predictor):
    data = pattern(pages, channels, dtype)
    buffer = io.BytesIO()
    with tifffile.TiffWriter(buffer, byteorder=order) as tif:
        for page in data:
            tif.write(
                page, photometric=photometric, compression=compression,
                predictor=predictor, rowsperstrip=5,  # three strips, the last shorter
                extrasamples=("unassalpha",) if channels in (2, 4) else None,
            )
    path = OUT / f"{name}.tif"
    path.write_bytes(buffer.getvalue())
    return data, path


def check_read_back(path, data, compression, photometric):
    if compression == "lzw":
        with Image.open(path) as im:
            for index, page in enumerate(data):
                im.seek(index)
                back = np.asarray(im)
                if back.dtype.byteorder == ">":
                    back = back.astype(back.dtype.newbyteorder("="))
                assert np.array_equal(back, page), f"{path.name} page {index} (Pillow/libtiff)"
    else:
        with tifffile.TiffFile(path) as tif:
            back = np.stack([page.asarray() for page in tif.pages])
        assert np.array_equal(back.reshape(data.shape), data), f"{path.name} (tifffile)"
    assert tifffile.TiffFile(path).pages[0].photometric.name.lower() == photometric


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, (pages, photometric, channels, dtype, order, compression, predictor) in CASES.items():
        data, path = write(name, pages, photometric, channels, dtype, order, compression, predictor)
        if not (compression == "lzw" and (channels > 1 and dtype == np.uint16)):
            check_read_back(path, data, compression, photometric)  # Pillow lacks 16-bit RGB
        cases.append({
            "file": path.name, "pages": pages, "width": WIDTH, "height": HEIGHT,
            "channels": channels, "depth": 8 * np.dtype(dtype).itemsize,
            "inverted": photometric == "miniswhite",
        })

    # Palette: 8-bit indices, a 16-bit colour map whose high bytes are the 8-bit colours.
    indices = pattern(1, 1, np.uint8)[0]
    colormap = np.stack([np.arange(256) * 257, (255 - np.arange(256)) * 257,
                         (np.arange(256) * 7 % 256) * 256 + 255]).astype(np.uint16)
    tifffile.imwrite(OUT / "palette_u8_le_none.tif", indices, photometric="palette",
                     colormap=colormap)
    expected = (colormap[:, indices] >> 8).transpose(1, 2, 0)
    with Image.open(OUT / "palette_u8_le_none.tif") as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), expected)

    # Tiled grey: two 16x16 tiles across a 17x13 page.
    tifffile.imwrite(OUT / "tiled_grey_u8_le_deflate.tif", pattern(1, 1, np.uint8)[0],
                     tile=(16, 16), compression="zlib")
    assert np.array_equal(tifffile.imread(OUT / "tiled_grey_u8_le_deflate.tif"),
                          pattern(1, 1, np.uint8)[0])

    # 1-bit pages, checked against Pillow's convert("L"). tifffile writes a bool array as
    # WhiteIsZero, so by the TIFF spec (and Pillow) its True pixels are black (0), while
    # tifffile.imread hands back the stored bits; an explicit BlackIsZero page is not inverted.
    y, x = np.mgrid[:HEIGHT, :WIDTH]
    bits = (x * y + x) % 3 == 0
    bilevel = {}
    for name, photometric in (("bilevel_tifffile_default.tif", None), ("bilevel_minisblack.tif", "minisblack")):
        tifffile.imwrite(OUT / name, bits, photometric=photometric)
        with Image.open(OUT / name) as im:
            bilevel[name] = np.asarray(im.convert("L")).reshape(-1).tolist()
    assert bilevel["bilevel_minisblack.tif"] == (bits * 255).reshape(-1).tolist()
    assert bilevel["bilevel_tifffile_default.tif"] == (~bits * 255).reshape(-1).tolist()

    # What the decoder must refuse, each with the page named in the error.
    errors = []
    tifffile.imwrite(OUT / "bad_float32.tif", np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4))
    errors.append({"file": "bad_float32.tif", "message": "as page 0 of 1 (0-based) must have unsigned integer samples: current value is sample format 3 (IEEE float)"})
    tifffile.imwrite(OUT / "bad_uint32.tif", np.arange(12, dtype=np.uint32).reshape(3, 4))
    errors.append({"file": "bad_uint32.tif", "message": "as page 0 of 1 (0-based) must have 1, 8 or 16-bit samples: current value is 32 bits"})
    tifffile.imwrite(OUT / "bad_int16.tif", np.arange(12, dtype=np.int16).reshape(3, 4))
    errors.append({"file": "bad_int16.tif", "message": "as page 0 of 1 (0-based) must have unsigned integer samples: current value is sample format 2 (signed integer)"})
    tifffile.imwrite(OUT / "bad_planar_rgb.tif", pattern(1, 3, np.uint8)[0][:4, :5].transpose(2, 0, 1).copy(), photometric="rgb", planarconfig="separate")
    errors.append({"file": "bad_planar_rgb.tif", "message": "as page 0 of 1 (0-based) must have interleaved samples (PlanarConfiguration 1): current value is 2"})
    # A three-page stack whose middle page claims PackBits compression.
    buffer = io.BytesIO()
    with tifffile.TiffWriter(buffer) as tif:
        for page in pattern(3, 1, np.uint8)[:, :4, :5]:
            tif.write(page)
    raw = bytearray(buffer.getvalue())
    with tifffile.TiffFile(io.BytesIO(bytes(raw))) as tif:
        offset = tif.pages[1].tags["Compression"].valueoffset
    raw[offset:offset + 2] = (32773).to_bytes(2, "little")
    (OUT / "bad_packbits_page1.tif").write_bytes(bytes(raw))
    errors.append({"file": "bad_packbits_page1.tif", "message": "as page 1 of 3 (0-based) must be uncompressed, LZW or Deflate: current value is compression 32773 (PackBits)"})

    with tifffile.TiffFile(EM_RAW) as tif:
        volume = tif.asarray()
        em = {
            "byteOrder": tif.byteorder, "imagej": tif.is_imagej, "pages": len(tif.pages),
            "width": volume.shape[1], "height": volume.shape[0], "sum": int(volume.sum(dtype=np.int64)),
            "pixels": [[y, x, int(volume[y, x])] for y, x in [(0, 0), (0, 1023), (512, 512), (1023, 0), (777, 123)]],
        }
    total = sum(p.stat().st_size for p in OUT.glob("*.tif"))
    fixture = {"cases": cases, "palette": {"file": "palette_u8_le_none.tif", "colormap": colormap.tolist()},
               "tiled": "tiled_grey_u8_le_deflate.tif", "bilevel": bilevel, "errors": errors, "emRaw00": em,
               "note": f"{len(list(OUT.glob('*.tif')))} files, {total} bytes"}
    (HERE / "fixtures" / "tiff_fixtures.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print(fixture["note"], em)


if __name__ == "__main__":
    main()
