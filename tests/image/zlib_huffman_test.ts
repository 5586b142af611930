import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { unzlibSync } from "fflate";
import { _codeLengths, zlibHuffmanOnly } from "../../lib/image/zlib_huffman.ts";
import { Rng } from "../../lib/runtime/rng.ts";

/** Inflates with two independent decoders (Node's zlib in Deno, and fflate). */
function inflateBoth(stream: Uint8Array): Uint8Array[] {
  return [new Uint8Array(inflateSync(stream)), unzlibSync(stream)];
}

function cases(): [string, Uint8Array][] {
  const rng = new Rng(3);
  const random = Uint8Array.from({ length: 70_000 }, () => Math.floor(rng.float() * 256));
  // Geometric-like bytes (a filtered image's shape), and Fibonacci frequencies, which give
  // Huffman lengths past 15 bits unless limited.
  const skewed = Uint8Array.from(
    { length: 300_000 },
    () => Math.min(255, Math.floor(-Math.log(rng.float() + 1e-12) * 6)),
  );
  const fib: number[] = [];
  for (let a = 1, b = 1, s = 0; s < 26; s++, [a, b] = [b, a + b]) {
    for (let k = 0; k < a; k++) fib.push(s);
  }
  return [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(7)],
    ["one value repeated", new Uint8Array(5000).fill(200)],
    ["two values", Uint8Array.from({ length: 999 }, (_, i) => (i % 3 === 0 ? 0 : 255))],
    ["random, two blocks", random],
    ["skewed, three blocks", skewed],
    ["Fibonacci frequencies", Uint8Array.from(fib)],
  ];
}

Deno.test("Huffman-only zlib streams inflate to the input with Node's zlib and with fflate", () => {
  for (const [name, data] of cases()) {
    const stream = zlibHuffmanOnly(data);
    for (const back of inflateBoth(stream)) assert.deepEqual(back, data, name);
  }
});

Deno.test("Huffman-only output is deterministic and near the order-0 entropy", () => {
  const rng = new Rng(5);
  const data = Uint8Array.from(
    { length: 65_536 },
    () => Math.floor(-Math.log(rng.float() + 1e-12) * 4) & 255,
  );
  assert.deepEqual(zlibHuffmanOnly(data), zlibHuffmanOnly(data));
  const counts = new Map<number, number>();
  for (const b of data) counts.set(b, (counts.get(b) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) bits -= c * Math.log2(c / data.length);
  const size = zlibHuffmanOnly(data).length;
  // Huffman codes are within one bit per symbol of the entropy; the header adds a little.
  assert.ok(size >= bits / 8 && size <= bits / 8 + data.length / 8 + 200, `${size} vs ${bits / 8}`);
});

Deno.test("code lengths respect the limit and form a complete prefix code", () => {
  const frequencies = new Uint32Array(30);
  for (let s = 0, a = 1, b = 1; s < 30; s++, [a, b] = [b, a + b]) frequencies[s] = a;
  for (const limit of [7, 15]) {
    const lengths = _codeLengths(frequencies, limit);
    assert.ok(Math.max(...lengths) <= limit);
    // Kraft equality: sum 2^-length = 1 exactly.
    const kraft = lengths.reduce((sum, l) => sum + (l > 0 ? 2 ** (limit - l) : 0), 0);
    assert.equal(kraft, 2 ** limit, `limit ${limit}`);
    // More frequent symbols never get longer codes.
    for (let s = 1; s < 30; s++) assert.ok(lengths[s] <= lengths[s - 1]);
  }
});
