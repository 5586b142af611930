/**
 * Transfer learning for the U-Net: find, copy and freeze the encoder by the naming
 * contract of lib/segment/unet.ts (encoder layers are named "encoder_...").
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The name prefix of every encoder layer. */
export const ENCODER_PREFIX = "encoder_";
/** The encoder layer that reads the image; the only one whose input channels may differ. */
export const STEM_CONV_LAYER = "encoder_stem_conv";

/** What {@linkcode copyEncoderWeights} did. */
export interface EncoderCopyReport {
  /** Weight tensors copied (kernels, biases, norm scales and shifts, BatchNorm statistics). */
  copied: number;
  /** Encoder layers of the target left as they were, with the reason after ": ". */
  skipped: string[];
}

/**
 * The encoder's layers (names starting with "encoder_"), in the model's order.
 *
 * @example
 * ```ts
 * import { buildUnet } from "./unet.ts";
 * import { encoderLayers } from "./encoder_transfer.ts";
 * const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8] });
 * console.assert(encoderLayers(model)[1].name === "encoder_stem_conv");
 * model.dispose();
 * ```
 */
export function encoderLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => layer.name.startsWith(ENCODER_PREFIX));
}

/**
 * The names of the encoder's trainable variables, as `tf.variableGrads` keys its
 * gradients and lib/train's optimisers key their parameters: the names of
 * `model.trainableWeights[i].read()`. These carry tfjs's uniqueness suffix ("_1", ...)
 * when another model with the same layer names was built first, so they belong to this
 * model only. A frozen encoder (see {@linkcode setEncoderTrainable}) has none.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildUnet } from "./unet.ts";
 * import { encoderVariableNames } from "./encoder_transfer.ts";
 * const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8] });
 * const encoder = encoderVariableNames(model);
 * // e.g. give the encoder a tenth of the learning rate:
 * const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
 * const rates = params.map((p) => (encoder.has(p.name) ? 1e-4 : 1e-3));
 * console.assert(rates.includes(1e-4) && rates.includes(1e-3));
 * model.dispose();
 * ```
 */
export function encoderVariableNames(model: tf.LayersModel): Set<string> {
  const names = new Set<string>();
  for (const layer of encoderLayers(model)) {
    for (const weight of layer.trainableWeights) names.add((weight.read() as tf.Variable).name);
  }
  return names;
}

/**
 * Freezes (`false`) or unfreezes (`true`) every encoder layer. `model.trainableWeights`
 * follows at once, so collect the optimiser's parameters after calling this (and compile
 * again if you train with `model.fit`).
 *
 * @example
 * ```ts
 * import { buildUnet } from "./unet.ts";
 * import { encoderVariableNames, setEncoderTrainable } from "./encoder_transfer.ts";
 * const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8] });
 * const all = model.trainableWeights.length;
 * const encoder = encoderVariableNames(model).size;
 * setEncoderTrainable(model, false);
 * console.assert(model.trainableWeights.length === all - encoder);
 * model.dispose();
 * ```
 */
export function setEncoderTrainable(model: tf.LayersModel, trainable: boolean): void {
  for (const layer of encoderLayers(model)) layer.trainable = trainable;
}

/**
 * Copies the encoder's weights from `from` into `to`, layer by layer by name, where the
 * two layers have the same number of weights of the same shapes; the decoder is not
 * touched. Layers missing from `from`, or of another shape (e.g. other widths, or
 * GroupNorm vs BatchNorm), are reported in `skipped`.
 *
 * The stem conv may differ in input channels (e.g. a 1-channel EM model into a 3-channel
 * RGB histology model). Its kernel `[7, 7, C_from, F]` is then adapted by spreading the
 * sum over the input channels evenly: `K_to[:, :, j, :] = sum_c K_from[:, :, c, :] / C_to`,
 * i.e. the mean over input channels, repeated, times C_from / C_to. The scale makes a grey
 * image copied into every channel give the same stem response as before. For 3 -> 1 this
 * is the sum of the RGB kernels, as timm's `adapt_input_conv` and smp's `patch_first_conv`
 * do; for 1 -> 3 it is smp's rule (repeat, times C_from / C_to) with a 1-channel source:
 * K / 3 in each channel. For other counts both repeat the channels cyclically instead.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildUnet } from "./unet.ts";
 * import { copyEncoderWeights } from "./encoder_transfer.ts";
 * const em = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8], inputChannels: 1, seed: 1 });
 * const rgb = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8], inputChannels: 3, seed: 2 });
 * const { copied, skipped } = copyEncoderWeights(em, rgb);
 * console.assert(copied > 0 && skipped.length === 0);
 * em.dispose();
 * rgb.dispose();
 * ```
 */
export function copyEncoderWeights(
  from: tf.LayersModel,
  to: tf.LayersModel,
): EncoderCopyReport {
  const sources = new Map(from.layers.map((layer) => [layer.name, layer]));
  let copied = 0;
  const skipped: string[] = [];
  for (const target of encoderLayers(to)) {
    const targetShapes = target.weights.map((w) => w.shape);
    if (targetShapes.length === 0) continue;
    const source = sources.get(target.name);
    if (source === undefined) {
      skipped.push(`${target.name}: not in the source model`);
      continue;
    }
    const values = source.getWeights(); // the source's own variables: not disposed here
    const reason = _mismatch(target.name, values.map((v) => v.shape), targetShapes);
    if (reason !== null) {
      skipped.push(`${target.name}: ${reason}`);
      continue;
    }
    const adapted = values.map((value, i) =>
      value.shape[2] === targetShapes[i][2]
        ? value
        : _adaptInputChannels(value as tf.Tensor4D, targetShapes[i][2] as number)
    );
    target.setWeights(adapted);
    tf.dispose(adapted.filter((tensor, i) => tensor !== values[i]));
    copied += adapted.length;
  }
  return { copied, skipped };
}

/** Why the weights cannot be copied, or null when they can (possibly with adaptation). */
function _mismatch(
  layer: string,
  from: (number | null)[][],
  to: (number | null)[][],
): string | null {
  const show = (shapes: (number | null)[][]) => shapes.map((s) => `[${s}]`).join(", ");
  if (from.length !== to.length) {
    return `${from.length} weights in the source vs ${to.length} (${show(from)} vs ${show(to)})`;
  }
  for (let i = 0; i < from.length; i++) {
    const a = from[i];
    const b = to[i];
    const sameExceptInput = a.length === 4 && b.length === 4 &&
      [0, 1, 3].every((d) => a[d] === b[d]);
    if (a.join() === b.join() || (layer === STEM_CONV_LAYER && sameExceptInput)) continue;
    return `shapes ${show(from)} in the source vs ${show(to)}`;
  }
  return null;
}

/** `[KH, KW, C_from, F]` -> `[KH, KW, C_to, F]`: the input-channel sum spread evenly. */
function _adaptInputChannels(kernel: tf.Tensor4D, channels: number): tf.Tensor4D {
  return tf.tidy(() => kernel.sum(2, true).div(channels).tile([1, 1, channels, 1]));
}
