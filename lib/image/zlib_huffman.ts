/**
 * A zlib stream (RFC 1950) whose deflate blocks (RFC 1951) hold literals only, each block
 * with its own Huffman code: "Huffman-only" compression, as zlib's Z_HUFFMAN_ONLY strategy.
 *
 * Why: row-filtered spectrogram images are noise-like; string matching (LZ77) finds almost
 * nothing in them. On 42 real Math windows the order-0 entropy of the Up-filtered bytes is
 * 1.634 MB and zlib level 1 writes 1.643 MB, so a literal-only code loses nothing there,
 * while skipping the match search makes PNG encoding several times faster (it was about a
 * quarter of the preprocessing time with fflate at level 1).
 *
 * @module
 */

/** Input bytes per deflate block: each block gets a code fitted to its own statistics. */
const _BLOCK_BYTES = 1 << 17;
/** Literal/length alphabet used here: bytes 0..255 and end-of-block (256). */
const _SYMBOLS = 257;
const _END_OF_BLOCK = 256;
/** RFC 1951 limits: literal codes up to 15 bits, code-length codes up to 7. */
const _MAX_BITS = 15;
const _MAX_CL_BITS = 7;
/** The order in which code-length code lengths are stored (RFC 1951, 3.2.7). */
const _CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** LSB-first bit packing, as deflate stores everything but Huffman codes' bit order. */
class _BitWriter {
  bytes: Uint8Array;
  length = 0;
  /** Pending bits (fewer than 8 between calls), lowest first. */
  buffer = 0;
  bits = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Appends the low `count` bits of `value` (count <= 16). */
  write(value: number, count: number): void {
    this.buffer |= value << this.bits;
    this.bits += count;
    while (this.bits >= 8) {
      if (this.length === this.bytes.length) this.reserve(1);
      this.bytes[this.length++] = this.buffer & 0xff;
      this.buffer >>>= 8;
      this.bits -= 8;
    }
  }

  /** Pads to a whole byte with zero bits. */
  flush(): void {
    if (this.bits > 0) this.write(0, 8 - this.bits);
  }

  /** Makes room for at least `count` more bytes. */
  reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count) + 64);
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }
}

/**
 * Code lengths (at most `maxBits`) for symbols with the given frequencies: Huffman's
 * lengths, then, if some exceed the limit, the counts per length repaired as miniz does
 * (tdefl_huffman_enforce_max_code_size), with the shortest codes going to the most frequent
 * symbols. Symbols with frequency 0 get length 0. At least two symbols must be used.
 */
export function _codeLengths(frequencies: Uint32Array, maxBits: number): Uint8Array {
  const used: number[] = [];
  for (let s = 0; s < frequencies.length; s++) if (frequencies[s] > 0) used.push(s);
  // Most frequent first; ties by symbol, so the result never depends on sort stability.
  used.sort((a, b) => frequencies[b] - frequencies[a] || a - b);
  const n = used.length;
  const lengths = new Uint8Array(frequencies.length);
  // Huffman's algorithm with two queues over the ascending weights: leaves (from the end
  // of `used`) and merged nodes (created in ascending order). parent[] links the tree.
  const weight = new Float64Array(2 * n);
  const parent = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) weight[i] = frequencies[used[n - 1 - i]];
  let leaf = 0, node = n, next = n;
  const takeSmallest = () => {
    if (leaf < n && (node >= next || weight[leaf] <= weight[node])) return leaf++;
    return node++;
  };
  for (; next < 2 * n - 1; next++) {
    const a = takeSmallest(), b = takeSmallest();
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
  }
  const depth = new Int32Array(2 * n);
  for (let i = 2 * n - 3; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
  // Counts per length, lengths over the limit folded into it, then the Kraft sum repaired.
  const counts = new Int32Array(Math.max(maxBits, 32) + 1);
  for (let i = 0; i < n; i++) counts[Math.min(depth[i], maxBits)]++;
  let total = 0;
  for (let bits = 1; bits <= maxBits; bits++) total += counts[bits] << (maxBits - bits);
  while (total > 1 << maxBits) {
    counts[maxBits]--;
    for (let bits = maxBits - 1; bits > 0; bits--) {
      if (counts[bits] > 0) {
        counts[bits]--;
        counts[bits + 1] += 2;
        break;
      }
    }
    total--;
  }
  // Hand out the lengths, shortest to the most frequent.
  let k = 0;
  for (let bits = 1; bits <= maxBits; bits++) {
    for (let c = 0; c < counts[bits]; c++) lengths[used[k++]] = bits;
  }
  return lengths;
}

