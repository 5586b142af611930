import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend, Rng } from "../../lib/runtime/mod.ts";
import { requireWebGpu, SKIP_WEBGPU } from "../_support/webgpu.ts";
import { assertAllClose } from "../_support/assert_close.ts";

/** A small computation touching the ops every model needs: matmul, conv2d, a gradient. */
async function smallComputation(
  options: { gradient?: boolean } = {},
): Promise<Record<string, Float32Array>> {
  const rng = new Rng(1234);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return await assertNoTensorLeaks(async () => {
    const [mm, conv, grad] = tf.tidy(() => {
      const a = tf.tensor2d(values(33 * 47), [33, 47]);
      const b = tf.tensor2d(values(47 * 29), [47, 29]);
      const x = tf.tensor4d(values(2 * 17 * 19 * 3), [2, 17, 19, 3]); // [B, H, W, C]
      const w = tf.tensor4d(values(3 * 3 * 3 * 5), [3, 3, 3, 5]); // [kh, kw, in, out]
      const loss = (filter: tf.Tensor) =>
        tf.conv2d(x, filter as tf.Tensor4D, [2, 1], "same").relu().square().mean();
      const gradient = options.gradient === false ? tf.zeros([1]) : tf.grad(loss)(w);
      return [tf.matMul(a, b), tf.conv2d(x, w, 1, "valid"), gradient];
    });
    const out: Record<string, Float32Array> = {
      matmul: (await mm.data()) as Float32Array,
      conv2d: (await conv.data()) as Float32Array,
    };
    if (options.gradient !== false) out.gradient = (await grad.data()) as Float32Array;
    tf.dispose([mm, conv, grad]);
    return out;
  }, { label: "smallComputation" });
}

let cpuReference: Record<string, Float32Array> | undefined;
async function reference(): Promise<Record<string, Float32Array>> {
  if (cpuReference === undefined) {
    await initBackend({ backend: "cpu" });
    cpuReference = await smallComputation();
  }
  return cpuReference;
}

// Float32 sums in a different order (tiling, fused kernels) differ by a few ulps per term;
// 1e-4 relative plus 1e-5 absolute covers inner products of length <= 50 comfortably.
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

Deno.test("cpu backend: the reference computation is finite and non-trivial", async () => {
  const ref = await reference();
  for (const [name, values] of Object.entries(ref)) {
    assert.ok(values.every(Number.isFinite), `${name} has non-finite values`);
    assert.ok(values.some((v) => v !== 0), `${name} is all zeros`);
  }
  assert.equal(ref.matmul.length, 33 * 29);
  assert.equal(ref.conv2d.length, 2 * 15 * 17 * 5);
  assert.equal(ref.gradient.length, 3 * 3 * 3 * 5);
});

Deno.test("wasm backend matches cpu on matmul and conv2d", async () => {
  const ref = await reference();
  const report = await initBackend({ backend: "wasm" });
  assert.equal(report.backend, "wasm");
  // tfjs's wasm backend has no Conv2DBackpropFilter kernel yet (issue #6 adds it), so the
  // filter gradient is compared on webgpu only for now.
  const got = await smallComputation({ gradient: false });
  assertAllClose(got.matmul, ref.matmul, { ...TOLERANCE, label: "wasm matmul" });
  assertAllClose(got.conv2d, ref.conv2d, { ...TOLERANCE, label: "wasm conv2d" });
});

Deno.test({
  name: "webgpu backend (lavapipe in CI) matches cpu on matmul, conv2d and a gradient",
  ignore: SKIP_WEBGPU,
  async fn() {
    requireWebGpu();
    const ref = await reference();
    const report = await initBackend({ backend: "webgpu" });
    assert.equal(report.backend, "webgpu");
    assert.ok(report.adapter !== null && report.adapter.description.length > 0);
    const got = await smallComputation();
    for (const name of Object.keys(ref)) {
      assertAllClose(got[name], ref[name], { ...TOLERANCE, label: `webgpu ${name}` });
    }
  },
});

Deno.test("auto reports what it chose and why", async () => {
  const report = await initBackend({ backend: "auto" });
  assert.ok(["webgpu", "wasm", "cpu"].includes(report.backend));
  assert.match(report.reason, /^auto chose (webgpu|wasm|cpu): /);
  assert.equal(tf.getBackend(), report.backend);
});

Deno.test("an unknown backend name is a RangeError that names the choices", async () => {
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => initBackend({ backend: "tpu" as any }),
    (error: Error) =>
      error instanceof RangeError &&
      error.message === "Cannot start a backend as it must be one of auto, webgpu, wasm, cpu: " +
          'current value is "tpu"',
  );
});

Deno.test("assertNoTensorLeaks catches a leaked tensor", async () => {
  await initBackend({ backend: "cpu" });
  let leaked: tf.Tensor | undefined;
  await assert.rejects(
    () => assertNoTensorLeaks(() => void (leaked = tf.ones([3])), { label: "leaky" }),
    /Tensor leak in leaky: 1 tensor\(s\) left alive/,
  );
  leaked?.dispose();
});

Deno.test("asking for webgpu without an adapter says so (BackendUnavailableError)", async () => {
  const gpu = navigator.gpu;
  const original = gpu.requestAdapter;
  gpu.requestAdapter = () => Promise.resolve(null);
  try {
    await assert.rejects(
      () => initBackend({ backend: "webgpu" }),
      (error: Error) =>
        error.name === "BackendUnavailableError" &&
        /Cannot start the webgpu backend as no WebGPU adapter was found/.test(error.message),
    );
  } finally {
    gpu.requestAdapter = original;
  }
});
