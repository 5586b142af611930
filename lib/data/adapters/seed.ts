/**
 * SEED ("SJTU Emotion EEG Dataset", Zheng & Lu 2015), its Preprocessed_EEG folder: one
 * MATLAB file per session, `<subject>_<date>.mat` (e.g. `1_20131027.mat`), holding the 15
 * film-clip trials as `<initials>_eeg1` .. `<initials>_eeg15` (e.g. `djc_eeg3`), each a
 * 62 x N double matrix in microvolts at 200 Hz, plus one `label.mat` whose `label` (1 x 15:
 * -1 negative, 0 neutral, 1 positive) is shared by every session. One
 * {@linkcode RecordingRef} per trial; gender and age come from an optional participants
 * CSV (SEED ships them only in a document).
 *
 * Channels (RECIPES.md step 2): the 19 common channels are matched by name in
 * {@linkcode SEED_CHANNELS}, with the 10-20 aliases T3 = T7, T4 = T8, T5 = P7, T6 = P8
 * (SEED uses the new names only), and the 20th channel is P8. So image channels 19 (T6)
 * and 20 (P8) are the same SEED row and their strips are identical: that is what the
 * recipe states (its 20th SEED channel is P8, and T6 is P8's old name), so it is kept as
 * is rather than replaced by another electrode, which would make the images incomparable
 * with the original's and with its dB bounds.
 *
 * Listing reads every session file once (whole, as `DatasetFiles` has no ranged reads) to
 * learn its trial variables. Trials expected in every session are 1 .. the highest trial
 * number found in any session: a session without one of them still gets a reference for
 * it, which fails at render with the file's actual variables ("reported, never silently
 * skipped"); a file the MAT reader refuses (v7.3/HDF5, corrupt) gets one reference without
 * a variable, which fails at render with the reader's message.
 *
 * @module
 */
import { listMatVariables, readMat } from "../../eeg/mat/mod.ts";
import { parseTable } from "../csv.ts";
import type { DatasetFiles, DatasetListing, RecordingRef } from "../recording_ref.ts";

/** SEED's 62 channels in the order of the rows of its trial matrices. */
export const SEED_CHANNELS: readonly string[] = Object.freeze([
  "FP1",
  "FPZ",
  "FP2",
  "AF3",
  "AF4",
  "F7",
  "F5",
  "F3",
  "F1",
  "FZ",
  "F2",
  "F4",
  "F6",
  "F8",
  "FT7",
  "FC5",
  "FC3",
  "FC1",
  "FCZ",
  "FC2",
  "FC4",
  "FC6",
  "FT8",
  "T7",
  "C5",
  "C3",
  "C1",
  "CZ",
  "C2",
  "C4",
  "C6",
  "T8",
  "TP7",
  "CP5",
  "CP3",
  "CP1",
  "CPZ",
  "CP2",
  "CP4",
  "CP6",
  "TP8",
  "P7",
  "P5",
  "P3",
  "P1",
  "PZ",
  "P2",
  "P4",
  "P6",
  "P8",
  "PO7",
  "PO5",
  "PO3",
  "POZ",
  "PO4",
  "PO6",
  "PO8",
  "CB1",
  "O1",
  "OZ",
  "O2",
  "CB2",
]);

/** SEED's sample rate (the preprocessed files were downsampled to 200 Hz). */
export const SEED_SAMPLE_RATE_HZ = 200;

/** Multiply SEED's values by this for volts: they are in microvolts. */
export const SEED_UNIT_SCALE = 1e-6;

/** The dataset files plus whole-file reads, which the MATLAB files need. */
export interface SeedDatasetFiles extends DatasetFiles {
  readBytes(path: string): Promise<Uint8Array>;
}

/** Options of {@linkcode listSeedDataset}. */
export interface SeedListOptions {
  /**
   * Participants CSV/TSV relative to the root, with columns subject, age and gender
   * (F/M or female/male). Default "participants.csv"; "" for none. A missing file leaves
   * gender and age out, with one warning.
   */
  participants?: string;
  /** Sample rate of the trials. Default {@linkcode SEED_SAMPLE_RATE_HZ}. */
  sampleRateHz?: number;
}

const _SESSION = /^([^_]+)_(.+)\.mat$/i;
const _TRIAL = /_eeg(\d+)$/;
const _LABEL_FILE = "label.mat";
const _EMOTION: Record<string, string> = { "-1": "negative", "0": "neutral", "1": "positive" };
const _GENDER: Record<string, string> = { f: "female", m: "male", female: "female", male: "male" };

async function _readEmotions(files: SeedDatasetFiles): Promise<string[]> {
  if (!(await files.exists(_LABEL_FILE))) {
    throw new RangeError(
      `Cannot read the SEED dataset as its root has no ${_LABEL_FILE} (the 1 x 15 film-clip ` +
        `labels -1/0/1): check dataset.root (SEED's Preprocessed_EEG folder)`,
    );
  }
  const label = (await readMat(await files.readBytes(_LABEL_FILE), { variables: ["label"] }))
    .get("label")!;
  const values = Array.from(label.data as ArrayLike<number | bigint>, Number);
  return values.map((value, i) => {
    const emotion = _EMOTION[String(value)];
    if (emotion === undefined) {
      throw new RangeError(
        `Cannot read ${_LABEL_FILE} as its labels must be -1, 0 or 1: current value of ` +
          `label(${i + 1}) is ${value}`,
      );
    }
    return emotion;
  });
}

