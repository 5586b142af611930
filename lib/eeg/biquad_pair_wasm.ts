/**
 * Four cascaded biquad sections over two channels at once, as one WebAssembly SIMD function
 * (each f64x2 lane is one channel), assembled from the instructions below when first used.
 *
 * Why: decimation's zero-phase IIR filter was a third of the preprocessing time. A biquad
 * recursion waits on its own state every sample, so one channel at a time leaves the CPU
 * mostly idle; two independent channels in the two lanes of one register double the work
 * per wait. (The same interleaving in plain JS was slower: V8 ran out of registers.) The
 * lanes compute exactly the scalar expressions of sosfiltfilt.ts in the same order, so the
 * results are bit-identical to filtering each channel alone.
 *
 * @module
 */

/** Signed LEB128, as WebAssembly encodes i32 constants. */
function _sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Unsigned LEB128 (sizes, indices, SIMD opcodes). */
function _uleb(value: number): number[] {
  const out: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    out.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return out;
}

/** A section of a module: id, then its length-prefixed contents. */
function _section(id: number, contents: number[]): number[] {
  return [id, ..._uleb(contents.length), ...contents];
}

/** A length-prefixed vector of already encoded items. */
function _vector(items: number[][]): number[] {
  return [..._uleb(items.length), ...items.flat()];
}

const _I32 = 0x7f;
const _V128 = 0x7b;

