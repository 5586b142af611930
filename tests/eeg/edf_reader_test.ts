import assert from "node:assert/strict";
import {
  bytesSource,
  EdfReader,
  type EdfSignalBlock,
  parseTals,
  readEdf,
  signalScale,
  writeEdf,
} from "../../lib/eeg/edf/mod.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { openFileByteSource } from "../../app/cli/file_byte_source.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import {
  BDF_FILE,
  countingSource,
  type EdfGolden,
  EEGMAT_FILES,
  loadEdfGoldens,
  mneVoltsPerUnit,
  PARKINSONS_FILE,
  SHARED_DATA,
  STIM_EDF_FILE,
  testWithData,
} from "./_edf_test_support.ts";

const goldens = await loadEdfGoldens();

/** Our read of a file, in volts the way MNE returns it (see make_edf_goldens.py). */
async function mneLikeVolts(bytes: Uint8Array, golden: EdfGolden): Promise<Float64Array[]> {
  const reader = await EdfReader.open(bytesSource(bytes));
  const physical = await reader.readSignals();
  const digital = await reader.readDigitalSignals();
  return physical.signals.map((signal, c) => {
    if (!golden.stim.includes(signal.label)) {
      const factor = mneVoltsPerUnit(signal.physicalDimension);
      return Float64Array.from(physical.data[c], (v) => v * factor);
    }
    // MNE's stim channels: BDF keeps digital & 0x1FFFF; EDF truncates the physical value
    // (computed in float64) to an integer first.
    const { gain, offset } = signalScale(signal);
    const bdf = reader.header.bytesPerSample === 3;
    return Float64Array.from(
      digital.data[c],
      (d) => (bdf ? d : Math.trunc(d * gain + offset)) & 0x1ffff,
    );
  });
}

/** Asserts our values match MNE's golden slices and whole-channel sums. */
function assertMatchesGolden(volts: Float64Array[], golden: EdfGolden): void {
  volts.forEach((x, c) => {
    const name = `${golden.path} ${golden.ch_names[c]}`;
    assert.equal(x.length, golden.n_times, name);
    const n = golden.slice_len, mid = golden.middle_start;
    const options = { rtol: 1e-6, atol: 0 };
    assertAllClose(x.subarray(0, n), golden.first[c], { ...options, label: `${name} first` });
    assertAllClose(x.subarray(mid, mid + n), golden.middle[c], {
      ...options,
      label: `${name} middle`,
    });
    assertAllClose(x.subarray(x.length - n), golden.last[c], { ...options, label: `${name} last` });
    let sum = 0, sumAbs = 0, sumSq = 0;
    for (const v of x) [sum, sumAbs, sumSq] = [sum + v, sumAbs + Math.abs(v), sumSq + v * v];
    // The sum may cancel to near 0, so its error is bounded by the sum of |x|.
    assert.ok(
      Math.abs(sum - golden.sum[c]) <= 1e-6 * golden.sum_abs[c],
      `${name} sum ${sum} vs MNE ${golden.sum[c]}`,
    );
    assertAllClose([sumAbs, sumSq], [golden.sum_abs[c], golden.sum_sq[c]], {
      ...options,
      label: `${name} sums`,
    });
  });
}

for (const path of [...EEGMAT_FILES, PARKINSONS_FILE, BDF_FILE, STIM_EDF_FILE]) {
  testWithData(
    `values, names, rates and annotations equal MNE's: ${path}`,
    [path],
    async (bytes) => {
      const golden = goldens.get(path)!;
      const reader = await EdfReader.open(bytesSource(bytes));
      const ordinary = reader.header.signals.filter((s) => !s.isAnnotation);
      assert.deepEqual(ordinary.map((s) => s.label), golden.ch_names);
      for (const s of ordinary) assert.equal(s.sampleRateHz, golden.sfreq);
      assert.equal(reader.header.startDate?.getTime(), Date.parse(golden.meas_date!));
      assertMatchesGolden(await mneLikeVolts(bytes, golden), golden);
      const ours = (await reader.readAnnotations())
        .map((a) => [a.onset, a.duration, a.description] as [number, number, string])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
      assert.equal(ours.length, golden.annotations.length);
      ours.forEach(([onset, duration, description], i) => {
        const [o, d, t] = golden.annotations[i];
        assert.ok(
          Math.abs(onset - o) < 1e-9 && Math.abs(duration - d) < 1e-9,
          `${path} annotation ${i}`,
        );
        assert.equal(description, t);
      });
    },
  );
}

