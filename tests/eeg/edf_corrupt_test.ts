import assert from "node:assert/strict";
import { bytesSource, EdfFormatError, EdfReader, parseEdfHeader } from "../../lib/eeg/edf/mod.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { writerSampleBytes } from "./_edf_writer_sample.ts";
import {
  BDF_FILE,
  EEGMAT_FILES,
  PARKINSONS_FILE,
  STIM_EDF_FILE,
  testWithData,
} from "./_edf_test_support.ts";

// Corrupt files are real files patched in memory. Subject00_2.edf: 22 signals, a
// 5888-byte header, 62 records of 21114 bytes (21 x 500 int16 samples + 57 TAL samples).
const EEGMAT = EEGMAT_FILES[1];
const JPEG = "seg/glomeruli/images/T19_Image0.jpg";

/** A copy of `bytes` with `text` written at `offset`, space-padded to `width`. */
function patch(bytes: Uint8Array, offset: number, text: string, width = text.length): Uint8Array {
  const copy = bytes.slice();
  for (let i = 0; i < width; i++) copy[offset + i] = i < text.length ? text.charCodeAt(i) : 0x20;
  return copy;
}

/** Asserts opening `bytes` throws an EdfFormatError with this message, field and offset. */
async function assertFatal(
  bytes: Uint8Array,
  message: string | RegExp,
  field: string,
  byteOffset: number,
) {
  const error = await EdfReader.open(bytesSource(bytes)).then(
    () => assert.fail("expected an EdfFormatError"),
    (e) => e,
  );
  assert.ok(error instanceof EdfFormatError && error instanceof SyntaxError, String(error));
  if (typeof message === "string") assert.equal(error.message, message);
  else assert.match(error.message, message);
  assert.deepEqual([error.field, error.byteOffset], [field, byteOffset]);
  // Parsing all bytes at once fails the same way.
  assert.throws(
    () => parseEdfHeader(bytes),
    (e) => e instanceof EdfFormatError && e.message === error.message,
  );
}

testWithData("fatal faults name the field and byte offset", [EEGMAT], async (edf) => {
  await assertFatal(
    edf.subarray(0, edf.length - 1000),
    'Cannot read EDF header field "number of data records" at byte 236 as the file must hold that many ' +
      "records of 21114 bytes after the 5888-byte header (1314956 bytes in all) but it has 1313956 bytes, " +
      'i.e. 61 full records: current value is "62"',
    "number of data records",
    236,
  );
  await assertFatal(
    patch(edf, 184, "5000", 8),
    'Cannot read EDF header field "number of bytes in header record" at byte 184 as it must be ' +
      '256 * (1 + number of signals) = 5888 for 22 signals: current value is "5000"',
    "number of bytes in header record",
    184,
  );
  await assertFatal(
    patch(edf, 236, "abc", 8),
    'Cannot read EDF header field "number of data records" at byte 236 as it must be an integer: current value is "abc"',
    "number of data records",
    236,
  );
  await assertFatal(
    patch(edf, 236, "-5", 8),
    'Cannot read EDF header field "number of data records" at byte 236 as it must be a non-negative ' +
      'integer, or -1 when unknown: current value is "-5"',
    "number of data records",
    236,
  );
  await assertFatal(
    patch(edf, 252, "-1", 4),
    'Cannot read EDF header field "number of signals" at byte 252 as it must be a positive integer: current value is "-1"',
    "number of signals",
    252,
  );
  await assertFatal(
    patch(edf, 244, "-1", 8),
    'Cannot read EDF header field "duration of a data record" at byte 244 as it must be non-negative: current value is "-1"',
    "duration of a data record",
    244,
  );
  await assertFatal(
    patch(edf, 244, "1 s", 8),
    'Cannot read EDF header field "duration of a data record" at byte 244 as it must be a finite decimal number: current value is "1 s"',
    "duration of a data record",
    244,
  );
  // Per-signal fields: 22 signals, so "physical minimum" starts at 256 + 22 * 104 = 2544.
  await assertFatal(
    patch(edf, 2544 + 3 * 8, "1.2.3", 8),
    'Cannot read EDF header field "physical minimum" of signal 3 ("EEG F4") at byte 2568 as it must be ' +
      'a finite decimal number: current value is "1.2.3"',
    "physical minimum",
    2568,
  );
  await assertFatal(
    patch(edf, 256 + 22 * 216, "-500", 8),
    'Cannot read EDF header field "number of samples in each data record" of signal 0 ("EEG Fp1") at ' +
      'byte 5008 as it must be a positive integer: current value is "-500"',
    "number of samples in each data record",
    5008,
  );
  await assertFatal(
    patch(edf, 256 + 22 * 128 + 8, "-32768", 8),
    'Cannot read EDF header field "digital maximum" of signal 1 ("EEG Fp2") at byte 3080 as it must be ' +
      'greater than the digital minimum -32768: current value is "-32768"',
    "digital maximum",
    3080,
  );
  await assertFatal(
    patch(edf, 0, "1", 8),
    'Cannot read EDF header field "version" at byte 0 as it must be "0" (EDF) or byte 0xFF then "BIOSEMI" (BDF): current value is "1       "',
    "version",
    0,
  );
  await assertFatal(
    edf.subarray(0, 1000),
    'Cannot read EDF header field "transducer type" of signal 4 at byte 928 as the file ends at byte 1000 ' +
      "but the header of 22 signals needs 5888 bytes: current value is a 1000-byte file",
    "transducer type",
    928,
  );
});

