/**
 * The log-frequency spectrogram (RECIPES.md step 6) on a tfjs backend: every channel of
 * every window framed by one gather and transformed by one matrix product with the
 * `[511, 510]` non-uniform DFT basis of {@link ./log_spectrogram.ts}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ChannelSignal } from "./channel_signal.ts";
import { _signalTensor } from "./_signal_tensor.ts";
import {
  LOG_SPECTROGRAM_BINS,
  LOG_SPECTROGRAM_FRAME_LENGTH,
  logSpectrogramBasis,
  logSpectrogramFrames,
  type LogSpectrogramOptions,
} from "./log_spectrogram.ts";

let _basisT: Float32Array | null = null;

/** The basis transposed to `[511, 510]` for frames x basis, as float32. */
function _transposedBasis(): Float32Array {
  if (_basisT !== null) return _basisT;
  const basis = logSpectrogramBasis();
  const n = LOG_SPECTROGRAM_FRAME_LENGTH;
  const columns = 2 * (LOG_SPECTROGRAM_BINS - 1);
  _basisT = new Float32Array(n * columns);
  for (let r = 0; r < columns; r++) {
    for (let i = 0; i < n; i++) _basisT[i * columns + r] = basis[r * n + i];
  }
  return _basisT;
}

/**
 * The log-frequency spectrogram of windows `[..., length]` (e.g. `[windows, channels,
 * 2048]` or `[channels, 2048]`), as {@link ./log_spectrogram.ts}'s `logSpectrogram`, on
 * the current tfjs backend. Returns `re` and `im` tensors `[..., 256, frames]` that the
 * caller disposes; the input is not disposed. Arrays `[channels, length]` are uploaded.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "../runtime/mod.ts";
 * import { logSpectrogramGpu } from "./log_spectrogram_gpu.ts";
 * await initBackend({ backend: "cpu" }); // or "webgpu"
 * const windows = tf.randomNormal([3, 20, 2048]); // [windows, channels, samples]
 * const { re, im } = logSpectrogramGpu(windows, { hop: 172 });
 * console.assert(re.shape.join() === "3,20,256,12");
 * tf.dispose([windows, re, im]);
 * ```
 */
export function logSpectrogramGpu(
  windows: tf.Tensor | ChannelSignal,
  options: LogSpectrogramOptions = {},
): { re: tf.Tensor; im: tf.Tensor } {
  const input = windows instanceof tf.Tensor
    ? _checkedRank(windows)
    : _signalTensor(windows, "logSpectrogramGpu");
  const leading = input.shape.slice(0, -1);
  const length = input.shape[input.rank - 1];
  let layout;
  try {
    layout = logSpectrogramFrames(length, options, "logSpectrogramGpu");
  } catch (error) {
    input.dispose();
    throw error;
  }
  const { padding, frames } = layout;
  const hop = options.hop ?? 172;
  const n = LOG_SPECTROGRAM_FRAME_LENGTH;
  const rows = LOG_SPECTROGRAM_BINS - 1;
  const batch = leading.reduce((a, b) => a * b, 1);
  const starts = new Int32Array(frames * n);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < n; i++) starts[t * n + i] = t * hop + i;
  }
  const basis = _transposedBasis();
  const result = tf.tidy(() => {
    const x = input.reshape([batch, length]); // [B, L]
    const dc = x.sum(1).div(Math.sqrt(length)).reshape([batch, 1, 1]); // [B, 1, 1]
    const centred = x.sub(x.mean(1, true)).pad([[0, 0], [0, padding]]); // [B, L + pad]
    const framed = tf.gather(centred, tf.tensor1d(starts, "int32"), 1) // [B, T * 511]
      .reshape([batch * frames, n]);
    const spectra = tf.matMul(framed, tf.tensor2d(basis, [n, 2 * rows])) // [B*T, 510]
      .reshape([batch, frames, 2 * rows]);
    const rowsOf = (offset: number, first: tf.Tensor) =>
      tf.concat([first, spectra.slice([0, 0, offset], [batch, frames, rows])], 2) // [B, T, 256]
        .transpose([0, 2, 1])
        .reshape([...leading, LOG_SPECTROGRAM_BINS, frames]);
    return {
      re: rowsOf(0, tf.broadcastTo(dc, [batch, frames, 1])),
      im: rowsOf(rows, tf.zeros([batch, frames, 1])),
    };
  });
  input.dispose();
  return result;
}

function _checkedRank(windows: tf.Tensor): tf.Tensor {
  if (windows.rank < 2) {
    throw new TypeError(
      `Error in logSpectrogramGpu: windows must be [..., channels, samples] but got shape ` +
        `[${windows.shape.join(", ")}]`,
    );
  }
  return tf.cast(windows, "float32");
}
