/**
 * Private helpers of the GPU implementations: input checks and uploads.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type ChannelSignal, signalShape, type Spectrogram } from "./channel_signal.ts";

/**
 * `[channels, samples]` arrays uploaded, or a rank-2 tensor cast to float32 (a new
 * reference, so that the caller may always dispose the result and never the input).
 */
export function _signalTensor(signal: tf.Tensor | ChannelSignal, caller: string): tf.Tensor2D {
  if (signal instanceof tf.Tensor) {
    if (signal.rank !== 2) {
      throw new TypeError(
        `Error in ${caller}: signal must be [channels, samples] but got shape ` +
          `[${signal.shape.join(", ")}]`,
      );
    }
    return tf.cast(signal, "float32") as tf.Tensor2D;
  }
  const [channels, samples] = signalShape(signal, caller);
  const flat = new Float32Array(channels * samples);
  signal.forEach((channel, c) => flat.set(channel, c * samples));
  return tf.tensor2d(flat, [channels, samples]);
}

/** Complex tensors `[channels, bins, frames]`. */
export interface ComplexTensors {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

/**
 * `{ re, im }` tensors checked (and cloned) or a CPU spectrogram uploaded; the caller
 * disposes the result.
 */
export function _spectrogramTensors(
  spectrogram: { re: tf.Tensor; im: tf.Tensor } | Spectrogram,
  caller: string,
): ComplexTensors {
  const { re, im } = spectrogram;
  if (re instanceof tf.Tensor && im instanceof tf.Tensor) {
    if (re.rank !== 3 || re.shape.join() !== im.shape.join()) {
      throw new TypeError(
        `Error in ${caller}: spectrogram must be [channels, bins, frames] but got shapes ` +
          `re [${re.shape.join(", ")}] and im [${im.shape.join(", ")}]`,
      );
    }
    return { re: tf.cast(re, "float32") as tf.Tensor3D, im: tf.cast(im, "float32") as tf.Tensor3D };
  }
  const cpu = spectrogram as Spectrogram;
  const shape = cpu.shape ?? [];
  const size = shape.length === 3 ? shape[0] * shape[1] * shape[2] : -1;
  if (size <= 0 || cpu.re?.length !== size || cpu.im?.length !== size) {
    throw new TypeError(
      `Error in ${caller}: spectrogram must be [channels, bins, frames] but got shape ` +
        `[${shape.join(", ")}] with ${cpu.re?.length} values`,
    );
  }
  return { re: tf.tensor3d(cpu.re, shape), im: tf.tensor3d(cpu.im, shape) };
}
