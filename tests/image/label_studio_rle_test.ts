import assert from "node:assert/strict";
import {
  binarizeMask,
  decodeJpeg,
  decodeLabelStudioRle,
  labelStudioMask,
  readLabelStudioBrushes,
} from "../../lib/image/mod.ts";

// Goldens from tests/image/make_label_studio_goldens.py (a Python port of
// label-studio-converter's brush.decode_rle; Dice against PIL-decoded mask JPEGs).
const GOLDENS = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/label_studio_goldens.json", import.meta.url)),
);
const DATA = new URL("../../../shared/data/seg/glomeruli/", import.meta.url);
const EXPORT = JSON.parse(
  await Deno.readTextFile(new URL("labelstudio_annotations_T19.json", DATA)),
);

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("readLabelStudioBrushes lists the 12 T19 brushes with their image stems", () => {
  const brushes = readLabelStudioBrushes(EXPORT);
  assert.equal(brushes.length, 12);
  assert.deepEqual(
    { ...brushes[0], rle: brushes[0].rle.length },
    {
      image: "/data/upload/1/71ff4eec-T19_Image5.jpg",
      stem: "T19_Image5",
      width: 2448,
      height: 2048,
      rle: 4395,
      label: "glomerulus",
      taskId: 1,
    },
  );
  assert.deepEqual(
    brushes.map((b) => b.stem),
    GOLDENS.brushes.map((b: { stem: string }) => b.stem),
  );
});

Deno.test("every T19 brush decodes to the same alpha bytes as brush.py's algorithm", async () => {
  const brushes = readLabelStudioBrushes(EXPORT);
  for (const [i, brush] of brushes.entries()) {
    const golden = GOLDENS.brushes[i];
    const alpha = decodeLabelStudioRle(brush.rle, brush.width, brush.height);
    assert.equal(await sha256(alpha), golden.sha256, brush.stem);
    const seen = new Uint8Array(256);
    for (let k = 0; k < alpha.length; k++) seen[alpha[k]] = 1;
    assert.deepEqual(golden.alphaValues, [...seen.keys()].filter((v) => seen[v]));
    const mask = labelStudioMask(brush.rle, brush.width, brush.height);
    let above = 0;
    for (let k = 0; k < mask.length; k++) above += mask[k];
    assert.equal(above, golden.above127, brush.stem);
  }
});

Deno.test("T19 brushes agree with their mask JPEGs by Dice > 0.6, as in Python", async () => {
  // Python (PIL masks): 0.7315 (Image5), 0.9478, 0.9442, 0.8496, 0.9176, 0.9466, 0.9104,
  // 0.9612 (Image0), 0.8822, 0.9613, 0.9561, 0.8150 (Image999): the brushes and the
  // exported masks were drawn separately and agree only roughly.
  for (const [i, brush] of readLabelStudioBrushes(EXPORT).entries()) {
    const bytes = await Deno.readFile(new URL(`masks/${brush.stem}_mask.jpg`, DATA));
    const truth = binarizeMask(decodeJpeg(bytes, { source: `${brush.stem}_mask.jpg` }));
    const painted = labelStudioMask(brush.rle, brush.width, brush.height);
    let both = 0, p = 0, t = 0;
    for (let k = 0; k < painted.length; k++) {
      both += painted[k] & truth[k];
      p += painted[k];
      t += truth[k];
    }
    const dice = (2 * both) / (p + t);
    assert.ok(dice > 0.6, `${brush.stem}: Dice ${dice}`);
    // Our mask JPEG decode differs from PIL's by a few pixels at 127/128 only.
    assert.ok(Math.abs(dice - GOLDENS.brushes[i].dice) < 1e-4, `${brush.stem}: ${dice}`);
  }
});

Deno.test("literal chunks decode too (a synthetic 7x5 RLE checked in Python)", () => {
  const { width, height, rle, alpha, chunks } = GOLDENS.synthetic;
  assert.ok(chunks.literal > 0 && chunks.repeat > 0);
  assert.deepEqual(Array.from(decodeLabelStudioRle(rle, width, height)), alpha);
  assert.deepEqual(
    Array.from(labelStudioMask(rle, width, height)),
    alpha.map((v: number) => (v > 127 ? 1 : 0)),
  );
});

Deno.test("bad RLE and bad exports give named errors", () => {
  const { width, height, rle } = GOLDENS.synthetic;
  assert.throws(
    () => decodeLabelStudioRle(rle, width + 1, height),
    /^RangeError: Cannot decode Label Studio RLE as it must hold width x height x 4 = 8x5x4 values: current value is 140$/,
  );
  assert.throws(
    () => decodeLabelStudioRle(rle.slice(0, 40), width, height),
    /^SyntaxError: Cannot decode Label Studio RLE as it ends inside a field: current value is 40 bytes/,
  );
  assert.throws(
    () => decodeLabelStudioRle([0, 0, 300], 1, 1),
    /^SyntaxError: .*must be bytes 0\.\.255: current value at index 2 is 300$/,
  );
  assert.throws(() => decodeLabelStudioRle(rle, 0, 5), /^RangeError: .*current value is 0x5$/);
  assert.throws(() => readLabelStudioBrushes([42]), /^TypeError: .*current value at task 0 is 42$/);
  const noRle = { id: 3, annotations: [{ result: [{ type: "brushlabels", value: {} }] }] };
  assert.throws(
    () => readLabelStudioBrushes(noRle),
    /^TypeError: Cannot read the Label Studio brush of task 3, result 0 as it needs value\.rle/,
  );
});

Deno.test("readLabelStudioBrushes skips cancelled annotations and other result types", () => {
  const brush = {
    type: "brushlabels",
    original_width: 7,
    original_height: 5,
    value: { format: "rle", rle: GOLDENS.synthetic.rle, brushlabels: ["glomerulus"] },
  };
  const task = {
    file_upload: "0a1b2c3d-T20_Image7.jpg",
    data: {},
    annotations: [
      { was_cancelled: true, result: [brush] },
      { result: [{ type: "choices", value: { choices: ["1"] } }, brush] },
    ],
    predictions: [{ result: [brush] }],
  };
  const brushes = readLabelStudioBrushes(task);
  assert.equal(brushes.length, 1);
  assert.equal(brushes[0].image, "0a1b2c3d-T20_Image7.jpg");
  assert.equal(brushes[0].stem, "T20_Image7");
  assert.equal(brushes[0].taskId, undefined);
});
