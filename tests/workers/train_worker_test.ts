/**
 * The training job behind comlink in a module worker (the web app's path), run here in a
 * Deno worker: same job, same progress events, the run folder returned as files.
 */
import assert from "node:assert/strict";
import { proxy, wrap } from "comlink";
import * as tf from "@tensorflow/tfjs";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";
import { storageIOHandler } from "../../lib/io/tf_io_handler.ts";
import type { Storage } from "../../lib/io/storage.ts";
import { makeTinyDataset } from "../_support/tiny_dataset.ts";
import { initBackend } from "../../lib/runtime/backend.ts";
import "../../lib/nn/mod.ts"; // registers GroupNorm and SeededDropout for loading
import type { FolderFile, TrainWorkerApi } from "../../workers/train_worker.ts";
import type { ProgressEvent } from "../../lib/train/progress.ts";

async function files(storage: Storage, dir = ""): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  for (const name of await storage.list(dir)) {
    const path = dir === "" ? name : `${dir}/${name}`;
    const children = await storage.list(path).catch(() => null);
    if (children === null) out.push({ path, bytes: await storage.readBytes(path) });
    else out.push(...await files(storage, path));
  }
  return out;
}

Deno.test("the training job runs in a module worker with progress events through comlink", async () => {
  const dataset = new MemoryStorage();
  await makeTinyDataset(dataset, { seed: 4 });
  const worker = new Worker(new URL("../../workers/train_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const api = wrap<TrainWorkerApi>(worker);
    const events: ProgressEvent[] = [];
    const config = await Deno.readTextFile(
      new URL("../../config/classification/smoke.toml", import.meta.url),
    );
    const response = await api.train({
      configToml: config + '\n[run]\nbackend = "wasm"\n',
      dataset: (await files(dataset)).filter((f) => !f.path.startsWith(".state/")),
    }, proxy((event: ProgressEvent) => void events.push(event)));
    assert.equal(response.backend, "wasm");
    assert.equal(response.steps, 3);
    assert.equal(response.stopReason, "completed");
    // One event per step, plus one per evaluation (eval_steps = 2, and at the end).
    const steps = events.filter((e) => e.job === "train").map((e) => e.done);
    assert.deepEqual([...new Set(steps)], [1, 2, 3]);
    assert.ok(steps.every((s, i) => i === 0 || s >= steps[i - 1]), `not monotone: ${steps}`);
    assert.ok(events.every((e) => e.total === 3), JSON.stringify(events));
    // Step events carry the training loss (evaluation events carry validation metrics).
    assert.ok(
      events.filter((e) => e.metrics?.lr !== undefined).every((e) =>
        Number.isFinite(e.metrics?.loss)
      ),
    );
    assert.equal(events.filter((e) => e.metrics?.lr !== undefined).length, 3);
    assert.ok(response.test !== undefined && response.test.tasks.task_state.n > 0);
    const paths = response.run.map((f) => f.path);
    for (
      const p of [
        "run.json",
        "summary.json",
        "history.jsonl",
        "model/model.json",
        "model/weights.bin",
      ]
    ) {
      assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
    }
    // The returned run folder loads as a model in this (other) thread.
    const run = new MemoryStorage();
    for (const f of response.run) await run.writeBytes(f.path, f.bytes);
    await initBackend({ backend: "cpu" });
    const model = await tf.loadLayersModel(storageIOHandler(run, "model"));
    assert.deepEqual(model.outputNames, ["gender", "age", "task_state"]);
    model.dispose();
  } finally {
    worker.terminate();
  }
});
