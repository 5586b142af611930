import assert from "node:assert/strict";
import {
  bytesSource,
  EdfReader,
  parseEdfHeader,
  signalScale,
  writeEdf,
  type WriteEdfOptions,
} from "../../lib/eeg/edf/mod.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { WRITER_SAMPLE_URL, writerSampleBytes, writerSampleOptions } from "./_edf_writer_sample.ts";
import {
  BDF_FILE,
  EEGMAT_FILES,
  loadEdfGoldens,
  mneVoltsPerUnit,
  PARKINSONS_FILE,
  STIM_EDF_FILE,
  testWithData,
} from "./_edf_test_support.ts";

/** Reads every ordinary signal (physical and digital) and the annotations. */
async function readAll(bytes: Uint8Array) {
  const reader = await EdfReader.open(bytesSource(bytes));
  return {
    header: reader.header,
    physical: await reader.readSignals(),
    digital: await reader.readDigitalSignals(),
    timeline: await reader.readTimeline(),
  };
}

Deno.test("the committed writer fixture is what writeEdf writes today", async () => {
  assert.deepEqual(await Deno.readFile(WRITER_SAMPLE_URL), writerSampleBytes());
});

Deno.test("MNE reads the writer's file: same values, within one quantisation step of the input", async () => {
  const golden = (await loadEdfGoldens()).get("fixtures/edf_writer_sample.edf")!;
  const options = writerSampleOptions();
  const { header, physical, timeline } = await readAll(writerSampleBytes());
  assert.deepEqual(golden.ch_names, ["EEG Fz", "ECG", "Resp"]);
  assert.equal(golden.sfreq, 128);
  assert.equal(golden.n_times, 4 * 192);
  assert.equal(golden.meas_date, "2021-05-17T09:30:05+00:00");
  physical.signals.forEach((signal, c) => {
    const factor = mneVoltsPerUnit(signal.physicalDimension);
    const ours = Float64Array.from(physical.data[c], (v) => v * factor);
    const mid = golden.middle_start, n = golden.slice_len;
    assertAllClose(ours.subarray(0, n), golden.first[c], { rtol: 1e-6, atol: 0 });
    assertAllClose(ours.subarray(mid, mid + n), golden.middle[c], { rtol: 1e-6, atol: 0 });
    assertAllClose(ours.subarray(ours.length - n), golden.last[c], { rtol: 1e-6, atol: 0 });
    // MNE's values against the data we wrote: within half a step (plus float32 input rounding).
    const step = signalScale(signal).gain * factor;
    const input = options.signals[c].data;
    const expected = [0, mid, input.length - n].flatMap((i) =>
      Array.from({ length: n }, (_, k) => input[i + k] * factor)
    );
    assertAllClose([...golden.first[c], ...golden.middle[c], ...golden.last[c]], expected, {
      rtol: 0,
      atol: step * 0.5001,
    });
  });
  assert.deepEqual(
    golden.annotations,
    [[0.25, 1, "eyes closed"], [2.5, 0, "blink"], [4.125, 0.5, "Augen zu – ä"]],
  );
  assert.deepEqual(
    timeline.annotations.map((a) => [a.onset, a.duration, a.description]),
    golden.annotations,
  );
  assert.equal(header.startDate?.toISOString(), "2021-05-17T09:30:05.000Z");
  assert.deepEqual(header.patient, {
    code: "P01",
    sex: "F",
    birthdateText: "03-FEB-1990",
    birthdate: new Date(Date.UTC(1990, 1, 3)),
    name: "Jane_Doe",
    additional: "",
  });
  assert.deepEqual(
    [header.recording?.adminCode, header.recording?.technician, header.recording?.equipment],
    ["R7", "tech", "eeg-workbench"],
  );
  assert.deepEqual([header.signals[0].transducer, header.signals[0].prefilter], [
    "AgAgCl electrode",
    "HP:0.5Hz LP:45Hz",
  ]);
  assert.deepEqual(header.warnings, []);
});

