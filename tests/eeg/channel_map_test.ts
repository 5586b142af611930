import assert from "node:assert/strict";
import { channelKey, COMMON_CHANNELS_19, mapChannels } from "../../lib/eeg/channel_map.ts";

const MATH_LABELS = [
  "EEG Fp1",
  "EEG Fp2",
  "EEG F3",
  "EEG F4",
  "EEG F7",
  "EEG F8",
  "EEG T3",
  "EEG T4",
  "EEG C3",
  "EEG C4",
  "EEG T5",
  "EEG T6",
  "EEG P3",
  "EEG P4",
  "EEG O1",
  "EEG O2",
  "EEG Fz",
  "EEG Cz",
  "EEG Pz",
  "EEG A2-A1",
  "ECG ECG",
  "EDF Annotations",
];

Deno.test("channel keys ignore case, prefixes and references, and alias 10-20 names", () => {
  assert.equal(channelKey("EEG Fp1"), "fp1");
  assert.equal(channelKey("FP1-REF"), "fp1");
  assert.equal(channelKey("T7"), "t3");
  assert.equal(channelKey("P8"), "t6");
  assert.equal(channelKey("EEG A2-A1"), "a2-a1");
});

Deno.test("the Math labels map onto the common montage by name", () => {
  const m = mapChannels(MATH_LABELS, [...COMMON_CHANNELS_19, "A2-A1"]);
  assert.deepEqual(
    m.indices.map((i) => MATH_LABELS[i]),
    [...COMMON_CHANNELS_19.map((c) => `EEG ${c}`), "EEG A2-A1"],
  );
  assert.deepEqual(m.filled, []);
});

Deno.test("new 10-20 names map too, and a missing channel is an error or filled", () => {
  const labels = ["T7", "T8", "P7", "P8", "O1"];
  assert.deepEqual(mapChannels(labels, ["T3", "T4", "T5", "T6"]).indices, [0, 1, 2, 3]);
  assert.throws(
    () => mapChannels(labels, ["O1", "Oz"], { source: "x.edf" }),
    /^RangeError: Cannot map channel "Oz" in x\.edf as the recording has no channel of that name/,
  );
  const filled = mapChannels(labels, ["O1", "Oz"], { missing: "zeros" });
  assert.deepEqual(filled, { indices: [4, -1], filled: ["Oz"] });
});
