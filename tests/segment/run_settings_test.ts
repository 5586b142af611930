import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config/mod.ts";
import { IMAGENET_NORMALIZATION } from "../../lib/image/normalization.ts";
import {
  matchMasks,
  MissingMaskError,
  pathBaseName,
  pathStem,
  runNormalization,
  segmentConfigFromRun,
} from "../../lib/segment/mod.ts";

Deno.test("segmentConfigFromRun: the run's config, then files, env and sets on top", () => {
  const saved = { data: { mask_suffix: "_gt" }, infer: { threshold: 0.75, tile: 256 } };
  const plain = segmentConfigFromRun(saved);
  assert.equal(plain.data.mask_suffix, "_gt");
  assert.equal(plain.infer.threshold, 0.75);
  assert.equal(plain.infer.tile, 256);

  const config = segmentConfigFromRun(saved, {
    files: [{ source: "extra.toml", text: "[infer]\nthreshold = 0.5\ntile = 128\n" }],
    env: { WORKBENCH_INFER__TILE: "64", UNRELATED: "x" },
    sets: ["infer.threshold=0.4"],
  });
  assert.equal(config.infer.threshold, 0.4); // --set beats the file
  assert.equal(config.infer.tile, 64); // env beats the file
  assert.equal(config.data.mask_suffix, "_gt");
  // The saved config is not changed.
  assert.equal(saved.infer.threshold, 0.75);
});

Deno.test("segmentConfigFromRun: a bad override is a ConfigError naming it", () => {
  assert.throws(
    () => segmentConfigFromRun({}, { sets: ["infer.treshold=0.5"] }),
    (error) => error instanceof ConfigError && /threshold/.test(error.message),
  );
  assert.throws(
    () => segmentConfigFromRun({ infer: { threshold: "high" } }, { source: "runs/x/run.json" }),
    (error) => error instanceof ConfigError && /runs\/x\/run\.json/.test(error.message),
  );
});

Deno.test("runNormalization: the run's statistics, else ImageNet's", () => {
  const grey = { mean: [0.5], std: [0.25] };
  assert.equal(runNormalization({ inputNormalization: grey }), grey);
  assert.equal(runNormalization({}), IMAGENET_NORMALIZATION);
  assert.equal(runNormalization({ inputNormalization: undefined }), IMAGENET_NORMALIZATION);
});

Deno.test("pathBaseName and pathStem of /-separated paths", () => {
  assert.equal(pathBaseName("a/b/c.png"), "c.png");
  assert.equal(pathBaseName("c.png"), "c.png");
  assert.equal(pathStem("a/b/T19_Image0.jpg"), "T19_Image0");
  assert.equal(pathStem("a.b.tif"), "a.b");
  assert.equal(pathStem("noext"), "noext");
  assert.equal(pathStem(".png"), ".png");
});

Deno.test("matchMasks: <stem><suffix>, then the other suffixes, then <stem>", () => {
  const names = ["A_mask.png", "A.png", "B.jpg", "C_gt.tif", "C_mask.tif", "notes.txt"];
  assert.deepEqual(
    [...matchMasks(["A", "B"], names, "_mask")],
    [["A", "A_mask.png"], ["B", "B.jpg"]],
  );
  // Without alsoTry, C's `_mask` file is not one of its masks.
  assert.deepEqual([...matchMasks(["C"], names, "_gt")], [["C", "C_gt.tif"]]);
  assert.deepEqual(
    [...matchMasks(["A", "C"], names, "_x", { alsoTry: ["_mask"] })],
    [["A", "A_mask.png"], ["C", "C_mask.tif"]],
  );
  // "" suffix: masks named as their images; paths are kept as given.
  assert.deepEqual([...matchMasks(["00"], ["gt/00.png"], "")], [["00", "gt/00.png"]]);
  // Only images count, and a later mask of the same stem wins.
  assert.throws(() => matchMasks(["notes"], names, ""), RangeError);
  assert.deepEqual([...matchMasks(["D"], ["D.png", "x/D.tif"], "")], [["D", "x/D.tif"]]);
});

Deno.test("matchMasks: a missing mask is a RangeError naming the stem", () => {
  const names = Array.from({ length: 7 }, (_, i) => `dir/m${i}.png`);
  assert.throws(() => matchMasks(["m1", "T20_Image0"], names, "_mask"), (error) => {
    assert.ok(error instanceof RangeError && error instanceof MissingMaskError);
    assert.equal(error.name, "RangeError");
    assert.equal(error.stem, "T20_Image0");
    assert.equal(error.suffix, "_mask");
    assert.equal(
      error.message,
      "Cannot evaluate image T20_Image0 as the masks must include T20_Image0_mask.<png|jpg|tif>" +
        ": current value is m0.png, m1.png, m2.png, m3.png, m4.png, ... (7 masks)",
    );
    return true;
  });
  assert.throws(
    () => matchMasks(["x"], [], ""),
    /must include x\.<png\|jpg\|tif>: current value is $/,
  );
});
