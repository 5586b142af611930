/**
 * The Parkinson's resting-state dataset (OpenNeuro ds002778, BIDS): recordings under
 * `sub-<id>/ses-<session>/eeg/<name>_eeg.bdf|.edf`, labels from `participants.tsv` (age, gender; the group
 * from a GROUP column where present, else from the id: `sub-pd*` Parkinson's, `sub-hc*`
 * control), medication from the session (`ses-on` / `ses-off`).
 *
 * @module
 */
import { parseTable } from "../csv.ts";
import type { DatasetFiles, DatasetListing, RecordingRef } from "../recording_ref.ts";

const _GENDER: Record<string, string> = { f: "female", m: "male", female: "female", male: "male" };
const _GROUP: Record<string, string> = {
  pd: "parkinsons",
  parkinsons: "parkinsons",
  hc: "healthy",
  control: "healthy",
  healthy: "healthy",
};

/**
 * Lists the BIDS recordings and their labels.
 *
 * @example
 * ```ts ignore
 * const { recordings } = await listParkinsonsDataset(new FileStorage("../shared/data/eeg/parkinsons_ds002778"));
 * ```
 */
export async function listParkinsonsDataset(files: DatasetFiles): Promise<DatasetListing> {
  const warnings: string[] = [];
  const participantsPath = "participants.tsv";
  const participants = (await files.exists(participantsPath))
    ? parseTable(await files.readText(participantsPath), {
      delimiter: "\t",
      source: participantsPath,
    })
    : null;
  if (participants === null) {
    warnings.push(`no ${participantsPath}: only ids and sessions label the data`);
  }
  const groupColumn = participants?.columns.find((c) => c.toLowerCase() === "group");
  const byId = new Map((participants?.rows ?? []).map((r) => [r.participant_id, r]));
  const recordings: RecordingRef[] = [];
  for (const subject of (await files.list("")).filter((n) => n.startsWith("sub-"))) {
    for (const session of (await files.list(subject)).filter((n) => n.startsWith("ses-"))) {
      const dir = `${subject}/${session}/eeg`;
      for (const name of await files.list(dir)) {
        const match = /_eeg\.(bdf|edf)$/i.exec(name);
        if (match === null) continue;
        const labels: RecordingRef["labels"] = {};
        const row = byId.get(subject);
        const rawGroup = groupColumn !== undefined && row !== undefined
          ? row[groupColumn]
          : /^sub-([a-z]+)/i.exec(subject)?.[1] ?? "";
        const health = _GROUP[rawGroup.trim().toLowerCase()];
        if (health !== undefined) labels.health = health;
        if (session === "ses-on" || session === "ses-off") labels.medication = session.slice(4);
        if (row !== undefined) {
          const age = Number(row.age);
          if (row.age !== undefined && row.age.trim() !== "" && Number.isFinite(age)) {
            labels.age = age;
          }
          const gender = _GENDER[(row.gender ?? row.sex ?? "").trim().toLowerCase()];
          if (gender !== undefined) labels.gender = gender;
        } else if (participants !== null) {
          warnings.push(`${dir}/${name}: ${subject} is not in ${participantsPath}`);
        }
        recordings.push({
          path: `${dir}/${name}`,
          recording: name,
          subject,
          format: match[1].toLowerCase() as "edf" | "bdf",
          labels,
        });
      }
    }
  }
  if (recordings.length === 0) {
    throw new RangeError(
      "Cannot read the Parkinsons dataset as its root holds no sub-*/ses-*/eeg/*_eeg.bdf|edf files",
    );
  }
  return { recordings, warnings };
}
