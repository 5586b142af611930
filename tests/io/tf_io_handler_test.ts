import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  loadNamedTensors,
  MemoryStorage,
  NotFoundError,
  saveNamedTensors,
  storageIOHandler,
} from "../../lib/io/mod.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { buildModel, fixedBatch, forEachStorage, predict, RecordingStorage } from "./_fixtures.ts";

await initBackend({ backend: "cpu" });

Deno.test("storageIOHandler: save + load gives identical predictions on every storage", async () => {
  await forEachStorage(async (storage, kind) => {
    await assertNoTensorLeaks(async () => {
      const { x, y } = fixedBatch();
      const model = buildModel();
      const before = await predict(model, x);
      await model.save(storageIOHandler(storage, "runs/r1/model"));
      assert.deepEqual(await storage.list("runs/r1/model"), ["model.json", "weights.bin"], kind);
      const loaded = await tf.loadLayersModel(storageIOHandler(storage, "runs/r1/model"));
      const after = await predict(loaded, x);
      assert.deepEqual(after, before, kind);
      assert.equal(after.length, 12);
      model.dispose();
      loaded.dispose();
      tf.dispose([x, y]);
    }, { label: kind });
  });
});

Deno.test("storageIOHandler: model.json is valid TF.js Layers format", async () => {
  const storage = new MemoryStorage();
  const model = buildModel();
  model.setUserDefinedMetadata({ task: "gender", classes: ["f", "m"] });
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  await model.save(storageIOHandler(storage, "model"), { includeOptimizer: true });
  const json = JSON.parse(await storage.readText("model/model.json"));
  assert.equal(json.format, "layers-model");
  assert.match(json.generatedBy, /^TensorFlow\.js tfjs-layers v4\.22\.0$/);
  assert.equal(json.convertedBy, null);
  assert.equal(json.modelTopology.class_name, "Sequential");
  assert.equal(json.modelTopology.config.layers.length, 3);
  assert.deepEqual(json.userDefinedMetadata, { task: "gender", classes: ["f", "m"] });
  assert.equal(json.trainingConfig.loss, "categorical_crossentropy");
  assert.equal(json.weightsManifest.length, 1);
  assert.deepEqual(json.weightsManifest[0].paths, ["weights.bin"]);
  const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
  // The four model weights, then the optimizer's (Adam's iteration count before any step).
  assert.deepEqual(specs.map((s) => s.shape), [[3, 3, 2, 3], [3], [108, 4], [4], []]);
  assert.equal(specs[4].group, "optimizer");
  assert.ok(specs.every((s) => ["float32", "int32"].includes(s.dtype) && s.name.length > 0));
  const bytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  assert.equal((await storage.readBytes("model/weights.bin")).length, bytes);
  const loaded = await tf.loadLayersModel(storageIOHandler(storage, "model"));
  assert.deepEqual(loaded.getUserDefinedMetadata(), { task: "gender", classes: ["f", "m"] });
  assert.equal(loaded.optimizer.getClassName(), "Adam");
  model.dispose();
  loaded.dispose();
});

Deno.test("storageIOHandler: weights are written before model.json", async () => {
  const storage = new RecordingStorage(new MemoryStorage());
  const model = buildModel();
  await model.save(storageIOHandler(storage, "m", { weightsFile: "w.bin" }));
  assert.deepEqual(storage.writes, ["m/w.bin", "m/model.json"]);
  // A failed weights write leaves no model.json behind.
  storage.failOn = /\.bin$/;
  await assert.rejects(model.save(storageIOHandler(storage, "n")), /injected failure/);
  assert.equal(await storage.exists("n/model.json"), false);
  model.dispose();
});

