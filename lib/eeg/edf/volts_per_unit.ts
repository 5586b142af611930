/**
 * The factor that turns a signal's physical dimension into volts (the recipes' unit).
 *
 * @module
 */

// Micro is written "u" (ASCII, what the EDF spec asks for), "µ" (U+00B5, the micro sign,
// often found as latin-1 byte 0xB5) or "μ" (U+03BC, Greek mu).
const _FACTORS: Record<string, number> = {
  nV: 1e-9,
  uV: 1e-6,
  "\u00b5V": 1e-6,
  "\u03bcV": 1e-6,
  mV: 1e-3,
  V: 1,
  kV: 1e3,
};

/**
 * True when {@linkcode voltsPerUnit} knows the unit (nV, uV, µV, μV, mV, V, kV).
 *
 * @example
 * ```ts
 * import { isVoltageUnit } from "./volts_per_unit.ts";
 * console.assert(isVoltageUnit("uV") && !isVoltageUnit("Boolean") && !isVoltageUnit(""));
 * ```
 */
export function isVoltageUnit(unit: string): boolean {
  return Object.hasOwn(_FACTORS, unit.trim());
}

/**
 * Volts per one unit of `unit` (surrounding spaces ignored, case-sensitive as "mV" and
 * "MV" differ). Throws a RangeError for units that are not voltages (e.g. "Boolean",
 * "", "degC"); test with {@linkcode isVoltageUnit} first to keep such signals as they are.
 *
 * @example
 * ```ts
 * import { voltsPerUnit } from "./volts_per_unit.ts";
 * console.assert(voltsPerUnit("uV") === 1e-6 && voltsPerUnit("µV") === 1e-6);
 * console.assert(voltsPerUnit("mV") === 1e-3 && voltsPerUnit("nV") === 1e-9);
 * ```
 */
export function voltsPerUnit(unit: string): number {
  if (!isVoltageUnit(unit)) {
    throw new RangeError(
      `Cannot convert to volts as the unit must be one of ${Object.keys(_FACTORS).join(", ")}: ` +
        `current value is ${JSON.stringify(unit)}`,
    );
  }
  return _FACTORS[unit.trim()];
}
