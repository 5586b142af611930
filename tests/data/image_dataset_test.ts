import assert from "node:assert/strict";
import { openImageDataset } from "../../lib/data/image_dataset.ts";
import { labelSpec } from "../../lib/data/label_registry.ts";
import { encodePng } from "../../lib/image/png_encode.ts";
import { MemoryStorage } from "../../lib/io/memory_storage.ts";

/** A 2x2 greyscale dataset: rows [subject, task_state, pixel values]. */
async function tinyDataset(
  rows: [string, string, number[]][],
  columns = "file_name,split,subject,task_state",
): Promise<MemoryStorage> {
  const files = new MemoryStorage();
  const lines = [columns];
  for (const [i, [subject, state, values]] of rows.entries()) {
    const name = `images/w${i}.png`;
    await files.writeBytes(
      name,
      encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: Uint8Array.from(values) }),
    );
    lines.push(
      columns.includes("subject") ? `${name},test,${subject},${state}` : `${name},test,${state}`,
    );
  }
  const text = lines.join("\n") + "\n";
  await files.writeText("metadata.csv", text);
  await files.writeText("test-metadata.csv", text);
  return files;
}

Deno.test("subject centering subtracts each subject's mean image, labels untouched", async () => {
  const files = await tinyDataset([
    ["A", "rest", [0, 51, 102, 255]],
    ["A", "arithmetic", [102, 51, 0, 255]],
    ["B", "rest", [255, 255, 255, 255]],
  ]);
  const tasks = [labelSpec("task_state")];
  const roots = [{ name: "tiny", files }];
  const plain = await openImageDataset(roots, "test", tasks);
  const centred = await openImageDataset(roots, "test", tasks, { subjectCentering: true });
  assert.deepEqual(centred.normalization, { scale: 1 / 255, offset: 0, subjectCentering: true });
  assert.equal(plain.normalization.subjectCentering, false);
  const [a, b] = [await plain.source.batch([0, 1, 2]), await centred.source.batch([0, 1, 2])];
  const x = Array.from(await b.x.data(), (v) => Math.round(v * 255) + 0); // + 0: no -0
  // Subject A's mean image is [51, 51, 51, 255]; B's only window is its own mean.
  assert.deepEqual(x, [-51, 0, 51, 0, 51, 0, -51, 0, 0, 0, 0, 0]);
  assert.deepEqual(b.targets, a.targets);
  assert.deepEqual(
    Array.from(await a.x.data(), (v) => Math.round(v * 255)),
    [0, 51, 102, 255, 102, 51, 0, 255, 255, 255, 255, 255],
  );
  a.x.dispose();
  b.x.dispose();
});

Deno.test("subject centering without a subject column names the file and row", async () => {
  const files = await tinyDataset([["", "rest", [1, 2, 3, 4]]], "file_name,split,task_state");
  await assert.rejects(
    openImageDataset([{ name: "tiny", files }], "test", [labelSpec("task_state")], {
      subjectCentering: true,
    }),
    /tiny\/test-metadata\.csv row 2 by subject as data\.subject_centering needs a subject/,
  );
});
