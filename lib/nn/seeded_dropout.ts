/**
 * Dropout whose masks are a pure function of (layer seed, training step), so a run is
 * reproducible and a resumed run draws the same masks as an uninterrupted one.
 *
 * tfjs's own `tf.layers.dropout` either draws from `Math.random` (no seed) or, given a
 * seed, draws the same mask at every step; neither fits a resumable training loop.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode seededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of inputs zeroed while training, in [0, 1). */
  rate: number;
  /** The layer's seed (a non-negative integer, e.g. `rng.seed()`). */
  seed: number;
  /** Layer name. */
  name?: string;
  /** Input shape without the batch, for a first layer. */
  inputShape?: number[];
}

/**
 * Inverted dropout (Srivastava et al. 2014): while training, zeroes each input with
 * probability `rate` and scales the rest by 1/(1 - rate); at inference it is the identity.
 * The mask of a training call depends on the layer's `seed` and its `step`, which the
 * training loop sets before each forward pass ({@linkcode setDropoutStep}); each training
 * call then advances `step` by one, so loops that never set it still get fresh masks.
 */
export class SeededDropout extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  /** The step whose mask the next training call draws. */
  step = 0;

  constructor(args: SeededDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(
        `Cannot create a dropout layer as rate must be in [0, 1): current value is ${args.rate}`,
      );
    }
    if (!Number.isInteger(args.seed) || args.seed < 0) {
      throw new RangeError(
        `Cannot create a dropout layer as seed must be a non-negative integer: current value ` +
          `is ${args.seed}`,
      );
    }
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs["training"] !== true || this.rate === 0) return x;
    const maskSeed = `${this.seed}:${this.step}`;
    this.step += 1;
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, maskSeed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

/**
 * A {@linkcode SeededDropout} layer.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { seededDropout } from "./seeded_dropout.ts";
 * const layer = seededDropout({ rate: 0.5, seed: 7 });
 * const x = tf.ones([4, 8]);
 * const a = layer.apply(x, { training: true }) as tf.Tensor;
 * layer.step = 0;
 * const b = layer.apply(x, { training: true }) as tf.Tensor;
 * console.assert((await a.sub(b).abs().sum().data())[0] === 0); // same step, same mask
 * tf.dispose([x, a, b]);
 * ```
 */
export function seededDropout(args: SeededDropoutArgs): SeededDropout {
  return new SeededDropout(args);
}

/**
 * Sets the step of every {@linkcode SeededDropout} layer of `model`, so the next training
 * forward pass draws the masks of that step.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { seededDropout, setDropoutStep } from "./seeded_dropout.ts";
 * const model = tf.sequential({ layers: [seededDropout({ rate: 0.1, seed: 1, inputShape: [3] })] });
 * setDropoutStep(model, 42);
 * console.assert((model.layers[0] as unknown as { step: number }).step === 42);
 * model.dispose();
 * ```
 */
export function setDropoutStep(model: tf.LayersModel, step: number): void {
  for (const layer of model.layers) {
    if (layer instanceof SeededDropout) layer.step = step;
  }
}