Deno.test("round trip: digital values exact, physical within half a step, annotations identical", async () => {
  const rng = new Rng(5);
  for (const recordDurationSeconds of [1, 0.25, 9.59375, 2.5]) {
    const rates = recordDurationSeconds === 9.59375 ? [128, 32] : [256, 200, 4];
    const records = recordDurationSeconds === 9.59375 ? 2 : 6;
    const signals = rates.map((fs, i) => ({
      label: `ch${i}`,
      sampleRateHz: fs,
      unit: ["uV", "µV", "mV"][i],
      data: Float32Array.from(
        { length: fs * recordDurationSeconds * records },
        () => 50 * rng.normal(),
      ),
      digitalMin: i === 1 ? -2048 : -32768,
      digitalMax: i === 1 ? 2047 : 32767,
    }));
    const annotations = [
      { onset: 0, duration: 0.5, description: "start" },
      { onset: recordDurationSeconds * 1.5, description: "mid-record ü" },
      { onset: recordDurationSeconds * records - 0.125, duration: 10, description: "near the end" },
    ];
    const bytes = writeEdf({ signals, annotations, recordDurationSeconds });
    const { header, physical, digital, timeline } = await readAll(bytes);
    assert.equal(header.recordDurationSeconds, recordDurationSeconds);
    assert.equal(header.recordCount, records);
    assert.deepEqual(
      header.signals.map((s) => s.physicalDimension),
      [...["uV", "uV", "mV"].slice(0, rates.length), ""],
    );
    signals.forEach((signal, c) => {
      const s = header.signals[c];
      const { gain, offset } = signalScale(s);
      assert.ok(
        s.physicalMin <= Math.min(...signal.data) && s.physicalMax >= Math.max(...signal.data),
      );
      const expectedDigital = Int32Array.from(
        signal.data,
        (x) => Math.round((x - s.physicalMin) / gain + s.digitalMin),
      );
      assert.deepEqual(digital.data[c], expectedDigital, `${signal.label} digital`);
      assertAllClose(physical.data[c], signal.data, { rtol: 0, atol: gain / 2 + 1e-5 });
      assert.deepEqual(
        physical.data[c],
        Float32Array.from(expectedDigital, (d) => d * gain + offset),
      );
    });
    assert.deepEqual(timeline.annotations, annotations.map((a) => ({ duration: 0, ...a })));
  }
});

Deno.test("a start time with milliseconds goes to the time-keeping TALs", async () => {
  const bytes = writeEdf({
    startDate: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 250)),
    signals: [{ label: "A", sampleRateHz: 10, data: new Float32Array(30) }],
    annotations: [{ onset: 1.5, description: "x" }],
  });
  const reader = await EdfReader.open(bytesSource(bytes));
  assert.equal(reader.header.startDate?.toISOString(), "2020-01-02T03:04:05.000Z");
  const timeline = await reader.readTimeline();
  assert.equal(timeline.startOffsetSeconds, 0.25);
  assert.deepEqual(Array.from(timeline.recordOnsetsSeconds), [0, 1, 2]);
  assert.deepEqual(timeline.annotations, [{ onset: 1.5, duration: 0, description: "x" }]);
});

for (const path of [EEGMAT_FILES[1], PARKINSONS_FILE]) {
  testWithData(
    `re-writing a real file keeps every digital value: ${path}`,
    [path],
    async (bytes) => {
      const original = await readAll(bytes);
      const options: WriteEdfOptions = {
        recordDurationSeconds: original.header.recordDurationSeconds,
        startDate: original.header.startDate ?? undefined,
        signals: original.physical.signals.map((s, c) => ({
          label: s.label,
          sampleRateHz: s.sampleRateHz,
          unit: s.physicalDimension,
          physicalMin: s.physicalMin,
          physicalMax: s.physicalMax,
          digitalMin: s.digitalMin,
          digitalMax: s.digitalMax,
          prefilter: s.prefilter,
          transducer: s.transducer,
          data: original.physical.data[c],
        })),
        annotations: original.timeline.annotations,
      };
      const copy = await readAll(writeEdf(options));
      assert.deepEqual(copy.digital.data, original.digital.data);
      assert.deepEqual(copy.physical.data, original.physical.data);
      assert.deepEqual(copy.timeline.annotations, original.timeline.annotations);
      assert.deepEqual(
        copy.header.signals.slice(0, -1).map((
          { physicalMin, physicalMax, label },
        ) => [label, physicalMin, physicalMax]),
        original.physical.signals.map((
          { physicalMin, physicalMax, label },
        ) => [label, physicalMin, physicalMax]),
      );
    },
  );
}