testWithData("header fields of an eegmat file (EDF+C, 1-s records, 21 signals + annotations)", [
  EEGMAT_FILES[0],
], async (bytes) => {
  const { header } = await EdfReader.open(bytesSource(bytes));
  assert.equal(header.fileType, "EDF+C");
  assert.equal(header.version, "0");
  assert.equal(header.headerBytes, 256 * 23);
  assert.equal(header.recordCount, 182);
  assert.equal(header.recordDurationSeconds, 1);
  assert.equal(header.durationSeconds, 182);
  assert.equal(header.signalCount, 22);
  assert.equal(header.recordBytes, 21 * 1000 + 57 * 2);
  assert.deepEqual(header.warnings, []);
  assert.equal(header.startDate?.toISOString(), "2011-01-01T00:00:00.000Z");
  assert.deepEqual(header.patient, {
    code: "0",
    sex: "M",
    birthdateText: "01-JAN-1990",
    birthdate: new Date(Date.UTC(1990, 0, 1)),
    name: "Subject0",
    additional: "",
  });
  assert.equal(header.recording?.equipment, "NeuroCom_Professional_3.0.0");
  const [fp1, ecg, annotations] = [header.signals[0], header.signals[20], header.signals[21]];
  assert.deepEqual(
    [
      fp1.label,
      fp1.physicalDimension,
      fp1.physicalMin,
      fp1.physicalMax,
      fp1.digitalMin,
      fp1.digitalMax,
    ],
    ["EEG Fp1", "uV", -45.1698, 59.35658, -32768, 32767],
  );
  assert.equal(fp1.prefilter, "HP:0.500000Hz LP:45.000000Hz RF:50Hz");
  assert.deepEqual([fp1.samplesPerRecord, fp1.sampleRateHz, fp1.recordByteOffset], [500, 500, 0]);
  assert.deepEqual([ecg.label, ecg.physicalDimension, ecg.recordByteOffset], [
    "ECG ECG",
    "mV",
    20000,
  ]);
  assert.deepEqual(
    [
      annotations.label,
      annotations.isAnnotation,
      annotations.samplesPerRecord,
      annotations.recordByteOffset,
    ],
    ["EDF Annotations", true, 57, 21000],
  );
});

testWithData("header fields of BDF, non-integer-duration EDF and Parkinson's EDF+", [
  BDF_FILE,
  STIM_EDF_FILE,
  PARKINSONS_FILE,
], async (bdfBytes, stimBytes, pdBytes) => {
  const bdf = (await EdfReader.open(bytesSource(bdfBytes))).header;
  assert.deepEqual([bdf.fileType, bdf.version, bdf.bytesPerSample, bdf.reserved], [
    "BDF",
    "BIOSEMI",
    3,
    "24BIT",
  ]);
  assert.deepEqual([bdf.signalCount, bdf.recordCount, bdf.recordBytes], [73, 1, 73 * 2048 * 3]);
  const status = bdf.signals[72];
  assert.deepEqual(
    [
      status.label,
      status.physicalDimension,
      status.digitalMin,
      status.digitalMax,
      status.recordByteOffset,
    ],
    ["Status", "Boolean", -8388608, 8388607, 72 * 2048 * 3],
  );
  const stim = (await EdfReader.open(bytesSource(stimBytes))).header;
  assert.deepEqual([stim.fileType, stim.recordDurationSeconds, stim.durationSeconds], [
    "EDF",
    9.59375,
    9.59375,
  ]);
  assert.deepEqual([stim.signals[0].samplesPerRecord, stim.signals[0].sampleRateHz], [1228, 128]);
  const pd = (await EdfReader.open(bytesSource(pdBytes))).header;
  assert.deepEqual([pd.fileType, pd.signalCount, pd.recordCount], ["EDF+C", 42, 61]);
  assert.equal(pd.startDate?.toISOString(), "2011-02-18T18:07:18.000Z");
  assert.deepEqual([pd.patient?.code, pd.patient?.sex, pd.patient?.additional], [
    "sub-pd6",
    null,
    "hand=1",
  ]);
  // The file's prefilter text is a template left unfilled: one warning for all 41 signals.
  assert.equal(pd.warnings.length, 1);
  assert.match(
    pd.warnings[0],
    /"prefiltering" of signal 0 \("Fp1"\) at byte 5968 .*\{linefreq\}.*and 40 more signals alike/,
  );
});

