/**
 * What a dataset adapter yields: one reference per recording (or per trial, for SEED's
 * MATLAB files), with the subject it belongs to and its labels as class names / numbers.
 *
 * @module
 */

/** Label values of one recording, keyed by task name (see label_registry.ts). */
export type RecordingLabels = Record<string, string | number>;

/** One recording found under a dataset root. */
export interface RecordingRef {
  /** Path relative to the dataset root, e.g. "Subject00_1.edf". */
  path: string;
  /** Name written to the metadata's `recording` column (the source file's name). */
  recording: string;
  /** Subject id; splits never put one subject in two splits. */
  subject: string;
  /** The file's format. */
  format: "edf" | "bdf" | "mat";
  /** For MATLAB files: the variable holding this trial (e.g. "djc_eeg3"). */
  variable?: string;
  /** For formats without a header rate (MATLAB): the sample rate in Hz. */
  sampleRateHz?: number;
  /** For formats without channel names (MATLAB): the row labels. */
  channelNames?: readonly string[];
  labels: RecordingLabels;
}

/** The files of a dataset: a folder on disk in the CLI, dropped files in the browser. */
export interface DatasetFiles {
  /** Names directly inside `dir` ("" is the root), sorted; [] for a missing folder. */
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string>;
}

/** What an adapter found: recordings, and problems worth telling the user. */
export interface DatasetListing {
  recordings: RecordingRef[];
  warnings: string[];
}