Deno.test("storageIOHandler: sharded weights from other tools load", async () => {
  const storage = new MemoryStorage();
  const model = buildModel();
  await model.save(storageIOHandler(storage, "m"));
  const json = JSON.parse(await storage.readText("m/model.json"));
  const weights = await storage.readBytes("m/weights.bin");
  const { x, y } = fixedBatch();
  const expected = await predict(model, x);
  // Equal shards and a shorter last one (as the converter writes), and the reverse.
  for (const cut of [weights.length - 100, 100]) {
    await storage.writeBytes("s/group1-shard1of2.bin", weights.slice(0, cut));
    await storage.writeBytes("s/group1-shard2of2.bin", weights.slice(cut));
    json.weightsManifest[0].paths = ["group1-shard1of2.bin", "group1-shard2of2.bin"];
    await storage.writeText("s/model.json", JSON.stringify(json));
    const loaded = await tf.loadLayersModel(storageIOHandler(storage, "s"));
    assert.deepEqual(await predict(loaded, x), expected, `cut at ${cut}`);
    loaded.dispose();
  }
  model.dispose();
  tf.dispose([x, y]);
});

Deno.test("storageIOHandler: missing or broken files are named in the error", async () => {
  const storage = new MemoryStorage();
  await assert.rejects(
    tf.loadLayersModel(storageIOHandler(storage, "runs/a/model")),
    (e) => e instanceof NotFoundError && e.path === "runs/a/model/model.json",
  );
  await storage.writeText("bad/model.json", "{ not json");
  await assert.rejects(
    tf.loadLayersModel(storageIOHandler(storage, "bad")),
    (e) => e instanceof SyntaxError && e.message.includes('"bad/model.json"'),
  );
  const model = buildModel();
  await model.save(storageIOHandler(storage, "m"));
  await storage.remove("m/weights.bin");
  await assert.rejects(
    tf.loadLayersModel(storageIOHandler(storage, "m")),
    (e) => e instanceof NotFoundError && e.path === "m/weights.bin",
  );
  model.dispose();
});

Deno.test("named tensors: round-trip keeps order, names, dtypes and values", async () => {
  await forEachStorage(async (storage, kind) => {
    await assertNoTensorLeaks(async () => {
      const tensors = [
        { name: "iter", tensor: tf.scalar(42, "int32") },
        { name: "dense/kernel/m", tensor: tf.tensor2d([[0.5, -1.25], [3e-8, 7]]) },
        { name: "a/mask", tensor: tf.tensor1d([true, false, true], "bool") },
      ];
      await saveNamedTensors(storage, "ckpt/opt", tensors);
      assert.deepEqual(await storage.list("ckpt/opt"), ["tensors.bin", "tensors.json"]);
      const manifest = JSON.parse(await storage.readText("ckpt/opt/tensors.json"));
      assert.equal(manifest.format, "named-tensors");
      assert.deepEqual(manifest.weightsManifest[0].paths, ["tensors.bin"]);
      const loaded = await loadNamedTensors(storage, "ckpt/opt");
      assert.deepEqual(loaded.map((t) => t.name), ["iter", "dense/kernel/m", "a/mask"], kind);
      for (let i = 0; i < tensors.length; i++) {
        assert.equal(loaded[i].tensor.dtype, tensors[i].tensor.dtype);
        assert.deepEqual(loaded[i].tensor.shape, tensors[i].tensor.shape);
        assert.deepEqual(await loaded[i].tensor.data(), await tensors[i].tensor.data());
      }
      tf.dispose([...tensors, ...loaded].map((t) => t.tensor));
    }, { label: kind });
  });
});

Deno.test("named tensors: duplicate names are rejected, the binary is written first", async () => {
  const storage = new RecordingStorage(new MemoryStorage());
  const t = tf.scalar(1);
  await assert.rejects(
    saveNamedTensors(storage, "o", [{ name: "m", tensor: t }, { name: "m", tensor: t }]),
    (e) => e instanceof RangeError && /"m" twice/.test(e.message),
  );
  await saveNamedTensors(storage, "o", [{ name: "m", tensor: t }], {
    manifestFile: "opt.json",
    weightsFile: "opt.bin",
  });
  assert.deepEqual(storage.writes, ["o/opt.bin", "o/opt.json"]);
  await assert.rejects(loadNamedTensors(storage, "o"), NotFoundError);
  await storage.writeText("o/tensors.json", '{"format":"other"}');
  await assert.rejects(loadNamedTensors(storage, "o"), /format "named-tensors"/);
  t.dispose();
});