/** Asserts a range read equals the matching slice of the full read. */
function assertSliceOf(part: EdfSignalBlock<Float32Array>, full: EdfSignalBlock<Float32Array>) {
  part.signals.forEach((signal, c) => {
    const whole = full.data[full.signals.indexOf(signal)];
    const first = part.firstSample[c];
    assert.equal(part.startSeconds[c], first / signal.sampleRateHz);
    assert.deepEqual(part.data[c], whole.slice(first, first + part.data[c].length), signal.label);
  });
}

for (const path of [EEGMAT_FILES[1], PARKINSONS_FILE, BDF_FILE, STIM_EDF_FILE]) {
  testWithData(
    `range reads and channel subsets equal slices of the full read: ${path}`,
    [path],
    async (bytes) => {
      const reader = await EdfReader.open(bytesSource(bytes));
      const full = await reader.readSignals();
      const total = reader.header.durationSeconds;
      const ordinary = full.signals;
      const rng = new Rng(7);
      for (let trial = 0; trial < 25; trial++) {
        const picks = rng.shuffle(ordinary.slice()).slice(0, 1 + rng.int(4));
        const channels = picks.map((s) => (rng.int(2) === 0 ? s.label : s.index));
        let [a, b] = [rng.float() * total, rng.float() * total];
        if (trial === 0) [a, b] = [0, total];
        if (trial === 1) [a, b] = [total / 2, total / 2];
        if (trial === 2) [a, b] = [reader.header.recordDurationSeconds, total];
        const [startSeconds, endSeconds] = [Math.min(a, b), Math.max(a, b)];
        const part = await reader.readSignals({ channels, startSeconds, endSeconds });
        assert.deepEqual(part.signals, picks);
        part.signals.forEach((s, c) => {
          const fs = s.sampleRateHz;
          assert.equal(part.firstSample[c], Math.ceil(startSeconds * fs - 1e-6) + 0);
          assert.equal(
            part.data[c].length,
            Math.ceil(endSeconds * fs - 1e-6) - part.firstSample[c],
          );
        });
        assertSliceOf(part, full);
      }
    },
  );
}

testWithData(
  "a short range of one channel reads only its bytes (lazy)",
  [EEGMAT_FILES[0]],
  async (bytes) => {
    const source = countingSource(bytes);
    const reader = await EdfReader.open(source);
    assert.ok(source.bytesRead <= 256 * 23, `header reads ${source.bytesRead} bytes`);
    const [before, calls] = [source.bytesRead, source.calls];
    const block = await reader.readSignals({
      channels: ["EEG O1"],
      startSeconds: 10.25,
      endSeconds: 11.5,
    });
    assert.equal(block.data[0].length, 625);
    assert.equal(source.bytesRead - before, 625 * 2 + 20_114); // two spans merged over one record's gap
    assert.equal(source.calls - calls, 1);
  },
);

testWithData("digital values scale to the physical ones", [PARKINSONS_FILE], async (bytes) => {
  const reader = await EdfReader.open(bytesSource(bytes));
  const options = { channels: [0, "Status", 33], startSeconds: 3, endSeconds: 9.5 };
  const physical = await reader.readSignals(options);
  const digital = await reader.readDigitalSignals(options);
  physical.signals.forEach((signal, c) => {
    const { gain, offset } = signalScale(signal);
    assert.deepEqual(
      physical.data[c],
      Float32Array.from(digital.data[c], (d) => d * gain + offset),
    );
  });
});