testWithData("a 1-byte file, an empty file, a wrong BDF marker and a JPEG renamed .edf", [
  BDF_FILE,
  JPEG,
], async (bdf, jpeg) => {
  await assertFatal(
    Uint8Array.of(0x30),
    'Cannot read EDF header field "version" at byte 0 as the file ends at byte 1 but the fixed header ' +
      "needs 256 bytes: current value is a 1-byte file",
    "version",
    0,
  );
  await assertFatal(
    new Uint8Array(0),
    /at byte 0 as the file ends at byte 0 .*: current value is a 0-byte file$/,
    "version",
    0,
  );
  await assertFatal(
    new Uint8Array(200).fill(0x30),
    /"reserved" at byte 192 as the file ends at byte 200 but the fixed header needs 256 bytes/,
    "reserved",
    192,
  );
  await assertFatal(
    patch(bdf, 1, "BIOSEMX"),
    'Cannot read BDF header field "version" at byte 1 as byte 0xFF must be followed by "BIOSEMI": current value is "BIOSEMX"',
    "version",
    1,
  );
  await assertFatal(
    jpeg,
    /^Cannot read BDF header field "version" at byte 1 as byte 0xFF must be followed by "BIOSEMI" \(the file looks like a JPEG image, not EDF\): current value is "\u00d8\u00ff\u00e0\\u0000\\u0010JF"$/,
    "version",
    1,
  );
});

/** Opens, reads all signals and annotations, and returns the warnings. */
async function readWithWarnings(bytes: Uint8Array): Promise<string[]> {
  const reader = await EdfReader.open(bytesSource(bytes));
  const block = await reader.readSignals();
  assert.ok(block.data.every((d) => d.length > 0));
  await reader.readAnnotations();
  return reader.warnings;
}

testWithData(
  "recoverable oddities warn, state the default and the read goes on",
  [EEGMAT],
  async (edf) => {
    const badDate = patch(edf, 168, "32.13.11");
    assert.deepEqual(await readWithWarnings(badDate), [
      'Cannot read EDF header field "startdate" at byte 168 as it must be a valid "dd.mm.yy" date with a ' +
      'valid "hh.mm.ss" time: current value is "32.13.11 00.00.00"; continuing with startDate null',
    ]);
    assert.equal((await EdfReader.open(bytesSource(badDate))).header.startDate, null);
    await assert.rejects(
      EdfReader.open(bytesSource(badDate), { onInvalid: "throw" }),
      (e) => e instanceof EdfFormatError && e.field === "startdate" && e.byteOffset === 168,
    );

    const duplicate = patch(edf, 256 + 16, "EEG Fp1", 16);
    assert.deepEqual(await readWithWarnings(duplicate), [
      'Cannot read EDF header field "label" of signal 1 at byte 272 as labels must be unique but signal 0 ' +
      'has the same one: current value is "EEG Fp1"; continuing with the duplicate label (selecting by ' +
      "name picks the first; use the index for this one)",
    ]);
    const reader = await EdfReader.open(bytesSource(duplicate));
    assert.deepEqual(reader.resolveChannels(["EEG Fp1", 1]).map((s) => s.index), [0, 1]);

    // The EDF+ spec's own example text, with placeholders left in.
    const template = patch(edf, 256 + 22 * 136 + 80 * 2, "HP:{hp}Hz LP:{lp}Hz N:{notch}Hz", 80);
    assert.match(
      (await readWithWarnings(template))[0],
      /"prefiltering" of signal 2 \("EEG F3"\) at byte 3408 as it must state the filters, not a template placeholder: current value is "HP:\{hp\}Hz LP:\{lp\}Hz N:\{notch\}Hz"; continuing with the text as written$/,
    );

    const oddText = patch(edf, 256 + 22 * 16, "Ag\x07AgCl", 80);
    assert.match(
      (await readWithWarnings(oddText))[0],
      /"transducer type" of signal 0 \("EEG Fp1"\) at byte 608 as it must be printable ASCII/,
    );

    const comma = patch(edf, 2544, "-45,1698", 8);
    assert.match(
      (await readWithWarnings(comma))[0],
      /"physical minimum" .* as it must use a decimal point: current value is "-45,1698"; continuing with -45.1698$/,
    );

    const flat = patch(patch(edf, 2544, "5", 8), 2544 + 22 * 8, "5", 8);
    assert.match(
      (await readWithWarnings(flat))[0],
      /"physical maximum" .* must differ from the physical minimum: .* continuing with every sample read as the physical minimum$/,
    );

    const unknownCount = patch(edf, 236, "-1", 8);
    assert.deepEqual(await readWithWarnings(unknownCount), []);
    assert.equal((await EdfReader.open(bytesSource(unknownCount))).header.recordCount, 62);

    const trailing = new Uint8Array(edf.length + 10);
    trailing.set(edf);
    assert.match((await readWithWarnings(trailing))[0], /ignoring the last 10 bytes$/);

    const notEdfPlus = patch(edf, 8, "Subject zero", 80);
    assert.match(
      (await readWithWarnings(notEdfPlus))[0],
      /"patient identification" at byte 8 as EDF\+ needs "code sex birthdate name" subfields/,
    );
  },
);