// Opcodes (WebAssembly core + SIMD proposal, now standard).
const local = {
  get: (i: number) => [0x20, ..._uleb(i)],
  set: (i: number) => [0x21, ..._uleb(i)],
};
const i32 = {
  const: (v: number) => [0x41, ..._sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  eqz: [0x45],
};
const _SIMD = 0xfd;
const v128 = {
  /** v128.load / v128.store with alignment 2^3 (8 bytes, as f64 data) and an offset. */
  load: (offset = 0) => [_SIMD, ..._uleb(0), 3, ..._uleb(offset)],
  store: (offset = 0) => [_SIMD, ..._uleb(11), 3, ..._uleb(offset)],
};
const f64x2 = {
  splat: [_SIMD, ..._uleb(20)],
  add: [_SIMD, ..._uleb(240)],
  sub: [_SIMD, ..._uleb(241)],
  mul: [_SIMD, ..._uleb(242)],
};

/** Byte offset of the states within the parameter block (after 20 f64x2 coefficients). */
const _STATES = 320;

/**
 * The function `cascade4x2(data, count, step, params)`:
 * - params (byte address): 20 coefficients [b0 b1 b2 a1 a2] x 4 sections, each stored
 *   twice (one f64x2, the same value in both lanes), then 8 pairs of f64 states
 *   [channel a, channel b] (z0, z1 per section), updated in place;
 * - data: the first interleaved sample pair [a, b] to filter (in place), then `count`
 *   pairs `step` bytes apart (16 forwards, -16 backwards).
 * Coefficients are loaded once into locals (30 vector locals in all: the compiler spills
 * some; reading the coefficients from memory at each use instead measured 1.4x slower).
 */
function _cascadeFunction(): number[] {
  // Parameters 0-3; locals: 8 states (4-11), x (12), y (13), 20 coefficients (14-33).
  const [DATA, COUNT, STEP, PARAMS] = [0, 1, 2, 3];
  const coef = (section: number, k: number) => local.get(14 + 5 * section + k);
  const state = (section: number, k: number) => 4 + 2 * section + k;
  const X = 12, Y = 13;
  const body: number[] = [];
  for (let s = 0; s < 8; s++) {
    body.push(...local.get(PARAMS), ...v128.load(_STATES + 16 * s), ...local.set(4 + s));
  }
  for (let c = 0; c < 20; c++) {
    body.push(...local.get(PARAMS), ...v128.load(16 * c), ...local.set(14 + c));
  }
  // block { loop { if count == 0 break; ...; count -= 1; data += step; continue } }
  body.push(0x02, 0x40, 0x03, 0x40);
  body.push(...local.get(COUNT), ...i32.eqz, 0x0d, ..._uleb(1)); // br_if 1: leave the block
  body.push(...local.get(DATA), ...v128.load(), ...local.set(X));
  for (let s = 0; s < 4; s++) {
    const [b0, b1, b2, a1, a2] = [0, 1, 2, 3, 4].map((k) => coef(s, k));
    const [z0, z1] = [state(s, 0), state(s, 1)];
    // y = b0 x + z0
    body.push(...b0, ...local.get(X), ...f64x2.mul, ...local.get(z0), ...f64x2.add);
    body.push(...local.set(Y));
    // z0 = (b1 x - a1 y) + z1 (the old z1)
    body.push(...b1, ...local.get(X), ...f64x2.mul);
    body.push(...a1, ...local.get(Y), ...f64x2.mul, ...f64x2.sub);
    body.push(...local.get(z1), ...f64x2.add, ...local.set(z0));
    // z1 = b2 x - a2 y
    body.push(...b2, ...local.get(X), ...f64x2.mul);
    body.push(...a2, ...local.get(Y), ...f64x2.mul, ...f64x2.sub, ...local.set(z1));
    // The next section's input is this one's output.
    body.push(...local.get(Y), ...local.set(X));
  }
  body.push(...local.get(DATA), ...local.get(X), ...v128.store());
  body.push(...local.get(COUNT), ...i32.const(1), ...i32.sub, ...local.set(COUNT));
  body.push(...local.get(DATA), ...local.get(STEP), ...i32.add, ...local.set(DATA));
  body.push(0x0c, ..._uleb(0)); // br 0: next iteration
  body.push(0x0b, 0x0b); // end loop, end block
  for (let s = 0; s < 8; s++) {
    body.push(...local.get(PARAMS), ...local.get(4 + s), ...v128.store(_STATES + 16 * s));
  }
  body.push(0x0b); // end function
  const locals = _vector([[..._uleb(30), _V128]]); // 8 states, x, y, 20 coefficients
  const code = [...locals, ...body];
  return [..._uleb(code.length), ...code];
}

/** The whole module: memory (exported as "memory"), one function "cascade4x2". */
function _moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = [0x60, ..._vector([[_I32], [_I32], [_I32], [_I32]]), ..._uleb(0)];
  const name = (text: string) => [..._uleb(text.length), ...new TextEncoder().encode(text)];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // "\0asm", version 1
    ..._section(1, _vector([type])),
    ..._section(3, _vector([_uleb(0)])), // function 0 has type 0
    ..._section(5, _vector([[0x00, ..._uleb(1)]])), // one memory, at least 1 page
    ..._section(
      7,
      _vector([[...name("memory"), 0x02, 0x00], [...name("cascade4x2"), 0x00, 0x00]]),
    ),
    ..._section(10, _vector([_cascadeFunction()])),
  ]);
}

/** The instantiated kernel. */
export interface BiquadPairKernel {
  /** Byte offset of the states in the parameter block (coefficients come first). */
  statesOffset: number;
  memory: WebAssembly.Memory;
  cascade4x2(data: number, count: number, step: number, params: number): void;
}

let _kernel: BiquadPairKernel | null | undefined;

/**
 * The kernel, compiled on first use (synchronously: the module is under 1 KB, which even a
 * browser's main thread may compile so); null where WebAssembly SIMD is missing.
 */
export function biquadPairKernel(): BiquadPairKernel | null {
  if (_kernel !== undefined) return _kernel;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(_moduleBytes()));
    const exports = instance.exports as unknown as BiquadPairKernel;
    _kernel = { statesOffset: _STATES, memory: exports.memory, cascade4x2: exports.cascade4x2 };
  } catch {
    _kernel = null;
  }
  return _kernel;
}