/** Canonical codes (RFC 1951, 3.2.2), bit-reversed so they can be written LSB first. */
function _reversedCodes(lengths: Uint8Array): Uint16Array {
  const counts = new Uint16Array(_MAX_BITS + 1);
  for (const length of lengths) if (length > 0) counts[length]++;
  const nextCode = new Uint16Array(_MAX_BITS + 2);
  for (let bits = 1, code = 0; bits <= _MAX_BITS; bits++) {
    code = (code + counts[bits - 1]) << 1;
    nextCode[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const length = lengths[s];
    if (length === 0) continue;
    let code = nextCode[length]++, reversed = 0;
    for (let b = 0; b < length; b++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    codes[s] = reversed;
  }
  return codes;
}

/** Makes sure at least two symbols are used (a one-symbol Huffman code is incomplete). */
function _atLeastTwo(frequencies: Uint32Array): void {
  let used = 0;
  for (const f of frequencies) if (f > 0) used++;
  for (let s = 0; used < 2 && s < frequencies.length; s++) {
    if (frequencies[s] === 0) {
      frequencies[s] = 1;
      used++;
    }
  }
}

/** Writes one dynamic-Huffman block of literals `data[start, end)` (RFC 1951, 3.2.7). */
function _writeBlock(
  out: _BitWriter,
  data: Uint8Array,
  start: number,
  end: number,
  final: boolean,
): void {
  const frequencies = new Uint32Array(_SYMBOLS);
  for (let i = start; i < end; i++) frequencies[data[i]]++;
  frequencies[_END_OF_BLOCK] = 1;
  _atLeastTwo(frequencies);
  const lengths = _codeLengths(frequencies, _MAX_BITS);
  const codes = _reversedCodes(lengths);
  // Two distance codes of length 1: a complete (if unused) distance code, which every
  // inflater accepts.
  const distanceLengths = [1, 1];
  const allLengths = [...lengths, ...distanceLengths];
  // The code lengths are stored with the code-length code, plainly (no run-length symbols
  // 16-18: a few bytes more per block, and a simpler writer).
  const clFrequencies = new Uint32Array(19);
  for (const length of allLengths) clFrequencies[length]++;
  _atLeastTwo(clFrequencies);
  const clLengths = _codeLengths(clFrequencies, _MAX_CL_BITS);
  const clCodes = _reversedCodes(clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[_CL_ORDER[hclen - 1]] === 0) hclen--;

  out.write(final ? 1 : 0, 1); // BFINAL
  out.write(2, 2); // BTYPE 10: dynamic Huffman codes
  out.write(_SYMBOLS - 257, 5); // HLIT
  out.write(distanceLengths.length - 1, 5); // HDIST
  out.write(hclen - 4, 4); // HCLEN
  for (let i = 0; i < hclen; i++) out.write(clLengths[_CL_ORDER[i]], 3);
  for (const length of allLengths) out.write(clCodes[length], clLengths[length]);
  // The hot loop, with the writer's state in locals: codes are at most 15 bits, so with
  // fewer than 16 bits pending the accumulator stays below 2^30; two bytes go out at a time.
  out.reserve(Math.ceil(((end - start) * _MAX_BITS) / 8) + 4);
  const bytes = out.bytes;
  let buffer = out.buffer, bits = out.bits, length = out.length;
  for (let i = start; i < end; i++) {
    const symbol = data[i];
    buffer |= codes[symbol] << bits;
    bits += lengths[symbol];
    if (bits >= 16) {
      bytes[length++] = buffer & 0xff;
      bytes[length++] = (buffer >>> 8) & 0xff;
      buffer >>>= 16;
      bits -= 16;
    }
  }
  out.buffer = buffer;
  out.bits = bits;
  out.length = length;
  out.write(0, 0); // back to fewer than 8 pending bits
  out.write(codes[_END_OF_BLOCK], lengths[_END_OF_BLOCK]);
}

/** Adler-32 of `data` (RFC 1950), in blocks short enough that the sums stay exact. */
function _adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < data.length;) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Compresses `data` into a zlib stream of literal-only deflate blocks. Deterministic, and
 * readable by every zlib inflater.
 *
 * @example
 * ```ts
 * import { zlibHuffmanOnly } from "./zlib_huffman.ts";
 * import { inflateSync } from "node:zlib";
 * const data = new TextEncoder().encode("spectrogram spectrogram");
 * console.assert(new TextDecoder().decode(inflateSync(zlibHuffmanOnly(data))) === "spectrogram spectrogram");
 * ```
 */
export function zlibHuffmanOnly(data: Uint8Array): Uint8Array {
  const out = new _BitWriter(Math.ceil(data.length * 1.02) + 256);
  // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: "fastest" level, no dictionary,
  // (0x78 * 256 + 0x01) a multiple of 31 as the header check requires.
  out.write(0x78, 8);
  out.write(0x01, 8);
  let start = 0;
  do {
    const end = Math.min(data.length, start + _BLOCK_BYTES);
    _writeBlock(out, data, start, end, end === data.length);
    start = end;
  } while (start < data.length);
  out.flush();
  const adler = _adler32(data);
  for (const shift of [24, 16, 8, 0]) out.write((adler >>> shift) & 0xff, 8);
  return out.bytes.slice(0, out.length);
}
