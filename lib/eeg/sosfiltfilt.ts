/**
 * IIR filtering with second-order sections, as scipy.signal's `sosfilt`, `sosfilt_zi`
 * and `sosfiltfilt` (the zero-phase forward-backward filter that `decimate` uses).
 *
 * @module
 */
import type { SecondOrderSections } from "./filter_design.ts";
import { biquadPairKernel } from "./biquad_pair_wasm.ts";

function _checkSos(sos: SecondOrderSections, caller: string): void {
  if (sos.length === 0 || sos.some((row) => row.length !== 6)) {
    throw new TypeError(
      `Error in ${caller}: sos must be [sections, 6] but got ` +
        `[${sos.length}, ${sos.map((row) => row.length).join("|")}]`,
    );
  }
  if (sos.some((row) => row[3] !== 1)) {
    throw new RangeError(
      `Cannot filter as every section's a0 must be 1: current values are ` +
        `${sos.map((row) => row[3]).join(", ")}`,
    );
  }
}

/**
 * Initial states of each section for a step response in steady state
 * (`scipy.signal.sosfilt_zi`): section s's `lfilter_zi`, scaled by the DC gain of the
 * sections before it. Returns `[sections, 2]` flattened.
 *
 * @example
 * ```ts
 * import { sosfiltZi } from "./sosfiltfilt.ts";
 * const zi = sosfiltZi([[0.5, 0.5, 0, 1, 0, 0]]);
 * console.assert(zi[0] === 0.5 && zi[1] === 0);
 * ```
 */
export function sosfiltZi(sos: SecondOrderSections): Float64Array {
  _checkSos(sos, "sosfiltZi");
  const zi = new Float64Array(2 * sos.length);
  let scale = 1;
  sos.forEach(([b0, b1, b2, _a0, a1, a2], s) => {
    // lfilter_zi solves (I - A^T) zi = b[1:] - a[1:] b0 with A the companion matrix of a:
    // [[1 + a1, -1], [a2, 1]] zi = [b1 - a1 b0, b2 - a2 b0].
    const r0 = b1 - a1 * b0;
    const r1 = b2 - a2 * b0;
    const det = 1 + a1 + a2;
    zi[2 * s] = scale * (r0 + r1) / det;
    zi[2 * s + 1] = scale * (r1 * (1 + a1) - a2 * r0) / det;
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  });
  return zi;
}

/**
 * Filters `x` in place through the sections (direct form II transposed, as
 * `scipy.signal.sosfilt`), starting from states `zi` multiplied by `ziScale`;
 * `backwards: true` runs from the last sample to the first (filtering the reversed signal
 * without reversing it).
 *
 * @example
 * ```ts
 * import { sosfiltInPlace } from "./sosfiltfilt.ts";
 * const x = new Float64Array([1, 0, 0]);
 * sosfiltInPlace([[1, 0, 0, 1, -0.5, 0]], x);
 * console.assert(x.join() === "1,0.5,0.25");
 * ```
 */
export function sosfiltInPlace(
  sos: SecondOrderSections,
  x: Float64Array,
  options: { zi?: Float64Array; ziScale?: number; backwards?: boolean } = {},
): void {
  _checkSos(sos, "sosfiltInPlace");
  const scale = options.ziScale ?? 1;
  // Sample by sample through four sections at a time, as scipy's loop: the four
  // recursions are independent within a sample, so the CPU overlaps their latencies.
  // Missing sections of the last group are identities (y = 1 x + 0, exact).
  for (let s0 = 0; s0 < sos.length; s0 += 4) {
    const c = new Float64Array(4 * 5);
    const z = new Float64Array(8);
    for (let j = 0; j < 4; j++) {
      const row = sos[s0 + j] ?? [1, 0, 0, 1, 0, 0];
      c.set([row[0], row[1], row[2], row[4], row[5]], 5 * j);
      if (s0 + j < sos.length && options.zi !== undefined) {
        z[2 * j] = options.zi[2 * (s0 + j)] * scale;
        z[2 * j + 1] = options.zi[2 * (s0 + j) + 1] * scale;
      }
    }
    if (options.backwards === true) _cascade4Backwards(c, z, x);
    else _cascade4(c, z, x);
  }
}

