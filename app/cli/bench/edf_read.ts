/**
 * Figure: reading every EDF file of the Math dataset (eegmat, 32 files) in full, all
 * signals as physical values plus the annotations, from the page cache: our reader
 * (`openFileByteSource` + `readEdf`) vs `mne.io.read_raw_edf(preload=True)`, in MB of
 * files per second. A second row times the floor of any such reader on this machine:
 * reading the bytes and making the float32 output arrays, without decoding.
 *
 * Also exports where the benchmarks find the eegmat recordings (shared with the stft and
 * recipe figures).
 *
 * @module
 */
import { openFileByteSource } from "../file_byte_source.ts";
import { readEdf } from "../../../lib/eeg/edf/mod.ts";
import { type BenchFigure, benchRow, median, type PeerResult, runPeer } from "./harness.ts";

/**
 * The eegmat folder: $BENCH_EEGMAT_DIR, else ../shared/data/eeg/eegmat beside the
 * project root (where the development machines keep the shared data).
 */
export function eegmatDir(): string {
  const fromEnv = Deno.env.get("BENCH_EEGMAT_DIR");
  if (fromEnv) return fromEnv.replace(/\/+$/, "");
  return new URL("../../../../shared/data/eeg/eegmat", import.meta.url).pathname;
}

/** One file of the eegmat folder; null (and a log line saying how to fix it) when missing. */
export function eegmatFile(
  name: string,
  log: (message: string) => void,
  figure: string,
): string | null {
  const path = `${eegmatDir()}/${name}`;
  try {
    Deno.statSync(path);
    return path;
  } catch (error) {
    log(
      `${figure}: skipped, cannot read ${path} (${(error as Error).message}); ` +
        `set BENCH_EEGMAT_DIR to the eegmat folder`,
    );
    return null;
  }
}

/** The .edf files of the eegmat folder, sorted; null (and a log line) when there are none. */
export function eegmatFiles(log: (message: string) => void, figure: string): string[] | null {
  const dir = eegmatDir();
  let files: string[];
  try {
    files = [...Deno.readDirSync(dir)]
      .filter((entry) => entry.isFile && entry.name.toLowerCase().endsWith(".edf"))
      .map((entry) => `${dir}/${entry.name}`)
      .sort();
  } catch (error) {
    log(
      `${figure}: skipped, cannot list ${dir} (${(error as Error).message}); ` +
        `set BENCH_EEGMAT_DIR to the eegmat folder`,
    );
    return null;
  }
  if (files.length === 0) {
    log(`${figure}: skipped, no .edf files in ${dir}`);
    return null;
  }
  return files;
}

/** Reads every file fully; returns each file's signal lengths. */
async function _readAll(files: string[]): Promise<number[][]> {
  const lengths: number[][] = [];
  for (const path of files) {
    using source = await openFileByteSource(path);
    const recording = await readEdf(source);
    lengths.push(recording.data.map((signal) => signal.length));
  }
  return lengths;
}

/**
 * The floor of any reader that gives float32 arrays: read each file's bytes and make its
 * signals' arrays, touching every page once, with no decoding at all.
 */
async function _readAndTouch(files: string[], lengths: number[][]): Promise<number> {
  let touched = 0;
  for (const [i, path] of files.entries()) {
    const bytes = await Deno.readFile(path);
    touched += bytes[0];
    for (const length of lengths[i]) {
      const signal = new Float32Array(length);
      for (let k = 0; k < length; k += 1024) signal[k] = 1; // 1024 floats = one 4 KiB page
      touched += signal[0];
    }
  }
  return touched;
}

export const edfReadFigure: BenchFigure = {
  name: "edf_read",
  description: "read all eegmat EDF files fully (all signals, physical values), MB/s, " +
    "vs mne.io.read_raw_edf(preload=True)",
  async run(ctx) {
    const files = eegmatFiles(ctx.log, "edf_read");
    if (files === null) return [];
    // Rounds alternate the peer and ours so that both see the same load on a shared machine;
    // each side's figure is the median over all its timed passes.
    const rounds = ctx.quick ? 1 : 3;
    const bytes = files.reduce((sum, path) => sum + Deno.statSync(path).size, 0);
    ctx.log(`edf_read: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${rounds} round(s)`);
    const ours: number[] = [];
    const floor: number[] = [];
    const theirs: number[] = [];
    let peer: PeerResult = { ok: false, note: "peer did not run" };
    let lengths: number[][] = [];
    for (let round = 0; round < rounds; round++) {
      ctx.log(`edf_read: round ${round + 1}: MNE peer`);
      peer = await runPeer("edf_read.py", { files, repeats: ctx.quick ? 1 : 3 });
      if (peer.ok) theirs.push(...(peer.value.times as number[]));
      ctx.log(`edf_read: round ${round + 1}: ours (openFileByteSource + readEdf)`);
      for (let pass = 0; pass < (ctx.quick ? 3 : 6); pass++) {
        const t0 = performance.now();
        lengths = await _readAll(files);
        // The first pass of a round warms up (JIT, page cache), as the peer's does.
        if (pass > 0) ours.push((performance.now() - t0) / 1000);
      }
      for (let pass = 0; pass < (ctx.quick ? 3 : 6); pass++) {
        const t0 = performance.now();
        await _readAndTouch(files, lengths);
        if (pass > 0) floor.push((performance.now() - t0) / 1000);
      }
    }
    const samples = lengths.flat().reduce((a, b) => a + b, 0);
    const seconds = median(ours);
    const peerSeconds = theirs.length > 0 ? median(theirs) : null;
    const value = bytes / 1e6 / seconds;
    const peerValue = peerSeconds === null ? null : bytes / 1e6 / peerSeconds;
    const notes: string[] = [];
    if (!peer.ok) notes.push(peer.note);
    else if (Number(peer.value.samples) !== samples) {
      notes.push(`sample counts differ: ours ${samples}, MNE ${peer.value.samples}`);
    }
    ctx.log(
      `edf_read: ours ${(seconds * 1e3).toFixed(1)} ms, MNE ${
        peerSeconds === null ? "-" : (peerSeconds * 1e3).toFixed(1)
      } ms per pass over ${files.length} files (${samples} samples); ours ${
        ours.map((t) => (t * 1e3).toFixed(0)).join(" ")
      }; MNE ${theirs.map((t) => (t * 1e3).toFixed(0)).join(" ")}`,
    );
    const peerName = peer.ok ? String(peer.value.version) : "mne.io.read_raw_edf(preload=True)";
    return [
      benchRow({
        name: `edf_read_eegmat_${files.length}_files`,
        unit: "MB/s",
        value,
        peer: peerName,
        peerValue,
        backend: "cpu",
        machine: ctx.machine,
        notes,
      }),
      benchRow({
        name: `edf_read_floor_eegmat_${files.length}_files`,
        unit: "MB/s",
        value: bytes / 1e6 / median(floor),
        peer: peerName,
        peerValue,
        backend: "cpu",
        machine: ctx.machine,
        notes: [
          "not a reader: reading the bytes and making the float32 output arrays (every page " +
          "touched once) without decoding, the floor of any reader here",
        ],
      }),
    ];
  },
};
