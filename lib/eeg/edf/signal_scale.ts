/**
 * The linear map from a signal's stored integers to its physical values.
 *
 * @module
 */
import type { EdfSignalHeader } from "./edf_header.ts";

/** physical = digital * gain + offset. */
export interface SignalScale {
  gain: number;
  offset: number;
}

/**
 * The scale of one signal: value = (digital - digMin) * (physMax - physMin) /
 * (digMax - digMin) + physMin, written as digital * gain + offset (gain and offset in
 * float64, the same arithmetic as MNE's reader so results agree to the last bits). When
 * physMin equals physMax (a header fault that parses with a warning) every sample maps to
 * physMin.
 *
 * @example
 * ```ts
 * import { signalScale } from "./signal_scale.ts";
 * const { gain, offset } = signalScale({ physicalMin: -100, physicalMax: 100, digitalMin: -32768, digitalMax: 32767 });
 * console.assert(Math.abs(32767 * gain + offset - 100) < 1e-12);
 * ```
 */
export function signalScale(
  signal: Pick<EdfSignalHeader, "physicalMin" | "physicalMax" | "digitalMin" | "digitalMax">,
): SignalScale {
  const { physicalMin, physicalMax, digitalMin, digitalMax } = signal;
  if (!(digitalMax > digitalMin)) {
    throw new RangeError(
      `Cannot scale a signal as its digital maximum must exceed its digital minimum ${digitalMin}: ` +
        `current value is ${digitalMax}`,
    );
  }
  const gain = (physicalMax - physicalMin) / (digitalMax - digitalMin);
  return { gain, offset: physicalMin - digitalMin * gain };
}