/** Four sections (coefficients b0 b1 b2 a1 a2 each) from states z, in place. */
function _cascade4(c: Float64Array, z: Float64Array, x: Float64Array): void {
  const [p0, p1, p2, p3, p4, q0, q1, q2, q3, q4] = c.subarray(0, 10);
  const [r0, r1, r2, r3, r4, s0, s1, s2, s3, s4] = c.subarray(10, 20);
  let [pz0, pz1, qz0, qz1, rz0, rz1, sz0, sz1] = z;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xp = x[i];
    const yp = p0 * xp + pz0;
    pz0 = p1 * xp - p3 * yp + pz1;
    pz1 = p2 * xp - p4 * yp;
    const yq = q0 * yp + qz0;
    qz0 = q1 * yp - q3 * yq + qz1;
    qz1 = q2 * yp - q4 * yq;
    const yr = r0 * yq + rz0;
    rz0 = r1 * yq - r3 * yr + rz1;
    rz1 = r2 * yq - r4 * yr;
    const ys = s0 * yr + sz0;
    sz0 = s1 * yr - s3 * ys + sz1;
    sz1 = s2 * yr - s4 * ys;
    x[i] = ys;
  }
}

/** {@linkcode _cascade4} from the last sample to the first (the backward pass). */
function _cascade4Backwards(c: Float64Array, z: Float64Array, x: Float64Array): void {
  const [p0, p1, p2, p3, p4, q0, q1, q2, q3, q4] = c.subarray(0, 10);
  const [r0, r1, r2, r3, r4, s0, s1, s2, s3, s4] = c.subarray(10, 20);
  let [pz0, pz1, qz0, qz1, rz0, rz1, sz0, sz1] = z;
  const n = x.length;
  for (let i = n - 1; i >= 0; i--) {
    const xp = x[i];
    const yp = p0 * xp + pz0;
    pz0 = p1 * xp - p3 * yp + pz1;
    pz1 = p2 * xp - p4 * yp;
    const yq = q0 * yp + qz0;
    qz0 = q1 * yp - q3 * yq + qz1;
    qz1 = q2 * yp - q4 * yq;
    const yr = r0 * yq + rz0;
    rz0 = r1 * yq - r3 * yr + rz1;
    rz1 = r2 * yq - r4 * yr;
    const ys = s0 * yr + sz0;
    sz0 = s1 * yr - s3 * ys + sz1;
    sz1 = s2 * yr - s4 * ys;
    x[i] = ys;
  }
}

/**
 * Zero-phase filtering as `scipy.signal.sosfiltfilt(sos, x)` with its defaults: odd
 * extension by padlen = 3 * (2 * sections + 1) samples at both ends (fewer when sections
 * have trailing zero coefficients, as scipy counts), forward filter from the steady state
 * scaled by the first sample, backward filter likewise, extension removed. The result is
 * a view into the padded buffer (no copy of the filtered signal).
 *
 * @example
 * ```ts
 * import { sosfiltfilt } from "./sosfiltfilt.ts";
 * const y = sosfiltfilt([[0.5, 0.5, 0, 1, 0, 0]], new Float64Array(20).fill(3));
 * console.assert(y.every((v) => Math.abs(v - 3) < 1e-12));
 * ```
 */
export function sosfiltfilt(sos: SecondOrderSections, x: ArrayLike<number>): Float64Array {
  _checkSos(sos, "sosfiltfilt");
  const n = x.length;
  const edge = _padLength(sos, n);
  // Odd extension: 2 x[0] - x[edge..1] before, 2 x[n-1] - x[n-2..n-1-edge] after.
  const ext = new Float64Array(n + 2 * edge);
  for (let i = 0; i < edge; i++) ext[i] = 2 * x[0] - x[edge - i];
  for (let i = 0; i < n; i++) ext[edge + i] = x[i];
  for (let i = 0; i < edge; i++) ext[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
  const zi = sosfiltZi(sos);
  sosfiltInPlace(sos, ext, { zi, ziScale: ext[0] });
  sosfiltInPlace(sos, ext, { zi, ziScale: ext[ext.length - 1], backwards: true });
  return ext.subarray(edge, edge + n);
}

/** scipy's sosfiltfilt padding: 3 * (2 * sections + 1), less for trailing zero coefficients. */
function _padLength(sos: SecondOrderSections, n: number): number {
  const zeroB2 = sos.filter((row) => row[2] === 0).length;
  const zeroA2 = sos.filter((row) => row[5] === 0).length;
  const edge = 3 * (2 * sos.length + 1 - Math.min(zeroB2, zeroA2));
  if (n <= edge) {
    throw new RangeError(
      `Cannot filter forwards and backwards as the signal must be longer than the padding ` +
        `of ${edge} samples: current value is ${n}`,
    );
  }
  return edge;
}

/** Where the pair kernel's parameters and data live in its memory (bytes). */
const _PARAMS = 0;
const _DATA = 512;

/**
 * {@linkcode sosfiltfilt} of each channel, bit-identical to filtering them one by one, but
 * two channels at a time (of equal length) in the lanes of the WebAssembly SIMD kernel of
 * biquad_pair_wasm.ts where that is available (about 2x faster); else one by one.
 *
 * @example
 * ```ts
 * import { sosfiltfilt, sosfiltfiltChannels } from "./sosfiltfilt.ts";
 * const sos = [[0.2, 0.3, 0.1, 1, -0.4, 0.1]];
 * const a = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
 * const b = a.map((v) => 2 * v + 1);
 * const [ya, yb] = sosfiltfiltChannels(sos, [a, b]);
 * console.assert(ya.every((v, i) => v === sosfiltfilt(sos, a)[i]));
 * console.assert(yb.every((v, i) => v === sosfiltfilt(sos, b)[i]));
 * ```
 */
export function sosfiltfiltChannels(
  sos: SecondOrderSections,
  channels: readonly ArrayLike<number>[],
  options: {
    /** Keep samples 0, every, 2 every, ... only (decimation's pick). Default 1: all. */
    every?: number;
  } = {},
): Float64Array[] {
  _checkSos(sos, "sosfiltfiltChannels");
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(
      `Cannot filter as every must be a positive integer: current value is ${every}`,
    );
  }
  const single = (x: ArrayLike<number>) => _pick(sosfiltfilt(sos, x), every);
  const kernel = biquadPairKernel();
  const out: Float64Array[] = [];
  let c = 0;
  for (; kernel !== null && c + 1 < channels.length; c += 2) {
    const a = channels[c], b = channels[c + 1];
    if (a.length !== b.length) {
      out.push(single(a), single(b));
      continue;
    }
    out.push(..._pairFiltfilt(kernel, sos, a, b, every));
  }
  for (; c < channels.length; c++) out.push(single(channels[c]));
  return out;
}

