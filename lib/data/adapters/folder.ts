/**
 * Bring-your-own data: any EDF/BDF files under the root (searched recursively) plus a CSV
 * that maps each file or subject to labels, so users need no code. The CSV has a `file`
 * column (path relative to the root, or just the file name) and/or a `subject` column,
 * and one column per label named as in the label registry (gender, age, health,
 * task_state, ...). Without a `subject` column the file's stem is the subject.
 *
 * @module
 */
import { parseTable } from "../csv.ts";
import { LABELS } from "../label_registry.ts";
import type { DatasetFiles, DatasetListing, RecordingRef } from "../recording_ref.ts";

async function _walk(files: DatasetFiles, dir: string, out: string[]): Promise<void> {
  for (const name of await files.list(dir)) {
    const path = dir === "" ? name : `${dir}/${name}`;
    if (/\.(edf|bdf)$/i.test(name)) out.push(path);
    else if (!name.includes(".")) await _walk(files, path, out);
  }
}

/**
 * Lists EDF/BDF files and joins their labels from the CSV.
 *
 * @example
 * ```ts ignore
 * const { recordings } = await listFolderDataset(storage, { labelsCsv: "labels.csv" });
 * ```
 */
export async function listFolderDataset(
  files: DatasetFiles,
  options: { labelsCsv?: string } = {},
): Promise<DatasetListing> {
  const csvPath = options.labelsCsv ?? "labels.csv";
  if (!(await files.exists(csvPath))) {
    throw new RangeError(
      `Cannot read the folder dataset as ${csvPath} is missing: add a CSV with a "file" or ` +
        `"subject" column and one column per label (${Object.keys(LABELS).join(", ")})`,
    );
  }
  const table = parseTable(await files.readText(csvPath), {
    source: csvPath,
    delimiter: csvPath.endsWith(".tsv") ? "\t" : ",",
  });
  const hasFile = table.columns.includes("file"), hasSubject = table.columns.includes("subject");
  if (!hasFile && !hasSubject) {
    throw new RangeError(
      `Cannot read ${csvPath} as it needs a "file" or a "subject" column: it has ${
        table.columns.join(", ")
      }`,
    );
  }
  const labelColumns = table.columns.filter((c) => c in LABELS);
  const byFile = new Map<string, Record<string, string>>();
  const bySubject = new Map<string, Record<string, string>>();
  for (const row of table.rows) {
    if (hasFile && row.file !== "") byFile.set(row.file, row);
    else if (hasSubject && row.subject !== "") bySubject.set(row.subject, row);
  }
  const paths: string[] = [];
  await _walk(files, "", paths);
  const warnings: string[] = [];
  const recordings: RecordingRef[] = [];
  for (const path of paths.sort()) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const stem = name.replace(/\.(edf|bdf)$/i, "");
    const fileRow = byFile.get(path) ?? byFile.get(name);
    const subject = fileRow?.subject || stem;
    const row = fileRow ?? bySubject.get(subject);
    if (row === undefined) {
      warnings.push(`${path}: no row in ${csvPath}; skipped`);
      continue;
    }
    const labels: RecordingRef["labels"] = {};
    for (const column of labelColumns) {
      const cell = row[column].trim();
      if (cell === "") continue;
      labels[column] = LABELS[column].kind === "regression" ? Number(cell) : cell;
    }
    recordings.push({
      path,
      recording: name,
      subject,
      format: name.toLowerCase().endsWith(".bdf") ? "bdf" : "edf",
      labels,
    });
  }
  if (recordings.length === 0) {
    throw new RangeError(
      `Cannot read the folder dataset as no EDF/BDF file under its root has labels in ${csvPath}`,
    );
  }
  return { recordings, warnings };
}