testWithData("float32 output limits re-writing where the DC offset dwarfs the resolution", [
  STIM_EDF_FILE,
], async (bytes) => {
  // "EEG Fp1" spans 175921..175946 uV in 65535 steps of 0.00038 uV, but float32 values near
  // 175940 are 0.0156 uV apart: the physical output keeps only every ~41st level, so
  // re-quantising is exact to within half that spacing, not to the step.
  const original = await readAll(bytes);
  const s = original.physical.signals[0];
  const copy = await readAll(writeEdf({
    recordDurationSeconds: 9.59375,
    signals: [{ ...s, unit: s.physicalDimension, data: original.physical.data[0] }],
  }));
  const spacing = 2 ** (Math.floor(Math.log2(s.physicalMax)) - 23);
  const steps = Math.ceil(spacing / 2 / signalScale(s).gain);
  const [a, b] = [copy.digital.data[0], original.digital.data[0]];
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  assert.ok(worst > 0 && worst <= steps, `worst digital difference ${worst} vs bound ${steps}`);
});

testWithData(
  "BDF samples are beyond 16 bits: re-writing to EDF needs a coarser range",
  [BDF_FILE],
  async (bytes) => {
    const { physical } = await readAll(bytes);
    const s = physical.signals[0];
    assert.throws(
      () =>
        writeEdf({
          signals: [{
            label: s.label,
            sampleRateHz: 2048,
            data: physical.data[0],
            digitalMin: s.digitalMin,
            digitalMax: s.digitalMax,
          }],
        }),
      /Cannot write EDF signal "Fp1" as digitalMin < digitalMax must be integers in -32768\.\.32767: current value is -8388608\.\.8388607/,
    );
  },
);

Deno.test("writer errors name the signal or field and the value", () => {
  const base = { label: "Cz", sampleRateHz: 100, data: new Float32Array(100) };
  const cases: [WriteEdfOptions, RegExp][] = [
    [
      { signals: [{ ...base, label: "A label that is far too long" }] },
      /field "label" as it must be at most 16 printable ASCII characters/,
    ],
    [
      { signals: [{ ...base, sampleRateHz: 100.5 }] },
      /"Cz" as sampleRateHz x recordDurationSeconds \(1\) must be a whole number of samples: current value is 100.5/,
    ],
    [
      { signals: [{ ...base, data: new Float32Array(150) }] },
      /whole number of records of 100 samples: current value is 150/,
    ],
    [{
      signals: [{ ...base, physicalMin: -1, physicalMax: 1, data: new Float32Array(100).fill(2) }],
    }, /within the physical range \[-1, 1\] \(sample 0\): current value is 2/],
    [
      { signals: [{ ...base, data: new Float32Array(100).fill(NaN) }] },
      /physical minimum" as it must be a finite number/,
    ],
    [
      { signals: [base], recordDurationSeconds: 1 / 3 },
      /"duration of a data record" as it must fit in 8 characters/,
    ],
    [
      { signals: [base, { ...base, label: "Fz", data: new Float32Array(200) }] },
      /same number of records: current value is 1, 2/,
    ],
    [
      { signals: [base], annotations: [{ onset: 0, description: "a\x14b" }] },
      /without bytes 0x00, 0x14, 0x15/,
    ],
    [
      { signals: [base], recordOnsetsSeconds: [0.5] },
      /record 0 must start at 0: current value is 0.5/,
    ],
    [
      { signals: [{ ...base, data: new Float32Array(200) }], recordOnsetsSeconds: [0, 0.5] },
      /record 1 must start at or after 1 s: current value is 0.5/,
    ],
  ];
  for (const [options, message] of cases) assert.throws(() => writeEdf(options), message);
  const nan = new Float32Array(100);
  nan[7] = NaN;
  assert.throws(
    () => writeEdf({ signals: [{ ...base, data: nan, physicalMin: -1, physicalMax: 1 }] }),
    /\(sample 7\): current value is NaN/,
  );
});

Deno.test("physical ranges that do not fit 8 characters are rounded outwards", () => {
  const data = Float32Array.of(-0.000123456789, 123.456789012);
  const header = parseEdfHeader(writeEdf({ signals: [{ label: "x", sampleRateHz: 2, data }] }));
  assert.deepEqual([header.signals[0].physicalMin, header.signals[0].physicalMax], [
    -0.00013,
    123.4568,
  ]);
});
