/**
 * Label Studio brush masks: its RLE format (thi.ng rle-pack, as decoded by
 * label-studio-converter's `brush.decode_rle`) and the brush results of a JSON export.
 *
 * The RLE is a big-endian bit stream over bytes: a 32-bit count of values, the word size
 * minus 1 (5 bits), four run-length field sizes minus 1 (4 bits each), then chunks until
 * the count is reached: 1 flag bit, 2 bits choosing a length field size, that many bits
 * holding length - 1; flag 1 means one word repeated `length` times, flag 0 means
 * `length` literal words. The values are an RGBA image of width * height pixels, row-major.
 *
 * @module
 */

/** Reads big-endian bit fields from an array of bytes. */
class _BitReader {
  position = 0;
  constructor(private readonly bytes: number[]) {}

  read(bits: number): number {
    let value = 0;
    for (let k = 0; k < bits; k++, this.position++) {
      const byte = this.bytes[this.position >> 3];
      if (byte === undefined) {
        throw new SyntaxError(
          `Cannot decode Label Studio RLE as it ends inside a field: current value is ` +
            `${this.bytes.length} bytes, read up to bit ${this.position}`,
        );
      }
      value = value * 2 + ((byte >> (7 - (this.position & 7))) & 1);
    }
    return value;
  }
}

/**
 * Decodes a Label Studio brush RLE into one value per pixel: the alpha (4th) channel of
 * the RGBA image it encodes, 0..255 (Label Studio paints brushes opaque, so 255 inside;
 * use {@linkcode labelStudioMask} for 0/1). Throws RangeError if the RLE does not hold
 * width * height * 4 values, SyntaxError if it is cut short or not bytes.
 *
 * @example
 * ```ts
 * import { decodeLabelStudioRle } from "./label_studio_rle.ts";
 * // 2x1 RGBA = 8 values: a run of 4 zeros, then a run of 4 x 255 (word size 8, sizes 4).
 * const rle = [0, 0, 0, 8, 0x39, 0x99, 0x9c, 0x30, 0x08, 0x7f, 0xe0];
 * console.assert(decodeLabelStudioRle(rle, 2, 1).join() === "0,255");
 * ```
 */
export function decodeLabelStudioRle(rle: number[], width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(
      `Cannot decode Label Studio RLE as width and height must be positive integers: ` +
        `current value is ${width}x${height}`,
    );
  }
  const bad = rle.findIndex((b) => !Number.isInteger(b) || b < 0 || b > 255);
  if (bad >= 0) {
    throw new SyntaxError(
      `Cannot decode Label Studio RLE as its values must be bytes 0..255: ` +
        `current value at index ${bad} is ${rle[bad]}`,
    );
  }
  const input = new _BitReader(rle);
  const count = input.read(32);
  if (count !== width * height * 4) {
    throw new RangeError(
      `Cannot decode Label Studio RLE as it must hold width x height x 4 = ` +
        `${width}x${height}x4 values: current value is ${count}`,
    );
  }
  const wordSize = input.read(5) + 1;
  if (wordSize > 8) {
    throw new SyntaxError(
      `Cannot decode Label Studio RLE as its words must be at most 8 bits: current value is ${wordSize}`,
    );
  }
  const lengthSizes = [0, 1, 2, 3].map(() => input.read(4) + 1);
  // Only every 4th value (alpha) is kept: value index k is pixel k >> 2 when k % 4 == 3.
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < count;) {
    const repeated = input.read(1) === 1;
    const end = Math.min(count, i + 1 + input.read(lengthSizes[input.read(2)]));
    if (repeated) {
      const value = input.read(wordSize);
      // Alpha indices 4p + 3 in [i, end) are pixels p in [i >> 2, end >> 2).
      if (value !== 0) alpha.fill(value, i >> 2, end >> 2);
      i = end;
    } else {
      for (; i < end; i++) {
        const value = input.read(wordSize);
        if ((i & 3) === 3) alpha[i >> 2] = value;
      }
    }
  }
  return alpha;
}

/**
 * Decodes a Label Studio brush RLE to a 0/1 mask (width * height): 1 where the alpha
 * channel is above 127, as the masks are binarised everywhere else in the pipeline.
 *
 * @example
 * ```ts
 * import { labelStudioMask } from "./label_studio_rle.ts";
 * const rle = [0, 0, 0, 8, 0x39, 0x99, 0x9c, 0x30, 0x08, 0x7f, 0xe0];
 * console.assert(labelStudioMask(rle, 2, 1).join() === "0,1");
 * ```
 */
