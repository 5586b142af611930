/**
 * Digital filter design, reproducing scipy.signal's algorithms so that filtered EEG
 * matches the Python project: Chebyshev type I low-pass filters (as `cheby1`, used by
 * `decimate`) and windowed-sinc FIR low-pass filters (as `firwin`, used by
 * `resample_poly`).
 *
 * @module
 */
import { kaiser } from "./window.ts";

/**
 * Second-order sections, one row `[b0, b1, b2, a0, a1, a2]` per section (a0 = 1), in the
 * order they are applied: scipy's `sos` layout.
 */
export type SecondOrderSections = readonly (readonly number[])[];

/** Options for {@linkcode cheby1Sos}. */
export interface Cheby1Options {
  /** Filter order N; must be even (decimate uses 8). */
  order: number;
  /** Maximum pass-band ripple in dB (decimate uses 0.05). */
  rippleDb: number;
  /** Cut-off as a fraction of the Nyquist frequency, in (0, 1) (decimate: 0.8 / q). */
  cutoff: number;
}

/**
 * A digital Chebyshev type I low-pass filter as second-order sections, computed as
 * `scipy.signal.cheby1(order, rippleDb, cutoff, output="sos")` does: the analog
 * prototype's poles (cheb1ap), frequency pre-warping and scaling (lp2lp), the bilinear
 * transform (bilinear_zpk), then zpk2sos's "nearest" pairing, which puts the pole pairs
 * closest to the unit circle last and the gain into the first section.
 *
 * Only even orders are supported: with an odd order zpk2sos adds a pole and a zero at the
 * origin and pairs them in ways this port does not reproduce.
 *
 * @example
 * ```ts
 * import { cheby1Sos } from "./filter_design.ts";
 * const sos = cheby1Sos({ order: 8, rippleDb: 0.05, cutoff: 0.2 });
 * console.assert(sos.length === 4 && Math.abs(sos[0][0] - 4.0359292893478e-6) < 1e-15);
 * ```
 */
export function cheby1Sos(options: Cheby1Options): SecondOrderSections {
  const { order, rippleDb, cutoff } = options;
  if (!Number.isInteger(order) || order < 2 || order % 2 !== 0) {
    throw new RangeError(
      `Cannot design the Chebyshev filter as its order must be an even integer >= 2: ` +
        `current value is ${order}`,
    );
  }
  if (!(rippleDb > 0) || !Number.isFinite(rippleDb)) {
    throw new RangeError(
      `Cannot design the Chebyshev filter as the ripple must be a positive number of dB: ` +
        `current value is ${rippleDb}`,
    );
  }
  if (!(cutoff > 0 && cutoff < 1)) {
    throw new RangeError(
      `Cannot design the Chebyshev filter as the cut-off must lie in (0, 1) (fraction of ` +
        `Nyquist): current value is ${cutoff}`,
    );
  }
  // 1. Analog prototype (cheb1ap): poles -sinh(mu + i theta_m), m = -N+1, -N+3, ..., N-1.
  const eps = Math.sqrt(10 ** (0.1 * rippleDb) - 1);
  const mu = Math.asinh(1 / eps) / order;
  // 2. Pre-warp for fs = 2 (Wn relative to Nyquist) and scale the prototype (lp2lp).
  const warped = 4 * Math.tan((Math.PI * cutoff) / 2);
  // Gain: prod(-p) for the prototype, / sqrt(1 + eps^2) for even orders, times warped^N
  // (lp2lp), times 1 / prod(fs2 - p) (bilinear_zpk, fs2 = 2 fs = 4). Accumulated in
  // complex arithmetic as scipy does; the imaginary parts cancel.
  let kRe = 1;
  let kIm = 0;
  let bilinearRe = 1;
  let bilinearIm = 0;
  const pairs: { re: number; im: number }[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    const pRe = -Math.sinh(mu) * Math.cos(theta);
    const pIm = -Math.cosh(mu) * Math.sin(theta);
    [kRe, kIm] = [kRe * -pRe - kIm * -pIm, kRe * -pIm + kIm * -pRe];
    // Scaled analog pole s = warped * p; digital pole z = (4 + s) / (4 - s).
    const sRe = warped * pRe;
    const sIm = warped * pIm;
    const dRe = 4 - sRe;
    const dIm = -sIm;
    [bilinearRe, bilinearIm] = [
      bilinearRe * dRe - bilinearIm * dIm,
      bilinearRe * dIm + bilinearIm * dRe,
    ];
    const dNorm = dRe * dRe + dIm * dIm;
    const nRe = 4 + sRe;
    const nIm = sIm;
    const zRe = (nRe * dRe + nIm * dIm) / dNorm;
    const zIm = (nIm * dRe - nRe * dIm) / dNorm;
    if (zIm > 0) pairs.push({ re: zRe, im: zIm });
  }
  let gain = kRe / Math.sqrt(1 + eps * eps) * warped ** order;
  // real(1 / prod(4 - s)): the conjugate over the squared magnitude.
  gain *= bilinearRe / (bilinearRe * bilinearRe + bilinearIm * bilinearIm);
  // 3. zpk2sos "nearest": the pole closest to the unit circle goes into the last section.
  pairs.sort((p, q) => _unitCircleDistance(q) - _unitCircleDistance(p));
  return pairs.map((p, i) => {
    const b0 = i === 0 ? gain : 1;
    // Zeros at z = -1 twice (the bilinear image of the prototype's zeros at infinity).
    return [b0, 2 * b0, b0, 1, -2 * p.re, p.re * p.re + p.im * p.im];
  });
}

function _unitCircleDistance(p: { re: number; im: number }): number {
  return Math.abs(1 - Math.hypot(p.re, p.im));
}

/**
 * A linear-phase FIR low-pass filter by the window method, as
 * `scipy.signal.firwin(numtaps, cutoff, window=("kaiser", kaiserBeta))`: the ideal
 * low-pass impulse response cutoff * sinc(cutoff * (n - (numtaps - 1) / 2)) times a
 * symmetric Kaiser window, scaled to unit gain at 0 Hz.
 *
 * @param numtaps number of taps (filter length).
 * @param cutoff cut-off as a fraction of the Nyquist frequency, in (0, 1).
 *
 * @example
 * ```ts
 * import { firwinLowpass } from "./filter_design.ts";
 * const h = firwinLowpass(21, 0.5);
 * console.assert(Math.abs(h.reduce((a, b) => a + b) - 1) < 1e-12);
 * ```
 */
export function firwinLowpass(
  numtaps: number,
  cutoff: number,
  options: { kaiserBeta?: number } = {},
): Float64Array {
  if (!Number.isInteger(numtaps) || numtaps < 1) {
    throw new RangeError(
      `Cannot design the FIR filter as numtaps must be a positive integer: current value is ${numtaps}`,
    );
  }
  if (!(cutoff > 0 && cutoff < 1)) {
    throw new RangeError(
      `Cannot design the FIR filter as the cut-off must lie in (0, 1) (fraction of ` +
        `Nyquist): current value is ${cutoff}`,
    );
  }
  const window = kaiser(numtaps, options.kaiserBeta ?? 5);
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  let sum = 0;
  for (let n = 0; n < numtaps; n++) {
    const x = cutoff * (n - alpha);
    // numpy.sinc: sin(pi x) / (pi x), 1 at x = 0.
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    h[n] = cutoff * sinc * window[n];
    sum += h[n];
  }
  for (let n = 0; n < numtaps; n++) h[n] /= sum;
  return h;
}
