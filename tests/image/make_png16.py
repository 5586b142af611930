"""Writes tests/image/fixtures/grey16.png: a 17x13 16-bit greyscale PNG made by Pillow.

Rerun from the repository root with Debian's Python (Pillow 9.4, numpy):

    /usr/bin/python3 tests/image/make_png16.py

Values are (y * 3001 + x * 1031 + x * y * 17) % 65536 at row y, column x (the page-0
grey pattern of make_tiff_fixtures.py), which decode_image_test.ts recomputes.
"""

import pathlib

import numpy as np
from PIL import Image

PATH = pathlib.Path(__file__).parent / "fixtures" / "grey16.png"

y, x = np.mgrid[:13, :17]
values = ((y * 3001 + x * 1031 + x * y * 17) % 65536).astype(np.uint16)
Image.fromarray(values).save(PATH)  # mode I;16 -> PNG bit depth 16, colour type 0
assert PATH.read_bytes()[24:26] == bytes([16, 0])  # IHDR: bit depth 16, colour type 0 (grey)
with Image.open(PATH) as im:
    assert np.array_equal(np.asarray(im), values)  # Pillow reads it back as mode "I"
    print(PATH.name, PATH.stat().st_size, "bytes,", im.mode)
