/**
 * Figure: a 1024x1024 float32 matrix product on each backend vs numpy.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/runtime/mod.ts";
import { type BenchFigure, type BenchRow, benchRow, runPeer, timeMedian } from "./harness.ts";

const _N = 1024;
const _FLOP = 2 * _N ** 3;

/** 1024x1024 matmul throughput in GFLOP/s per backend, numpy as the peer. */
export const matmulFigure: BenchFigure = {
  name: "matmul",
  description: "1024x1024 float32 matmul, GFLOP/s, vs numpy.matmul",
  async run(ctx) {
    const repeats = ctx.quick ? 3 : 10;
    ctx.log("matmul: numpy peer");
    const peer = await runPeer("matmul.py", { n: _N, repeats });
    const peerSeconds = peer.ok ? Number(peer.value.seconds) : null;
    const peerName = peer.ok ? `numpy.matmul ${peer.value.version}` : "numpy.matmul";
    const rows: BenchRow[] = [];
    for (const backend of ctx.backends) {
      ctx.log(`matmul: ${backend}`);
      await initBackend({ backend: backend as "cpu" | "wasm" | "webgpu" });
      const a = tf.randomUniform([_N, _N], -1, 1, "float32", 1);
      const b = tf.randomUniform([_N, _N], -1, 1, "float32", 2);
      // The cpu backend is plain JS and takes seconds per product: fewer repeats there.
      const seconds = await timeMedian(async () => {
        const c = tf.matMul(a, b);
        await c.data(); // GPU-CPU sync point: the time includes the read-back.
        c.dispose();
      }, { warmup: 1, repeats: backend === "cpu" ? Math.min(repeats, 2) : repeats });
      tf.dispose([a, b]);
      const value = _FLOP / seconds / 1e9;
      const peerValue = peerSeconds === null ? null : _FLOP / peerSeconds / 1e9;
      rows.push(benchRow({
        name: `matmul_1024_${backend}`,
        unit: "GFLOP/s",
        value,
        peer: peerName,
        peerValue,
        backend,
        machine: ctx.machine,
        notes: [peer.ok ? undefined : peer.note],
      }));
    }
    return rows;
  },
};