/** Samples 0, every, 2 every, ... of `x` (x itself when every is 1). */
function _pick(x: Float64Array, every: number): Float64Array {
  if (every === 1) return x;
  const out = new Float64Array(Math.ceil(x.length / every));
  for (let i = 0; i < out.length; i++) out[i] = x[i * every];
  return out;
}

/** sosfiltfilt of two equal-length channels in the pair kernel (see sosfiltfiltChannels). */
function _pairFiltfilt(
  kernel: NonNullable<ReturnType<typeof biquadPairKernel>>,
  sos: SecondOrderSections,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  every: number,
): [Float64Array, Float64Array] {
  const n = a.length;
  const edge = _padLength(sos, n);
  const m = n + 2 * edge;
  const bytes = _DATA + 16 * m;
  const { memory } = kernel;
  if (memory.buffer.byteLength < bytes) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  }
  const heap = new Float64Array(memory.buffer);
  const d0 = _DATA / 8;
  // The odd extension of each channel, interleaved [a, b] per sample (as sosfiltfilt pads).
  for (const [x, lane] of [[a, 0], [b, 1]] as const) {
    const at = d0 + lane;
    for (let i = 0; i < edge; i++) heap[at + 2 * i] = 2 * x[0] - x[edge - i];
    for (let i = 0; i < n; i++) heap[at + 2 * (edge + i)] = x[i];
    for (let i = 0; i < edge; i++) heap[at + 2 * (edge + n + i)] = 2 * x[n - 1] - x[n - 2 - i];
  }
  const zi = sosfiltZi(sos);
  for (const backwards of [false, true]) {
    const first = backwards ? d0 + 2 * (m - 1) : d0;
    const scaleA = heap[first], scaleB = heap[first + 1];
    // Sections in groups of four, as sosfiltInPlace; missing ones are identities.
    for (let s0 = 0; s0 < sos.length; s0 += 4) {
      const p0 = _PARAMS / 8, z0 = p0 + kernel.statesOffset / 8;
      for (let j = 0; j < 4; j++) {
        const row = sos[s0 + j] ?? [1, 0, 0, 1, 0, 0];
        [row[0], row[1], row[2], row[4], row[5]].forEach((value, k) => {
          heap[p0 + 2 * (5 * j + k)] = value; // both lanes
          heap[p0 + 2 * (5 * j + k) + 1] = value;
        });
        const real = s0 + j < sos.length;
        heap[z0 + 4 * j] = real ? zi[2 * (s0 + j)] * scaleA : 0;
        heap[z0 + 4 * j + 1] = real ? zi[2 * (s0 + j)] * scaleB : 0;
        heap[z0 + 4 * j + 2] = real ? zi[2 * (s0 + j) + 1] * scaleA : 0;
        heap[z0 + 4 * j + 3] = real ? zi[2 * (s0 + j) + 1] * scaleB : 0;
      }
      kernel.cascade4x2(8 * first, m, backwards ? -16 : 16, _PARAMS);
    }
  }
  const kept = Math.ceil(n / every);
  const ya = new Float64Array(kept), yb = new Float64Array(kept);
  for (let i = 0, k = d0 + 2 * edge; i < kept; i++, k += 2 * every) {
    ya[i] = heap[k];
    yb[i] = heap[k + 1];
  }
  return [ya, yb];
}