testWithData("the CLI's file source (seek + read) gives what the in-memory source gives", [
  PARKINSONS_FILE,
], async (bytes) => {
  using file = await openFileByteSource(new URL(PARKINSONS_FILE, SHARED_DATA));
  assert.equal(file.size, bytes.length);
  const [fromFile, fromMemory] = [await readEdf(file), await readEdf(bytesSource(bytes))];
  assert.deepEqual(fromFile.data, fromMemory.data);
  assert.deepEqual(fromFile.annotations, fromMemory.annotations);
  // Concurrent reads do not interleave.
  const parts = await Promise.all([0, 1000, 5, 77].map((o) => file.read(o * 101, 333)));
  parts.forEach((part, i) =>
    assert.deepEqual(
      part,
      bytes.subarray([0, 1000, 5, 77][i] * 101, [0, 1000, 5, 77][i] * 101 + 333),
    )
  );
  await assert.rejects(file.read(bytes.length - 2, 3), RangeError);
});

Deno.test("mixed sample rates: per-channel lengths, ranges and start times", async () => {
  const rates = [256, 64, 2];
  const bytes = writeEdf({
    recordDurationSeconds: 0.5,
    signals: rates.map((fs, i) => ({
      label: `S${i}`,
      sampleRateHz: fs,
      data: Float32Array.from({ length: fs * 4 }, (_, k) => k % 1000),
      physicalMin: -1000,
      physicalMax: 1000,
    })),
  });
  const reader = await EdfReader.open(bytesSource(bytes));
  const full = await reader.readSignals();
  assert.deepEqual(full.data.map((d) => d.length), [1024, 256, 8]);
  const part = await reader.readSignals({ startSeconds: 1.01, endSeconds: 2.7 });
  assert.deepEqual(part.firstSample, [Math.ceil(1.01 * 256), Math.ceil(1.01 * 64), 3]);
  assert.deepEqual(part.data.map((d) => d.length), [Math.ceil(2.7 * 256) - 259, 173 - 65, 6 - 3]);
  assertSliceOf(part, full);
  assert.throws(
    () => reader.resolveChannels(["S9"]),
    /Cannot select channel "S9" .*labels: S0, S1, S2, EDF Annotations/,
  );
  await assert.rejects(reader.readSignals({ channels: [3] }), /annotation signal/);
  await assert.rejects(reader.readSignals({ startSeconds: 2, endSeconds: 1 }), RangeError);
  await assert.rejects(reader.readSignals({ endSeconds: 4.5 }), /endSeconds must lie in \[0, 4\]/);
});

Deno.test("EDF+D: record onsets from time-keeping TALs, stored layout and gap filling", async () => {
  const fs = 4;
  const data = Float32Array.from({ length: 4 * fs }, (_, k) => k + 1);
  const bytes = writeEdf({
    signals: [{ label: "C3", sampleRateHz: fs, data, physicalMin: 0, physicalMax: 100 }],
    recordOnsetsSeconds: [0, 1, 5, 6.5],
    annotations: [{ onset: 5.25, description: "after the gap" }],
  });
  const reader = await EdfReader.open(bytesSource(bytes));
  assert.equal(reader.header.fileType, "EDF+D");
  const timeline = await reader.readTimeline();
  assert.deepEqual(Array.from(timeline.recordOnsetsSeconds), [0, 1, 5, 6.5]);
  assert.deepEqual(timeline.annotations, [{
    onset: 5.25,
    duration: 0,
    description: "after the gap",
  }]);
  const stored = await reader.readSignals();
  assertAllClose(stored.data[0], data, { atol: 0.002 });
  const filled = await reader.readSignals({ gapFill: NaN });
  assert.equal(filled.data[0].length, 7.5 * fs);
  const expected = new Float32Array(7.5 * fs).fill(NaN);
  [0, 1, 5, 6.5].forEach((onset, r) =>
    expected.set(data.subarray(r * fs, (r + 1) * fs), onset * fs)
  );
  assertAllClose(
    filled.data[0].map((v) => (Number.isNaN(v) ? -1 : v)),
    expected.map((v) => (Number.isNaN(v) ? -1 : v)),
    { atol: 0.002 },
  );
  const window = await reader.readSignals({ gapFill: 0, startSeconds: 1.5, endSeconds: 5.5 });
  assert.deepEqual([window.firstSample[0], window.data[0].length], [6, 16]);
  assertAllClose(window.data[0], [7, 8, ...new Array(12).fill(0), 9, 10], { atol: 0.002 });
});

