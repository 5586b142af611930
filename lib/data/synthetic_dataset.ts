/**
 * Writes the built-in synthetic EEG as a folder in the Math dataset's layout
 * (`SynthNN_1.edf` rest, `SynthNN_2.edf` task, `subject-info.csv`) through the project's
 * own EDF writer, so the demo runs the same path as real data: EDF -> preprocess -> train.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import { Rng } from "../runtime/rng.ts";
import { writeEdf } from "../eeg/edf/write_edf.ts";
import { formatTable } from "./csv.ts";
import {
  generateSyntheticRecording,
  generateSyntheticSubjects,
  type SyntheticRecording,
} from "./synthetic_eeg.ts";

/** Options for {@linkcode writeSyntheticMathFolder}. */
export interface SyntheticFolderOptions {
  subjects?: number;
  seed?: number;
  /** Seconds per recording. Default 60 (the Math dataset's task recordings are 60 s). */
  durationSeconds?: number;
  sampleRateHz?: number;
}

function _edf(recording: SyntheticRecording): Uint8Array {
  return writeEdf({
    signals: recording.channels.map((label, i) => ({
      label: `EEG ${label}`,
      sampleRateHz: recording.sampleRateHz,
      // Written in microvolts with a fixed range, as real amplifiers do.
      data: Float32Array.from(recording.data[i], (v) => v * 1e6),
      unit: "uV",
      physicalMin: -500,
      physicalMax: 500,
      prefilter: "none (synthetic)",
      transducer: "synthetic",
    })),
    recording: { equipment: "synthetic-eeg", additional: recording.taskState },
  });
}

/**
 * Generates the subjects and writes their two recordings each plus subject-info.csv.
 *
 * @example
 * ```ts ignore
 * await writeSyntheticMathFolder(new MemoryStorage(), { subjects: 4 });
 * ```
 */
export async function writeSyntheticMathFolder(
  output: Storage,
  options: SyntheticFolderOptions = {},
): Promise<void> {
  const rng = new Rng(options.seed ?? 0);
  const subjects = generateSyntheticSubjects(options.subjects ?? 12, rng.fork("subjects"));
  const rows = [];
  for (const subject of subjects) {
    for (const [suffix, state] of [["1", "rest"], ["2", "arithmetic"]] as const) {
      const recording = generateSyntheticRecording(
        subject,
        state,
        rng.fork(`${subject.id}_${suffix}`),
        {
          durationSeconds: options.durationSeconds ?? 60,
          sampleRateHz: options.sampleRateHz ?? 500,
        },
      );
      await output.writeBytes(`${subject.id}_${suffix}.edf`, _edf(recording));
    }
    rows.push({
      Subject: subject.id,
      Age: subject.age,
      Gender: subject.gender === "female" ? "F" : "M",
      "Recording year": 2026,
      "Number of subtractions": "",
      "Count quality": "",
    });
  }
  await output.writeText(
    "subject-info.csv",
    formatTable(
      ["Subject", "Age", "Gender", "Recording year", "Number of subtractions", "Count quality"],
      rows,
    ),
  );
}
