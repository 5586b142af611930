/**
 * `deno task info FILE... [--json]`: a readable header summary of EDF/EDF+/BDF files
 * (channels with rates and units, duration, annotations). Reads only the header and the
 * annotation records, through range reads, so large files are not loaded whole.
 *
 * @module
 */
import { type Command, UsageError } from "../command.ts";
import { openFileByteSource } from "../file_byte_source.ts";
import { EdfReader } from "../../../lib/eeg/edf/mod.ts";
import { type RecordingSummary, summarizeEdf } from "../../../lib/eeg/recording_summary.ts";
import { formatRecordingSummary } from "../../../lib/eeg/format_recording_summary.ts";

async function _summarize(path: string): Promise<RecordingSummary> {
  const lower = path.toLowerCase();
  if (!lower.endsWith(".edf") && !lower.endsWith(".bdf")) {
    throw new UsageError(
      `Cannot read ${path} as info reads .edf and .bdf files: current extension is ` +
        `"${lower.includes(".") ? lower.slice(lower.lastIndexOf(".")) : "(none)"}"`,
    );
  }
  let source;
  try {
    source = await openFileByteSource(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot read ${path} as it does not exist`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UsageError(`Cannot read ${path} as it is a directory`);
    }
    throw error;
  }
  using file = source;
  try {
    const reader = await EdfReader.open(file);
    return summarizeEdf(path, reader.header, await reader.readAnnotations(), reader.warnings);
  } catch (error) {
    if (error instanceof Error && error.name === "EdfFormatError") {
      throw new UsageError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

export const command: Command = {
  name: "info",
  summary: "print a header summary of EDF/EDF+/BDF files",
  help: [
    "deno task info: header summary of EDF/EDF+/BDF recordings",
    "",
    "Usage:",
    "  deno task info FILE... [--json]",
    "",
    "Example:",
    "  deno task info ../shared/data/eeg/eegmat/Subject00_1.edf",
    "",
    "Prints, per file: type, start, duration, records, each signal's label, sample rate,",
    "unit, physical range and prefilter, the annotations, and any header warnings.",
    "--json prints one JSON array (one object per file) for scripts.",
    "A corrupt file is exit 2 with one line naming the field and byte offset.",
  ].join("\n"),
  flags: { json: { type: "boolean" } },
  positionals: true,
  async run(ctx) {
    if (ctx.positionals.length === 0) {
      throw new UsageError("info: name at least one file (see: deno task info --help)");
    }
    const summaries: RecordingSummary[] = [];
    for (const path of ctx.positionals) summaries.push(await _summarize(path));
    if (ctx.values.json === true) {
      console.log(JSON.stringify(summaries, null, 2));
    } else {
      console.log(summaries.map(formatRecordingSummary).join("\n\n"));
    }
    return 0;
  },
};
