import assert from "node:assert/strict";
import {
  accuracy,
  balancedAccuracy,
  classificationMetrics,
  confusionMatrix,
  isImprovement,
  macroF1,
  meanAbsoluteError,
  metricDirection,
  regressionMetrics,
  rocAuc,
  rootMeanSquaredError,
} from "../../lib/classify/mod.ts";

interface Goldens {
  classification: {
    name: string;
    y_true: number[];
    y_pred: number[];
    num_classes: number;
    accuracy: number;
    balanced_accuracy: number;
    macro_f1: number;
    confusion_matrix: number[][];
  }[];
  auroc: { name: string; y_true: number[]; scores: number[]; auroc: number }[];
  regression: { name: string; y_true: number[]; y_pred: number[]; mae: number; rmse: number }[];
}

const GOLDENS: Goldens = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/metric_goldens.json", import.meta.url)),
);

function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${label}: ${actual} vs sklearn ${expected}`);
}

Deno.test("classification metrics equal scikit-learn", () => {
  for (const c of GOLDENS.classification) {
    assertClose(accuracy(c.y_true, c.y_pred), c.accuracy, `${c.name} accuracy`);
    assertClose(balancedAccuracy(c.y_true, c.y_pred), c.balanced_accuracy, `${c.name} balanced`);
    assertClose(macroF1(c.y_true, c.y_pred), c.macro_f1, `${c.name} macro-F1`);
    assert.deepEqual(
      confusionMatrix(c.y_true, c.y_pred, c.num_classes),
      c.confusion_matrix,
      c.name,
    );
  }
});

Deno.test("AUROC equals scikit-learn, ties included", () => {
  for (const c of GOLDENS.auroc) assertClose(rocAuc(c.y_true, c.scores), c.auroc, c.name);
  assert.ok(Number.isNaN(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])), "one class: NaN");
});

Deno.test("MAE and RMSE equal scikit-learn", () => {
  for (const c of GOLDENS.regression) {
    assertClose(meanAbsoluteError(c.y_true, c.y_pred), c.mae, `${c.name} MAE`);
    assertClose(rootMeanSquaredError(c.y_true, c.y_pred), c.rmse, `${c.name} RMSE`);
  }
});

Deno.test("task metrics leave out missing rows and use argmax predictions", () => {
  const c = GOLDENS.classification[1]; // three classes
  // One-hot-ish probabilities of the golden predictions, plus two unlabelled rows.
  const targets = [...c.y_true, -1, -1];
  const probs = [...c.y_pred, 2, 0].flatMap((p) => [0, 1, 2].map((k) => (k === p ? 0.7 : 0.15)));
  const m = classificationMetrics(targets, probs, 3);
  assert.equal(m.n, c.y_true.length);
  assertClose(m.accuracy, c.accuracy, "accuracy");
  assertClose(m.balanced_accuracy, c.balanced_accuracy, "balanced");
  assertClose(m.macro_f1, c.macro_f1, "macro-F1");
  assert.deepEqual(m.confusion_matrix, c.confusion_matrix);
  assert.equal(m.auroc, undefined, "AUROC only for binary tasks");

  const binary = GOLDENS.auroc[1];
  const probs2 = binary.scores.flatMap((s) => [1 - s, s]);
  assertClose(classificationMetrics(binary.y_true, probs2, 2).auroc!, binary.auroc, "binary AUROC");

  const empty = classificationMetrics([-1, -1], [0.5, 0.5, 0.2, 0.8], 2);
  assert.equal(empty.n, 0);
  assert.ok(Number.isNaN(empty.accuracy) && Number.isNaN(empty.auroc!));
  assert.deepEqual(empty.confusion_matrix, [[0, 0], [0, 0]]);

  const r = GOLDENS.regression[0];
  const reg = regressionMetrics([...r.y_true, NaN], [...r.y_pred, 1e9]);
  assert.equal(reg.n, r.y_true.length);
  assertClose(reg.mae, r.mae, "MAE");
  assertClose(reg.rmse, r.rmse, "RMSE");
  assert.deepEqual(regressionMetrics([NaN], [1]), { n: 0, mae: NaN, rmse: NaN });
});

Deno.test("metric directions: lower errors and losses, higher scores; unknown names throw", () => {
  for (const key of ["loss", "age.mae", "age.rmse", "gender.loss"]) {
    assert.equal(metricDirection(key), "min", key);
  }
  for (
    const key of [
      "gender.accuracy",
      "gender.balanced_accuracy",
      "health.macro_f1",
      "x.auroc",
      "mask.dice",
      "mask.iou",
    ]
  ) {
    assert.equal(metricDirection(key), "max", key);
  }
  assert.throws(() => metricDirection("age.mea"), /did you mean "mae"/);
  assert.throws(() => metricDirection("f2"), RangeError);
  assert.ok(isImprovement(3, 4, "min") && !isImprovement(4, 3, "min"));
  assert.ok(isImprovement(0.9, 0.8, "max") && !isImprovement(0.8, 0.8, "max"));
  assert.ok(!isImprovement(NaN, 1, "min") && isImprovement(1, NaN, "min"));
  assert.ok(!isImprovement(0.85, 0.8, "max", 0.1));
});

Deno.test("metrics reject mismatched or invalid inputs", () => {
  assert.throws(() => accuracy([0, 1], [0]), /same non-zero length/);
  assert.throws(() => accuracy([], []), RangeError);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 2), /\[0, 2\).*row 1 is 3/);
  assert.throws(() => rocAuc([0, 2], [0.1, 0.2]), /0 or 1/);
  assert.throws(() => classificationMetrics([0], [0.5], 2), /\[1, 2\]/);
});
