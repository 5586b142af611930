/**
 * The segmentation training job on real EM slices with a tiny U-Net: a run stopped after
 * two steps and resumed from `last` ends with the same weights as an uninterrupted run.
 */
import assert from "node:assert/strict";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { resolveConfig } from "../../lib/config/mod.ts";
import { MemoryStorage, RunFolder } from "../../lib/io/mod.ts";
import { initBackend } from "../../lib/runtime/mod.ts";
import { SEGMENT_SCHEMA, type SegmentConfig } from "../../lib/segment/config_schema.ts";
import { runSegmentationJob } from "../../lib/segment/train_job.ts";

const EM = new URL("../../../shared/data/seg/em_mito/", import.meta.url).pathname;
const SMOKE = new URL("../../config/segmentation/smoke.toml", import.meta.url);

function config(): SegmentConfig {
  return resolveConfig(SEGMENT_SCHEMA, {
    files: [{ source: "smoke.toml", text: Deno.readTextFileSync(SMOKE) }],
    sets: ["train.max_steps=4", "train.eval_steps=2", "train.checkpoint_steps=1"],
  }) as SegmentConfig;
}

async function weightsOf(storage: MemoryStorage): Promise<Float32Array[]> {
  const model = await new RunFolder(storage).loadModel();
  const values = await Promise.all(
    model.getWeights().map((w) => w.data() as Promise<Float32Array>),
  );
  model.dispose();
  return values;
}

Deno.test("a stopped segmentation run resumed from `last` ends as an uninterrupted one", async () => {
  const backend = await initBackend({ backend: "wasm" });
  const images = { storage: new FileStorage(`${EM}raw`), dir: "" };
  const masks = { storage: new FileStorage(`${EM}mito`), dir: "" };
  const whole = new MemoryStorage();
  const full = await runSegmentationJob({
    config: config(),
    images,
    masks,
    runStorage: whole,
    backend,
  });
  assert.equal(full.train.steps, 4);

  const parts = new MemoryStorage();
  const abort = new AbortController();
  const stopped = await runSegmentationJob({
    config: config(),
    images,
    masks,
    runStorage: parts,
    backend,
    signal: abort.signal,
    onProgress: (event) => {
      if (event.job === "train" && event.done === 2) abort.abort();
    },
  });
  assert.equal(stopped.train.stopReason, "aborted");
  assert.equal(stopped.train.steps, 2);
  const resumed = await runSegmentationJob({
    config: config(),
    images,
    masks,
    runStorage: parts,
    backend,
    resume: true,
  });
  assert.equal(resumed.train.resumedFrom, 2);
  assert.equal(resumed.train.steps, 4);
  // model/ holds the best checkpoint's weights (load_best_at_end): the same step, bit-equal.
  assert.equal(resumed.train.best?.step, full.train.best?.step);
  const [a, b] = [await weightsOf(whole), await weightsOf(parts)];
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i], `weight ${i}`);
});
