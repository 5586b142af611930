/** Shared fixtures for the io tests: the storages under test and a tiny conv + dense model. */
import * as tf from "@tensorflow/tfjs";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { IdbStorage, MemoryStorage, type Storage } from "../../lib/io/mod.ts";
import { Rng } from "../../lib/runtime/mod.ts";
import { fakeIdbStore } from "./_fake_idb_store.ts";

/** Runs `fn` on a fresh storage of each kind; file storages live in a temp dir. */
export async function forEachStorage(
  fn: (storage: Storage, kind: string) => Promise<void>,
): Promise<void> {
  await fn(new MemoryStorage(), "memory");
  await fn(new IdbStorage({ store: fakeIdbStore().store }), "idb");
  const dir = await Deno.makeTempDir({ prefix: "io_test_" });
  try {
    await fn(new FileStorage(dir), "file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A small model with a conv2d and a dense layer; input [B, 8, 8, 2], output [B, 4]. */
export function buildModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: "softmax" }),
    ],
  });
}

/** A fixed input batch [3, 8, 8, 2] and fixed one-hot targets [3, 4]. */
export function fixedBatch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = new Rng(7);
  const values = Float32Array.from({ length: 3 * 8 * 8 * 2 }, () => rng.normal());
  const x = tf.tensor4d(values, [3, 8, 8, 2]);
  const y = tf.tensor2d([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  return { x, y };
}

/** The model's predictions on `x`, read back asynchronously (works on every backend). */
export async function predict(model: tf.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const out = model.predict(x) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

/** A storage wrapper that records the order of writes (and can fail on chosen paths). */
export class RecordingStorage implements Storage {
  readonly writes: string[] = [];
  failOn: RegExp | null = null;
  constructor(readonly inner: Storage) {}
  get location(): string {
    return this.inner.location;
  }
  #check(path: string): void {
    if (this.failOn?.test(path)) throw new Error(`injected failure writing ${path}`);
    this.writes.push(path);
  }
  readBytes(path: string) {
    return this.inner.readBytes(path);
  }
  readText(path: string) {
    return this.inner.readText(path);
  }
  writeBytes(path: string, data: Parameters<Storage["writeBytes"]>[1]) {
    this.#check(path);
    return this.inner.writeBytes(path, data);
  }
  writeText(path: string, text: string) {
    this.#check(path);
    return this.inner.writeText(path, text);
  }
  appendText(path: string, text: string) {
    this.#check(path);
    return this.inner.appendText(path, text);
  }
  exists(path: string) {
    return this.inner.exists(path);
  }
  list(dir: string) {
    return this.inner.list(dir);
  }
  remove(path: string, options?: { recursive?: boolean }) {
    return this.inner.remove(path, options);
  }
}
