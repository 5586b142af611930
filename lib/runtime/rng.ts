/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) that every random choice
 * in the library takes, so a run is reproducible from its seed and resumable from its
 * saved state.
 *
 * @module
 */

/** The serialisable state of an {@linkcode Rng}: four uint32 words. */
export type RngState = [number, number, number, number];

function _splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function _hashLabel(label: string): number {
  // FNV-1a, enough to derive independent child streams from names.
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Seeded random numbers.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const a = new Rng(42), b = new Rng(42);
 * console.assert(a.float() === b.float());
 * console.assert(a.fork("splits").int(10) === b.fork("splits").int(10));
 * ```
 */
export class Rng {
  #s: Uint32Array;
  #spareNormal: number | null = null;

  /** @param seed any integer; equal seeds give equal streams. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(
        `Cannot seed the RNG as the seed must be finite: current value is ${seed}`,
      );
    }
    const next = _splitmix32(Math.trunc(seed) >>> 0 ^ Math.trunc(seed / 2 ** 32));
    this.#s = new Uint32Array([next(), next(), next(), next()]);
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** A new generator in the given state (from {@linkcode Rng.state}). */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /** The next uint32. */
  uint32(): number {
    const s = this.#s;
    const result = Math.imul(_rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = _rotl(s[3], 11);
    return result;
  }

  /** A float in [0, 1) with 32 random bits. */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Cannot draw an integer as n must be in 1..2^32: current value is ${n}`);
    }
    // Rejection sampling keeps the draw unbiased for any n.
    const limit = 4294967296 - (4294967296 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** A standard normal draw (Box-Muller, caching the second value). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const v = this.#spareNormal;
      this.#spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /**
   * A seed for tfjs initialisers and ops that take one: a positive int32. Never 0, which
   * tfjs's random ops read as "no seed" (a different draw on every run).
   */
  seed(): number {
    return (this.uint32() >>> 1) || 1;
  }

  /**
   * An independent child stream named by `label`; the parent's stream is not advanced,
   * so adding a new consumer does not change what existing ones draw.
   */
  fork(label: string): Rng {
    const s = this.#s;
    const h = _hashLabel(label);
    const child = new Rng(0);
    const next = _splitmix32((s[0] ^ Math.imul(s[1], 31) ^ Math.imul(s[2], 17) ^ s[3] ^ h) >>> 0);
    child.setState([next(), next(), next(), next()]);
    return child;
  }

  /** The current state, to store in a checkpoint. */
  state(): RngState {
    return [this.#s[0], this.#s[1], this.#s[2], this.#s[3]];
  }

  /** Restores a state from {@linkcode Rng.state}. */
  setState(state: RngState): void {
    if (!Array.isArray(state) || state.length !== 4 || state.some((w) => !Number.isInteger(w))) {
      throw new TypeError(
        `Cannot restore the RNG as the state must be 4 uint32 words: current value is ${
          JSON.stringify(state)
        }`,
      );
    }
    this.#s = new Uint32Array(state);
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
    this.#spareNormal = null;
  }
}

function _rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
