/**
 * A complex FFT of any length on the CPU: fft.js (radix-4) for powers of two, a direct
 * DFT for short lengths, and Bluestein's chirp-z algorithm (an FFT of a power-of-two
 * length >= 2n - 1) for other lengths.
 *
 * @module
 */
import FFTJS from "fft.js";

const _DIRECT_MAX = 64;

/**
 * Complex DFT of a fixed length, on interleaved arrays `[re0, im0, re1, im1, ...]`.
 * `forward` computes X_k = sum_n x_n exp(-2 pi i k n / N); `inverse` computes
 * x_n = (1 / N) sum_k X_k exp(+2 pi i k n / N), as numpy.fft.fft and ifft.
 *
 * @example
 * ```ts
 * import { Fft } from "./fft.ts";
 * const fft = new Fft(3);
 * const out = new Float64Array(6);
 * fft.forward(new Float64Array([1, 0, 1, 0, 1, 0]), out);
 * console.assert(Math.abs(out[0] - 3) < 1e-12 && Math.abs(out[2]) < 1e-12);
 * ```
 */
export class Fft {
  /** The transform length N. */
  readonly size: number;
  #radix4: FFTJS | null = null;
  #cos: Float64Array | null = null;
  #sin: Float64Array | null = null;
  #bluestein: _Bluestein | null = null;
  #scratch: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `Cannot build an FFT as its length must be a positive integer: current value is ${size}`,
      );
    }
    this.size = size;
    this.#scratch = new Float64Array(2 * size);
    const isPowerOfTwo = (size & (size - 1)) === 0;
    if (isPowerOfTwo && size >= 4) {
      this.#radix4 = new FFTJS(size);
    } else if (size <= _DIRECT_MAX) {
      this.#cos = new Float64Array(size);
      this.#sin = new Float64Array(size);
      for (let k = 0; k < size; k++) {
        this.#cos[k] = Math.cos((2 * Math.PI * k) / size);
        this.#sin[k] = Math.sin((2 * Math.PI * k) / size);
      }
    } else {
      this.#bluestein = new _Bluestein(size);
    }
  }

  /** Forward DFT of `input` (2N interleaved values) into `output` (2N, a different array). */
  forward(input: Float64Array, output: Float64Array): void {
    if (this.#radix4 !== null) this.#radix4.transform(output, input);
    else if (this.#bluestein !== null) this.#bluestein.forward(input, output);
    else this.#direct(input, output);
  }

  /** Inverse DFT, normalised by 1/N, of `input` into `output` (a different array). */
  inverse(input: Float64Array, output: Float64Array): void {
    // ifft(X) = conj(fft(conj(X))) / N.
    const n = this.size;
    const conj = this.#scratch;
    for (let i = 0; i < 2 * n; i += 2) {
      conj[i] = input[i];
      conj[i + 1] = -input[i + 1];
    }
    this.forward(conj, output);
    for (let i = 0; i < 2 * n; i += 2) {
      output[i] /= n;
      output[i + 1] = -output[i + 1] / n;
    }
  }

  #direct(input: Float64Array, output: Float64Array): void {
    const n = this.size;
    const cos = this.#cos!;
    const sin = this.#sin!;
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0, phase = 0; j < n; j++, phase = (phase + k) % n) {
        const xr = input[2 * j];
        const xi = input[2 * j + 1];
        re += xr * cos[phase] + xi * sin[phase];
        im += xi * cos[phase] - xr * sin[phase];
      }
      output[2 * k] = re;
      output[2 * k + 1] = im;
    }
  }
}

/** Bluestein: X_k = w_k sum_j (x_j w_j) conj(w_(k-j)), w_j = exp(-i pi j^2 / N). */
class _Bluestein {
  readonly #n: number;
  readonly #fft: FFTJS;
  readonly #chirp: Float64Array; // w_j, interleaved
  readonly #kernel: Float64Array; // FFT of conj(w) arranged circularly, interleaved
  readonly #a: Float64Array;
  readonly #spectrum: Float64Array;

  constructor(n: number) {
    this.#n = n;
    let m = 4;
    while (m < 2 * n - 1) m *= 2;
    this.#fft = new FFTJS(m);
    this.#chirp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      // j^2 mod 2N keeps the angle small and exact for large j.
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.#chirp[2 * j] = Math.cos(angle);
      this.#chirp[2 * j + 1] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) {
      b[2 * j] = this.#chirp[2 * j];
      b[2 * j + 1] = -this.#chirp[2 * j + 1];
      if (j > 0) {
        b[2 * (m - j)] = b[2 * j];
        b[2 * (m - j) + 1] = b[2 * j + 1];
      }
    }
    this.#kernel = new Float64Array(2 * m);
    this.#fft.transform(this.#kernel, b);
    this.#a = new Float64Array(2 * m);
    this.#spectrum = new Float64Array(2 * m);
  }

  forward(input: Float64Array, output: Float64Array): void {
    const n = this.#n;
    const w = this.#chirp;
    const a = this.#a;
    a.fill(0);
    for (let j = 0; j < 2 * n; j += 2) {
      a[j] = input[j] * w[j] - input[j + 1] * w[j + 1];
      a[j + 1] = input[j] * w[j + 1] + input[j + 1] * w[j];
    }
    const spectrum = this.#spectrum;
    this.#fft.transform(spectrum, a);
    const kernel = this.#kernel;
    for (let i = 0; i < spectrum.length; i += 2) {
      const re = spectrum[i] * kernel[i] - spectrum[i + 1] * kernel[i + 1];
      spectrum[i + 1] = spectrum[i] * kernel[i + 1] + spectrum[i + 1] * kernel[i];
      spectrum[i] = re;
    }
    this.#fft.inverseTransform(a, spectrum);
    for (let k = 0; k < 2 * n; k += 2) {
      output[k] = a[k] * w[k] - a[k + 1] * w[k + 1];
      output[k + 1] = a[k] * w[k + 1] + a[k + 1] * w[k];
    }
  }
}
