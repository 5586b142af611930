/**
 * The Math dataset (PhysioNet "EEG During Mental Arithmetic Tasks", Zyma et al. 2019):
 * `SubjectNN_1.edf` (rest) and `SubjectNN_2.edf` (serial subtraction), labels from
 * `subject-info.csv` joined by subject id (RECIPES.md step 10: never by row position; both
 * states are used). The built-in synthetic demo data is written in the same layout.
 *
 * @module
 */
import { parseTable } from "../csv.ts";
import type { DatasetFiles, DatasetListing, RecordingRef } from "../recording_ref.ts";

const _FILE = /^(.+)_([12])\.edf$/i;
const _GENDER: Record<string, string> = { f: "female", m: "male" };
const _QUALITY: Record<string, string> = { "0": "bad", "1": "good" };

/**
 * Lists the Math recordings under the dataset root.
 *
 * @example
 * ```ts ignore
 * const { recordings } = await listMathDataset(new FileStorage("../shared/data/eeg/eegmat"));
 * ```
 */
export async function listMathDataset(files: DatasetFiles): Promise<DatasetListing> {
  const warnings: string[] = [];
  const infoPath = "subject-info.csv";
  if (!(await files.exists(infoPath))) {
    throw new RangeError(
      `Cannot read the Math dataset as its root has no ${infoPath} (Subject, Age, Gender, ` +
        `Count quality): check dataset.root`,
    );
  }
  const info = parseTable(await files.readText(infoPath), { source: infoPath });
  for (const column of ["Subject", "Age", "Gender"]) {
    if (!info.columns.includes(column)) {
      throw new RangeError(
        `Cannot read ${infoPath} as it has no "${column}" column: it has ${
          info.columns.join(", ")
        }`,
      );
    }
  }
  const bySubject = new Map(info.rows.map((row) => [row.Subject.trim(), row]));
  const recordings: RecordingRef[] = [];
  for (const name of await files.list("")) {
    const match = _FILE.exec(name);
    if (match === null) continue;
    const [, subject, state] = match;
    const row = bySubject.get(subject);
    const labels: RecordingRef["labels"] = { task_state: state === "1" ? "rest" : "arithmetic" };
    if (row === undefined) {
      warnings.push(
        `${name}: subject ${subject} is not in ${infoPath}; only its task state is known`,
      );
    } else {
      const age = Number(row.Age);
      if (row.Age.trim() !== "" && Number.isFinite(age)) labels.age = age;
      const gender = _GENDER[row.Gender.trim().toLowerCase()];
      if (gender !== undefined) labels.gender = gender;
      const quality = _QUALITY[(row["Count quality"] ?? "").trim()];
      if (quality !== undefined) labels.count_quality = quality;
    }
    recordings.push({ path: name, recording: name, subject, format: "edf", labels });
  }
  if (recordings.length === 0) {
    throw new RangeError(
      "Cannot read the Math dataset as its root holds no SubjectNN_1.edf / SubjectNN_2.edf files",
    );
  }
  return { recordings, warnings };
}