export function labelStudioMask(rle: number[], width: number, height: number): Uint8Array {
  const alpha = decodeLabelStudioRle(rle, width, height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = alpha[i] > 127 ? 1 : 0;
  return alpha;
}

/** One brush result of a Label Studio export. */
export interface LabelStudioBrush {
  /** The task's image as exported, e.g. "/data/upload/1/71ff4eec-T19_Image5.jpg". */
  image: string;
  /** The file name without folders, extension or the 8-hex upload prefix: "T19_Image5". */
  stem: string;
  /** The annotated image's size (the result's original_width/original_height). */
  width: number;
  height: number;
  rle: number[];
  /** The first brush label, e.g. "glomerulus". */
  label?: string;
  /** The task id, where the export has one. */
  taskId?: number;
}

function _record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** "/data/upload/1/71ff4eec-T19_Image5.jpg?x=1" -> "T19_Image5". */
function _stem(image: string): string {
  let name = image.split(/[?#]/)[0].split("/").pop() ?? image;
  try {
    name = decodeURIComponent(name);
  } catch {
    // a name with a stray % stays as it is
  }
  return name.replace(/\.[^.]*$/, "").replace(/^[0-9a-f]{8}-/, "");
}

/**
 * Lists the brush results of a Label Studio JSON export (an array of tasks, or one task):
 * every `brushlabels` result of every annotation that was not cancelled, in file order.
 * Predictions are not included. Throws TypeError naming the task and result when a brush
 * lacks its RLE or size.
 *
 * @example
 * ```ts
 * import { readLabelStudioBrushes } from "./label_studio_rle.ts";
 * const task = {
 *   id: 8,
 *   data: { image: "/data/upload/1/cad5821b-T19_Image0.jpg" },
 *   annotations: [{ result: [{
 *     type: "brushlabels", to_name: "image", original_width: 2, original_height: 1,
 *     value: { format: "rle", rle: [0, 0, 0, 8], brushlabels: ["glomerulus"] },
 *   }] }],
 * };
 * const [brush] = readLabelStudioBrushes([task]);
 * console.assert(brush.stem === "T19_Image0" && brush.label === "glomerulus" && brush.width === 2);
 * ```
 */
export function readLabelStudioBrushes(json: unknown): LabelStudioBrush[] {
  const tasks = Array.isArray(json) ? json : [json];
  const brushes: LabelStudioBrush[] = [];
  tasks.forEach((value, taskIndex) => {
    const task = _record(value);
    if (task === undefined) {
      throw new TypeError(
        `Cannot read Label Studio brushes as each task must be an object: ` +
          `current value at task ${taskIndex} is ${JSON.stringify(value)?.slice(0, 80)}`,
      );
    }
    const data = _record(task.data) ?? {};
    const annotations = Array.isArray(task.annotations) ? task.annotations : [];
    for (const annotationValue of annotations) {
      const annotation = _record(annotationValue);
      if (annotation === undefined || annotation.was_cancelled === true) continue;
      const results = Array.isArray(annotation.result) ? annotation.result : [];
      results.forEach((resultValue, resultIndex) => {
        const result = _record(resultValue);
        if (result?.type !== "brushlabels") return;
        const where = `task ${task.id ?? taskIndex}, result ${resultIndex}`;
        const brush = _record(result.value) ?? {};
        const { original_width: width, original_height: height } = result;
        if (!Array.isArray(brush.rle) || typeof width !== "number" || typeof height !== "number") {
          throw new TypeError(
            `Cannot read the Label Studio brush of ${where} as it needs value.rle, ` +
              `original_width and original_height: current value is ` +
              `rle ${Array.isArray(brush.rle) ? "present" : "missing"}, size ${width}x${height}`,
          );
        }
        const toName = typeof result.to_name === "string" ? result.to_name : "image";
        const image = [data[toName], data.image, task.file_upload].find((v) =>
          typeof v === "string"
        ) as string | undefined ?? "";
        const labels = Array.isArray(brush.brushlabels) ? brush.brushlabels : [];
        brushes.push({
          image,
          stem: _stem(image),
          width,
          height,
          rle: brush.rle as number[],
          ...(typeof labels[0] === "string" ? { label: labels[0] } : {}),
          ...(typeof task.id === "number" ? { taskId: task.id } : {}),
        });
      });
    }
  });
  return brushes;
}
