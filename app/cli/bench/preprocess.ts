/**
 * Figure: preprocessing the eegmat recordings end to end, in EEG-seconds per wall-second
 * (total seconds of the recordings / wall seconds), vs the same recipe written plainly in
 * MNE + scipy + numpy (+ PIL), one recording after another in one process as the original
 * would (peers/recipe.py, `files` mode).
 *
 * Ours is the real `deno task preprocess` path: the Math adapter's listing,
 * `preprocessDataset` of lib/data with the CLI's worker pool (`PreprocessPool`, one worker
 * per core, started inside the timed span as the CLI starts it), PNGs, state files,
 * metadata and the dataset card written into a temp folder that is deleted afterwards.
 * The peer writes its PNGs and a metadata.csv into a temp folder too. All 32 recordings;
 * with --quick the first 8.
 *
 * @module
 */
import { join } from "node:path";
import { FileStorage } from "../file_storage.ts";
import { PreprocessPool } from "../preprocess_pool.ts";
import { listMathDataset } from "../../../lib/data/adapters/math.ts";
import { preprocessDataset } from "../../../lib/data/preprocess.ts";
import { recipeParams, type SpectrogramParams } from "../../../lib/data/spectrogram_params.ts";
import { DB_BOUNDS } from "../../../lib/eeg/spectrogram_image.ts";
import { Rng } from "../../../lib/runtime/rng.ts";
import { eegmatDir } from "./edf_read.ts";
import { type BenchFigure, benchRow, median, runPeer } from "./harness.ts";

const _UNIT = "EEG-s/s";

function _params(): SpectrogramParams {
  const [lo, hi] = DB_BOUNDS.math;
  return recipeParams({ twentieth: "A2-A1", dbRange: [lo, hi] });
}

/** One whole preprocessing run (the CLI's path) into a fresh temp folder. */
async function _ours(
  root: string,
  limit: number,
  params: SpectrogramParams,
): Promise<{ seconds: number; eegSeconds: number; windows: number; failed: number }> {
  const out = await Deno.makeTempDir({ prefix: "bench_preprocess_" });
  try {
    // Runtime start-up is outside the timing on both sides: the peer times after its imports,
    // and our workers are started and have loaded their modules before t0.
    using pool = new PreprocessPool(root, params);
    await pool.ready();
    const t0 = performance.now();
    const listing = await listMathDataset(new FileStorage(root));
    listing.recordings = listing.recordings.slice(0, limit);
    let eegSeconds = 0;
    const summary = await preprocessDataset(listing, {
      datasetName: "math",
      params,
      // As the CLI writes: atomic renames without a per-file fsync (see commands/preprocess.ts).
      output: new FileStorage(out, { sync: false }),
      rng: new Rng(0),
      concurrency: pool.inFlight,
      provenance: { source: root, seed: "0" },
      render: async (ref) => {
        const result = await pool.render(ref);
        eegSeconds += result.durationSeconds;
        return result;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, eegSeconds, windows: summary.windows, failed: summary.failed.length };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

export const preprocessFigure: BenchFigure = {
  name: "preprocess",
  description: "preprocess the eegmat recordings (worker pool, PNGs + metadata on disk), " +
    "EEG-s/s, vs MNE + scipy + numpy in one process",
  async run(ctx) {
    const root = eegmatDir();
    let listing;
    try {
      listing = await listMathDataset(new FileStorage(root));
    } catch (error) {
      ctx.log(
        `preprocess: skipped, cannot list ${root} (${(error as Error).message}); ` +
          `set BENCH_EEGMAT_DIR to the eegmat folder`,
      );
      return [];
    }
    const limit = ctx.quick ? 8 : listing.recordings.length;
    const refs = listing.recordings.slice(0, limit);
    const params = _params();

    ctx.log(`preprocess: MNE + scipy + numpy peer, ${refs.length} recordings, one process`);
    const peerOut = await Deno.makeTempDir({ prefix: "bench_preprocess_peer_" });
    const peer = await runPeer("recipe.py", {
      files: refs.map((ref) => join(root, ref.path)),
      out_dir: peerOut,
      montage: params.montage,
      db_range: params.dbRange,
    }).finally(() => Deno.remove(peerOut, { recursive: true }));
    const peerValue = peer.ok ? Number(peer.value.eeg_seconds) / Number(peer.value.seconds) : null;

    const repeats = ctx.quick ? 1 : 3;
    const runs = [];
    for (let i = 0; i < repeats; i++) {
      ctx.log(`preprocess: ours, run ${i + 1}/${repeats} (${refs.length} recordings)`);
      runs.push(await _ours(root, limit, params));
    }
    const seconds = median(runs.map((r) => r.seconds));
    const { eegSeconds, windows, failed } = runs[0];
    const value = eegSeconds / seconds;
    const notes: string[] = [];
    if (!peer.ok) notes.push(peer.note);
    if (failed > 0) notes.push(`${failed} recording(s) failed in ours`);
    if (peer.ok && Number(peer.value.windows) !== windows) {
      notes.push(`window counts differ: ours ${windows}, peer ${peer.value.windows}`);
    }
    ctx.log(
      `preprocess: ours ${seconds.toFixed(2)} s (median of ${repeats}), peer ` +
        `${peer.ok ? Number(peer.value.seconds).toFixed(2) : "-"} s, for ${
          eegSeconds.toFixed(0)
        } s of EEG in ${refs.length} recordings (${windows} windows)`,
    );
    return [benchRow({
      name: `preprocess_math_${refs.length}_recordings`,
      unit: _UNIT,
      value,
      peer: peer.ok ? String(peer.value.version) : "MNE + scipy + numpy",
      peerValue,
      backend: `cpu (preprocessDataset, worker pool of ${navigator.hardwareConcurrency})`,
      machine: ctx.machine,
      notes,
      digits: 1,
    })];
  },
};