async function _readParticipants(
  files: SeedDatasetFiles,
  path: string,
  warnings: string[],
): Promise<Map<string, Record<string, string | number>> | null> {
  if (path === "" || !(await files.exists(path))) {
    warnings.push(
      path === ""
        ? "no participants CSV (dataset.participants is empty): gender and age are not labelled"
        : `no ${path} (subject, age, gender): gender and age are not labelled`,
    );
    return null;
  }
  const table = parseTable(await files.readText(path), {
    source: path,
    delimiter: path.toLowerCase().endsWith(".tsv") ? "\t" : ",",
  });
  const column = (name: string) => table.columns.find((c) => c.trim().toLowerCase() === name);
  const [subject, age, gender] = ["subject", "age", "gender"].map(column);
  if (subject === undefined || (age === undefined && gender === undefined)) {
    throw new RangeError(
      `Cannot read ${path} as it needs a "subject" column and an "age" and/or "gender" ` +
        `column: it has ${table.columns.join(", ")}`,
    );
  }
  const bySubject = new Map<string, Record<string, string | number>>();
  for (const row of table.rows) {
    const labels: Record<string, string | number> = {};
    const rawAge = age === undefined ? "" : row[age].trim();
    if (rawAge !== "" && Number.isFinite(Number(rawAge))) labels.age = Number(rawAge);
    const g = gender === undefined ? undefined : _GENDER[row[gender].trim().toLowerCase()];
    if (g !== undefined) labels.gender = g;
    bySubject.set(row[subject].trim(), labels);
  }
  return bySubject;
}

interface _Session {
  name: string;
  subject: string;
  /** Trial number -> variable name; null when the file could not be listed. */
  trials: Map<number, string> | null;
}

/**
 * Lists SEED's trials (one reference per trial variable) and their labels.
 *
 * @example
 * ```ts ignore
 * const { recordings } = await listSeedDataset(new FileStorage("SEED/Preprocessed_EEG"));
 * // recordings[0]: { path: "1_20131027.mat", variable: "djc_eeg1", format: "mat", ... }
 * ```
 */
export async function listSeedDataset(
  files: SeedDatasetFiles,
  options: SeedListOptions = {},
): Promise<DatasetListing> {
  const sampleRateHz = options.sampleRateHz ?? SEED_SAMPLE_RATE_HZ;
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz > 0)) {
    throw new RangeError(
      `Cannot list the SEED dataset as its sample rate must be a positive number of Hz: ` +
        `current value is ${sampleRateHz}`,
    );
  }
  const warnings: string[] = [];
  const emotions = await _readEmotions(files);
  const participantsPath = options.participants ?? "participants.csv";
  const participants = await _readParticipants(files, participantsPath, warnings);

  const sessions: _Session[] = [];
  for (const name of await files.list("")) {
    if (!/\.mat$/i.test(name) || name.toLowerCase() === _LABEL_FILE) continue;
    const match = _SESSION.exec(name);
    if (match === null) {
      warnings.push(`${name}: not a SEED session file (<subject>_<date>.mat); ignored`);
      continue;
    }
    let trials: Map<number, string> | null = new Map();
    try {
      for (const info of await listMatVariables(await files.readBytes(name))) {
        const trial = _TRIAL.exec(info.name);
        if (trial !== null && !trials.has(Number(trial[1]))) {
          trials.set(Number(trial[1]), info.name);
        }
      }
    } catch {
      trials = null; // rendering its reference repeats the reader's error, as a failure
    }
    sessions.push({ name, subject: match[1], trials });
  }
  if (sessions.length === 0) {
    throw new RangeError(
      "Cannot read the SEED dataset as its root holds no <subject>_<date>.mat session files",
    );
  }

  const expected = Math.max(0, ...sessions.flatMap((s) => [...(s.trials?.keys() ?? [])]));
  if (expected > emotions.length) {
    warnings.push(
      `${_LABEL_FILE} has ${emotions.length} labels but sessions hold trials up to ` +
        `${expected}: trials past ${emotions.length} have no emotion label`,
    );
  }
  const unknownSubjects = new Set<string>();
  const recordings: RecordingRef[] = [];
  for (const { name, subject, trials } of sessions) {
    const person = participants?.get(subject);
    if (participants !== null && person === undefined) unknownSubjects.add(subject);
    const base: Omit<RecordingRef, "recording" | "labels"> = {
      path: name,
      subject,
      format: "mat",
      sampleRateHz,
      channelNames: SEED_CHANNELS,
    };
    if (trials === null || trials.size === 0) {
      // Unreadable, or no <prefix>_eegN variables: one reference that fails at render.
      recordings.push({ ...base, recording: name, labels: { ...person } });
      continue;
    }
    const prefix = [...trials.values()][0].replace(_TRIAL, "");
    for (let k = 1; k <= expected; k++) {
      const variable = trials.get(k) ?? `${prefix}_eeg${k}`;
      const labels: RecordingRef["labels"] = { ...person };
      if (k <= emotions.length) labels.emotion = emotions[k - 1];
      recordings.push({ ...base, variable, recording: `${name}#${variable}`, labels });
    }
  }
  for (const subject of unknownSubjects) {
    warnings.push(`subject ${subject} is not in ${participantsPath}: no gender or age labels`);
  }
  return { recordings, warnings };
}
