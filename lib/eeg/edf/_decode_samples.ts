/**
 * Private: little-endian 16-bit (EDF) and 24-bit (BDF) samples to numbers, scaled on the way.
 *
 * @module
 */

const _littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Writes `count` samples from `bytes` (starting at sample `first`) to `out` from `outStart`,
 * each as digital * gain + offset. With gain 1 and offset 0 `out` receives digital values.
 */
export function _decodeSamples(
  bytes: Uint8Array,
  bytesPerSample: 2 | 3,
  first: number,
  count: number,
  out: Float32Array | Int32Array,
  outStart: number,
  gain: number,
  offset: number,
): void {
  if (bytesPerSample === 2) {
    const byteStart = bytes.byteOffset + first * 2;
    if (_littleEndian && byteStart % 2 === 0) {
      const samples = new Int16Array(bytes.buffer, byteStart, count);
      for (let k = 0; k < count; k++) out[outStart + k] = samples[k] * gain + offset;
      return;
    }
    const view = new DataView(bytes.buffer, byteStart, count * 2);
    for (let k = 0; k < count; k++) out[outStart + k] = view.getInt16(2 * k, true) * gain + offset;
    return;
  }
  for (let k = 0, j = first * 3; k < count; k++, j += 3) {
    // Sign-extend 24 bits through the int32 shift pair.
    const digital = ((bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16)) << 8) >> 8;
    out[outStart + k] = digital * gain + offset;
  }
}
