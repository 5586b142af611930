import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend } from "../../../lib/runtime/mod.ts";
import { assertAllClose } from "../../_support/assert_close.ts";
import { caseLabel, CONV_CASES, convGradient } from "./_conv_cases.ts";

for (const [i, c] of CONV_CASES.entries()) {
  const label = caseLabel(c);
  Deno.test(`wasm Conv2DBackpropInput equals cpu: ${label}`, async () => {
    await initBackend({ backend: "cpu" });
    const expected = await convGradient(c, 100 + i, "input");
    await initBackend({ backend: "wasm" });
    const got = await assertNoTensorLeaks(() => convGradient(c, 100 + i, "input"), { label });
    // Each value sums up to B·OH·OW (filter) or KH·KW·Cout (input) products of unit normals:
    // float32 rounding grows like sqrt(terms), so atol scales with it.
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    assertAllClose(got, expected, { rtol: 1e-4, atol: 1e-5 * Math.sqrt(terms), label });
  });
}

Deno.test("wasm conv2dTranspose (Conv2DBackpropInput) equals cpu", async () => {
  const run = async () => {
    const dy = tf.randomNormal([2, 5, 6, 4], 0, 1, "float32", 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 4], 0, 1, "float32", 4) as tf.Tensor4D;
    const out = tf.conv2dTranspose(dy, w, [2, 10, 12, 2], 2, "same");
    const values = (await out.data()) as Float32Array;
    tf.dispose([dy, w, out]);
    return values;
  };
  await initBackend({ backend: "cpu" });
  const expected = await run();
  await initBackend({ backend: "wasm" });
  assertAllClose(await run(), expected, { rtol: 1e-4, atol: 1e-4, label: "conv2dTranspose" });
});
