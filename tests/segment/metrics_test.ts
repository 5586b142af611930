/**
 * Segmentation metrics against scikit-learn (fixtures/metrics_goldens.json, written by
 * make_metrics_goldens.py), including empty masks under each empty-mask policy.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type ConfusionCounts,
  confusionCounts,
  diceFromTensors,
  evaluateMasks,
  type SegmentationMetrics,
  segmentationMetrics,
} from "../../lib/segment/metrics.ts";
import { assertNoTensorLeaks } from "../../lib/runtime/leaks.ts";

interface GoldenCase {
  id: string;
  pred: number[];
  truth: number[];
  counts: ConfusionCounts;
  one: SegmentationMetrics;
  zero: SegmentationMetrics;
}
interface Goldens {
  cases: GoldenCase[];
  pooled: { counts: ConfusionCounts; one: SegmentationMetrics };
  mean: { one: SegmentationMetrics; zero: SegmentationMetrics };
}

const GOLDENS: Goldens = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/metrics_goldens.json", import.meta.url)),
);
const NAMES = Object.keys(GOLDENS.cases[0].one) as (keyof SegmentationMetrics)[];

function assertMetrics(actual: SegmentationMetrics, expected: SegmentationMetrics, label: string) {
  for (const name of NAMES) {
    const a = actual[name], e = expected[name];
    assert.ok(Math.abs(a - e) <= 1e-12, `${label} ${name}: ${a} vs sklearn ${e}`);
  }
}

await tf.setBackend("cpu");

Deno.test("confusion counts equal sklearn's confusion_matrix (0.5 itself is negative)", () => {
  for (const c of GOLDENS.cases) {
    assert.deepEqual(confusionCounts(c.pred, c.truth), c.counts, c.id);
    assert.deepEqual(
      confusionCounts(Float32Array.from(c.pred), Uint8Array.from(c.truth)),
      c.counts,
      `${c.id} typed arrays`,
    );
  }
  assert.deepEqual(confusionCounts([0.5, 0.51], [1, 1]), { tp: 1, fp: 0, fn: 1, tn: 0 });
  assert.deepEqual(confusionCounts([0.5, 0.51], [1, 1], { threshold: 0.4 }).tp, 2);
});

Deno.test("metrics equal sklearn with zero_division=1 (policy one) and 0 (policy zero)", () => {
  for (const c of GOLDENS.cases) {
    assertMetrics(segmentationMetrics(c.counts), c.one, `${c.id} default`);
    assertMetrics(segmentationMetrics(c.counts, { emptyPolicy: "one" }), c.one, `${c.id} one`);
    assertMetrics(segmentationMetrics(c.counts, { emptyPolicy: "zero" }), c.zero, `${c.id} zero`);
  }
  const both = GOLDENS.cases.find((c) => c.id === "both empty")!;
  assert.equal(segmentationMetrics(both.counts).dice, 1);
  assert.equal(segmentationMetrics(both.counts, { emptyPolicy: "zero" }).dice, 0);
});

Deno.test("policy nan gives NaN exactly where the policy changes sklearn's value", () => {
  let nans = 0;
  for (const c of GOLDENS.cases) {
    const m = segmentationMetrics(c.counts, { emptyPolicy: "nan" });
    for (const name of NAMES) {
      if (c.one[name] !== c.zero[name]) {
        assert.ok(Number.isNaN(m[name]), `${c.id} ${name} should be NaN`);
        nans++;
      } else assert.ok(Math.abs(m[name] - c.one[name]) <= 1e-12, `${c.id} ${name}`);
    }
  }
  // both empty: dice iou precision recall f1; one-empty cases: precision or recall;
  // both full: specificity.
  assert.equal(nans, 5 + 1 + 1 + 1);
});

Deno.test("evaluateMasks: per image, pooled from summed counts, mean of per-image values", () => {
  const pairs = GOLDENS.cases.map((c) => ({ id: c.id, pred: c.pred, truth: c.truth }));
  const report = evaluateMasks(pairs);
  assert.deepEqual(report.policy, { empty: "one", threshold: 0.5 });
  assert.deepEqual(report.per_image.map((r) => r.id), GOLDENS.cases.map((c) => c.id));
  GOLDENS.cases.forEach((c, i) => {
    assertMetrics(report.per_image[i], c.one, c.id);
    assert.equal(report.per_image[i].tp, c.counts.tp);
  });
  assertMetrics(report.pooled, GOLDENS.pooled.one, "pooled");
  assert.deepEqual(
    [report.pooled.tp, report.pooled.fp, report.pooled.fn, report.pooled.tn],
    [281, 321, 132, 685],
  );
  assert.deepEqual({ ...report.pooled, ...GOLDENS.pooled.counts }, report.pooled);
  assertMetrics(report.mean, GOLDENS.mean.one, "mean");
  const zero = evaluateMasks(pairs, { emptyPolicy: "zero" });
  assert.equal(zero.policy.empty, "zero");
  assertMetrics(zero.mean, GOLDENS.mean.zero, "mean zero");
  // nan: the mean leaves out the NaN images (np.nanmean); "both empty" has NaN Dice.
  const nan = evaluateMasks(pairs, { emptyPolicy: "nan" });
  const dices = GOLDENS.cases.filter((c) => c.id !== "both empty").map((c) => c.one.dice);
  assert.ok(Math.abs(nan.mean.dice - dices.reduce((a, b) => a + b) / dices.length) < 1e-12);
});

Deno.test("diceFromTensors equals the array counts and leaks nothing", async () => {
  const c = GOLDENS.cases.find((c) => c.id === "32x32 noisy")!;
  const pred = tf.tensor4d(c.pred, [1, 32, 32, 1]);
  const truth = tf.tensor4d(c.truth, [1, 32, 32, 1]);
  const result = await assertNoTensorLeaks(() => diceFromTensors(pred, truth, 0.5));
  assert.deepEqual(result, { ...c.counts, dice: c.one.dice });
  const viaOptions = await diceFromTensors(pred, truth, { threshold: 0.3 });
  assert.deepEqual(viaOptions, {
    ...confusionCounts(c.pred, c.truth, { threshold: 0.3 }),
    dice: viaOptions.dice,
  });
  const empty = tf.zeros([2, 4, 4, 1]);
  assert.equal((await diceFromTensors(empty, empty)).dice, 1);
  assert.ok(Number.isNaN((await diceFromTensors(empty, empty, { emptyPolicy: "nan" })).dice));
  await assert.rejects(
    () => diceFromTensors(pred, empty),
    /Error in diceFromTensors: pred and truth must have the same shape \[2,4,4,1\]/,
  );
  tf.dispose([pred, truth, empty]);
});

Deno.test("bad inputs give named errors", () => {
  assert.throws(
    () => confusionCounts([0.1, 0.2], [0, 255]),
    /Cannot count confusions as truth values must be 0 or 1: current value is 255 at 1/,
  );
  assert.throws(
    () => confusionCounts([0.1], [0, 1]),
    /Cannot count confusions as pred and truth must have the same length 2: current value is 1/,
  );
  assert.throws(() => confusionCounts([NaN], [0]), /current value is NaN at 0/);
  assert.throws(
    () => segmentationMetrics({ tp: 1, fp: 0, fn: 0, tn: 0 }, { emptyPolicy: "half" as "one" }),
    /emptyPolicy must be "one", "zero" or "nan": current value is "half"/,
  );
  assert.throws(() => segmentationMetrics({ tp: -1, fp: 0, fn: 0, tn: 0 }), /tp must be a non/);
  assert.throws(() => evaluateMasks([]), /at least one pair is needed: current value is 0/);
  assert.throws(
    () => evaluateMasks([{ id: "x7", pred: [0.2], truth: [2] }]),
    /current value is 2 at 0 \(image x7\)/,
  );
});
