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
import { listMatVariables } from "../../../lib/eeg/mat/mod.ts";
import type { MatVariableInfo } from "../../../lib/eeg/mat/mat_array.ts";

/** What info prints for a MATLAB file: its variables (SEED trials are 62 x N doubles). */
interface MatSummary {
  file: string;
  fileType: "MAT (Level 5)";
  variables: MatVariableInfo[];
}

async function _summarizeMat(path: string): Promise<MatSummary> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot read ${path} as it does not exist`);
    }
    throw error;
  }
  try {
    return { file: path, fileType: "MAT (Level 5)", variables: await listMatVariables(bytes) };
  } catch (error) {
    if (error instanceof Error && error.name === "MatFormatError") {
      throw new UsageError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

function _formatMat(summary: MatSummary): string {
  const lines = [
    summary.file,
    `  type       ${summary.fileType}`,
    `  variables  ${summary.variables.length}`,
  ];
  for (const v of summary.variables) {
    lines.push(
      `    ${v.name.padEnd(16)} ${v.className.padEnd(8)} ${v.dims.join(" x ")}` +
        (v.complex ? " complex" : "") + (v.decodable ? "" : `  (${v.note ?? "not decoded"})`),
    );
  }
  return lines.join("\n");
}

async function _summarize(path: string): Promise<RecordingSummary> {
  const lower = path.toLowerCase();
  if (!lower.endsWith(".edf") && !lower.endsWith(".bdf")) {
    throw new UsageError(
      `Cannot read ${path} as info reads .edf, .bdf and .mat files: current extension is ` +
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
  summary: "print a header summary of EDF/EDF+/BDF and MATLAB .mat files",
  help: [
    "deno task info: header summary of EDF/EDF+/BDF recordings and MATLAB (.mat) files",
    "",
    "Usage:",
    "  deno task info FILE... [--json]",
    "",
    "Example:",
    "  deno task info ../shared/data/eeg/eegmat/Subject00_1.edf",
    "",
    "Prints, per EDF/BDF file: type, start, duration, records, each signal's label, rate,",
    "unit, physical range and prefilter, the annotations and any header warnings; per .mat",
    "file its variables with class and dimensions (SEED trials are 62 x N doubles).",
    "--json prints one JSON array (one object per file) for scripts.",
    "A corrupt file is exit 2 with one line naming the field and byte offset.",
  ].join("\n"),
  flags: { json: { type: "boolean" } },
  positionals: true,
  async run(ctx) {
    if (ctx.positionals.length === 0) {
      throw new UsageError("info: name at least one file (see: deno task info --help)");
    }
    const summaries: (RecordingSummary | MatSummary)[] = [];
    for (const path of ctx.positionals) {
      summaries.push(
        path.toLowerCase().endsWith(".mat") ? await _summarizeMat(path) : await _summarize(path),
      );
    }
    if (ctx.values.json === true) {
      console.log(JSON.stringify(summaries, null, 2));
    } else {
      console.log(
        summaries.map((s) => "variables" in s ? _formatMat(s) : formatRecordingSummary(s)).join(
          "\n\n",
        ),
      );
    }
    return 0;
  },
};