Deno.test("a file with only an annotation signal reads its annotations", async () => {
  const bytes = writeEdf({
    signals: [],
    recordDurationSeconds: 0,
    annotations: [{ onset: 12.5, duration: 3, description: "seizure" }, {
      onset: 1,
      description: "start",
    }],
  });
  const reader = await EdfReader.open(bytesSource(bytes));
  assert.deepEqual([reader.header.signalCount, reader.header.recordCount], [1, 1]);
  assert.deepEqual(await reader.readAnnotations(), [
    { onset: 12.5, duration: 3, description: "seizure" },
    { onset: 1, duration: 0, description: "start" },
  ]);
  assert.deepEqual((await reader.readSignals()).data, []);
});

testWithData(
  "readEdf's one chunked pass gives what EdfReader's signal and annotation reads give",
  [EEGMAT_FILES[0], BDF_FILE, PARKINSONS_FILE],
  async (...files) => {
    for (const bytes of files) {
      // A file source with readInto (chunks of whole records in one reused buffer) and the
      // in-memory source (views): both against the lazy reader.
      const path = await Deno.makeTempFile({ suffix: ".edf" });
      try {
        await Deno.writeFile(path, bytes);
        using file = await openFileByteSource(path);
        const reader = await EdfReader.open(bytesSource(bytes));
        const expected = await reader.readSignals();
        const annotations = await reader.readAnnotations();
        for (const recording of [await readEdf(file), await readEdf(bytesSource(bytes))]) {
          assert.deepEqual(recording.signals, expected.signals);
          assert.deepEqual(recording.data, expected.data);
          assert.deepEqual(recording.annotations, annotations);
          assert.deepEqual(recording.warnings, reader.warnings);
        }
      } finally {
        await Deno.remove(path);
      }
    }
  },
);

Deno.test("readEdf on a file cut short names the byte where the data stops", async () => {
  const bytes = writeEdf({
    signals: [{ label: "Cz", sampleRateHz: 256, data: new Float32Array(256 * 600) }],
    annotations: [{ onset: 1, description: "x" }],
  });
  const path = await Deno.makeTempFile({ suffix: ".edf" });
  try {
    await Deno.writeFile(path, bytes);
    using file = await openFileByteSource(path);
    // The header (read at open) says 600 records; the file shrinks before the data is read.
    const cut = bytes.length - 1000;
    const shrunk = { size: file.size, read: file.read, readInto: file.readInto };
    shrunk.readInto = (offset: number, target: Uint8Array) =>
      file.readInto(offset, target.subarray(0, Math.max(0, Math.min(target.length, cut - offset))));
    await assert.rejects(
      readEdf(shrunk),
      (error: Error) => {
        assert.equal(error.name, "EdfFormatError");
        assert.match(error.message, new RegExp(`current value is \\d+ bytes`));
        assert.equal((error as unknown as { byteOffset: number }).byteOffset, cut);
        return true;
      },
    );
    const readInto = await file.readInto(bytes.length - 10, new Uint8Array(10));
    assert.equal(readInto, 10);
    await assert.rejects(file.readInto(bytes.length - 2, new Uint8Array(3)), RangeError);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("TALs with non-ASCII texts decode as UTF-8; ASCII ones take the fast path", () => {
  const bytes = new TextEncoder().encode(
    "+0\x14\x14\0+1.5\x152\x14Augen zu \u00b5V \u2013 \u00e9\x14b\x14\0",
  );
  const { tals, issues } = parseTals(bytes);
  assert.deepEqual(issues, []);
  assert.deepEqual(tals.map((t) => [t.onset, t.duration, t.texts]), [
    [0, null, [""]],
    [1.5, 2, ["Augen zu \u00b5V \u2013 \u00e9", "b"]],
  ]);
  // A non-ASCII byte in the onset is an issue that shows the text as UTF-8.
  const bad = parseTals(new TextEncoder().encode("+1\u00e9\x14x\x14\0"));
  assert.equal(bad.issues[0].value, "+1\u00e9");
});
