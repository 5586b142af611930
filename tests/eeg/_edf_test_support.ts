/**
 * Test support for the EDF tests: the shared real data (read from ../shared/data next to
 * the project, never copied in), the MNE goldens, and MNE's unit conventions.
 *
 * @module
 */
import {
  type ByteSource,
  bytesSource,
  isVoltageUnit,
  voltsPerUnit,
} from "../../lib/eeg/edf/mod.ts";

/** /work/shared/data, i.e. ../shared/data from the project root. */
export const SHARED_DATA = new URL("../../../shared/data/", import.meta.url);

const _CI = (() => {
  try {
    return Deno.env.get("CI") === "true";
  } catch {
    return false;
  }
})();

/** True when the shared data file exists. */
export function hasSharedData(path: string): boolean {
  try {
    return Deno.statSync(new URL(path, SHARED_DATA)).isFile;
  } catch {
    return false;
  }
}

/** The bytes of a shared data file. */
export function readSharedData(path: string): Promise<Uint8Array> {
  return Deno.readFile(new URL(path, SHARED_DATA));
}

/**
 * A test that needs shared data files: skipped (with a note in its name) when one is
 * missing outside CI; failing when one is missing and CI=true.
 */
export function testWithData(
  name: string,
  paths: string[],
  fn: (...bytes: Uint8Array[]) => Promise<void> | void,
): void {
  const missing = paths.filter((p) => !hasSharedData(p));
  if (missing.length > 0 && !_CI) {
    Deno.test({ name: `${name} (skipped: missing ${missing.join(", ")})`, ignore: true, fn() {} });
    return;
  }
  Deno.test(name, async () => {
    if (missing.length > 0) {
      throw new Error(
        `missing shared data ${missing.join(", ")} under ${SHARED_DATA.pathname} (CI=true)`,
      );
    }
    await fn(...await Promise.all(paths.map(readSharedData)));
  });
}

/** The files of make_edf_goldens.py, relative to SHARED_DATA. */
export const EEGMAT_FILES = Array.from(
  { length: 32 },
  (_, i) => `eeg/eegmat/Subject${String(i >> 1).padStart(2, "0")}_${(i & 1) + 1}.edf`,
);
export const PARKINSONS_FILE =
  "eeg/parkinsons_ds002778/sub-pd6/ses-off/eeg/sub-pd6_ses-off_task-rest_eeg.edf";
export const BDF_FILE = "eeg/mne_testdata/test.bdf";
export const STIM_EDF_FILE = "eeg/mne_testdata/test_edf_stim_channel.edf";

/** One file as MNE 1.3 read it (see tests/eeg/make_edf_goldens.py). */
export interface EdfGolden {
  path: string;
  sfreq: number;
  n_times: number;
  meas_date: string | null;
  ch_names: string[];
  stim: string[];
  slice_len: number;
  middle_start: number;
  first: number[][];
  middle: number[][];
  last: number[][];
  sum: number[];
  sum_abs: number[];
  sum_sq: number[];
  annotations: [number, number, string][];
}

/** The goldens, keyed by path. */
export async function loadEdfGoldens(): Promise<Map<string, EdfGolden>> {
  const json = JSON.parse(
    await Deno.readTextFile(new URL("./fixtures/edf_goldens.json", import.meta.url)),
  ) as { files: EdfGolden[] };
  return new Map(json.files.map((f) => [f.path, f]));
}

/** MNE's factor to volts: uV/µV 1e-6, mV 1e-3, anything else 1 (its edf.py rule). */
export function mneVoltsPerUnit(unit: string): number {
  return isVoltageUnit(unit) && unit !== "nV" && unit !== "kV" ? voltsPerUnit(unit) : 1;
}

/** A ByteSource that counts the bytes and calls it serves. */
export function countingSource(
  bytes: Uint8Array,
): ByteSource & { bytesRead: number; calls: number } {
  const inner = bytesSource(bytes);
  const counted = {
    size: inner.size,
    bytesRead: 0,
    calls: 0,
    read(offset: number, length: number) {
      counted.bytesRead += length;
      counted.calls++;
      return inner.read(offset, length);
    },
  };
  return counted;
}