testWithData(
  "malformed TALs and wrong record onsets warn; signals still read",
  [EEGMAT],
  async (edf) => {
    const tal = (record: number) => 5888 + record * 21114 + 21000;
    const wrongOnset = patch(edf, tal(3), "+9\x14\x14\0");
    const warnings = await readWithWarnings(wrongOnset);
    assert.deepEqual(warnings, [
      `Cannot read EDF+ annotations at byte ${
        tal(3)
      } as record 3 of an EDF+C file must start at 3 s ` +
      '(record index x duration): current value is "9"; continuing with the implied onsets',
    ]);
    const garbled = patch(edf, tal(5), "5\x14\x14\0");
    const [first] = await readWithWarnings(garbled);
    assert.match(
      first,
      new RegExp(`at byte ${tal(5)} as a TAL must start with \\+onset or -onset`),
    );
    await assert.rejects(
      (await EdfReader.open(bytesSource(garbled), { onInvalid: "throw" })).readAnnotations(),
      (e) =>
        e instanceof EdfFormatError && e.field === "EDF Annotations" && e.byteOffset === tal(5),
    );
  },
);

// Random byte flips in real headers: whatever happens, only EdfFormatError may come out,
// from opening and from reading everything after a successful open.
testWithData("mutated headers throw nothing but EdfFormatError", [
  EEGMAT,
  PARKINSONS_FILE,
  BDF_FILE,
  STIM_EDF_FILE,
], async (...files) => {
  files.push(writerSampleBytes());
  const rng = new Rng(1234);
  const alphabet = " 0123456789-+.,eE\x00\x14\x15\xff";
  const outcomes = { opened: 0, rejected: 0 };
  for (let trial = 0; trial < 400; trial++) {
    const original = files[trial % files.length];
    const bytes = original.slice();
    const headerBytes = 256 * (1 + Number(new TextDecoder().decode(original.subarray(252, 256))));
    for (let flips = 1 + rng.int(3); flips > 0; flips--) {
      // Mostly the header; sometimes the first record (its TALs).
      const at = rng.int(8) === 0
        ? headerBytes + rng.int(Math.min(4096, bytes.length - headerBytes))
        : rng.int(headerBytes);
      bytes[at] = rng.int(2) === 0
        ? rng.uint32() & 0xff
        : alphabet.charCodeAt(rng.int(alphabet.length));
    }
    try {
      const reader = await EdfReader.open(bytesSource(bytes));
      await reader.readSignals();
      const total = reader.header.durationSeconds;
      await reader.readSignals({ startSeconds: total / 3, endSeconds: total / 2 });
      await reader.readDigitalSignals({ channels: [0] });
      await reader.readAnnotations();
      outcomes.opened++;
    } catch (error) {
      if (!(error instanceof EdfFormatError)) {
        throw new Error(`trial ${trial}: expected only EdfFormatError, got ${error}`, {
          cause: error,
        });
      }
      assert.match(error.message, /^Cannot read (EDF|BDF|EDF\+)/);
      outcomes.rejected++;
    }
  }
  assert.ok(outcomes.opened > 50 && outcomes.rejected > 50, JSON.stringify(outcomes));
});
