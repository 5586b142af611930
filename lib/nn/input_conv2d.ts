/**
 * A 2-D convolution (no bias, no activation) for a model's first layer: the same numbers as
 * tf.layers.conv2d, but computed with tf.conv2d, so training never computes the gradient
 * with respect to the input image.
 *
 * Why: tf.layers.conv2d goes through tfjs's fused conv op, whose gradient computes the input
 * gradient whether or not anything needs it. For the U-Net's 7x7 stem on 256x256 images that
 * wasted gradient was about an eighth of a training step on wasm.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** tfjs-layers' Initializer class (its namespace exports only the factories). */
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** Options of {@linkcode InputConv2D}. */
export interface InputConv2DArgs {
  name?: string;
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: "same" | "valid";
  kernelInitializer?: Initializer;
  inputShape?: tf.Shape;
}

/** See the module documentation. Registered for serialisation as "InputConv2D". */
export class InputConv2D extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static className = "InputConv2D";
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: "same" | "valid";
  readonly #initializer: Initializer;
  #kernel: tf.LayerVariable | null = null;

  constructor(args: InputConv2DArgs) {
    super(args as unknown as Record<string, never>);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? "valid";
    // A loaded model gets its weights from the file; the initialiser only seeds new ones.
    this.#initializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== 4 || channels === null) {
      throw new Error(
        `Error in InputConv2D "${this.name}": input must be [B, H, W, C] with known C, but ` +
          `got shape [${shape.map((d) => d ?? "null")}]`,
      );
    }
    this.#kernel = this.addWeight(
      "kernel",
      [this.kernelSize, this.kernelSize, channels, this.filters],
      "float32",
      this.#initializer,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null) => {
      if (size === null) return null;
      return this.padding === "same"
        ? Math.ceil(size / this.strides)
        : Math.floor((size - this.kernelSize) / this.strides) + 1;
    };
    return [b, out(h), out(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return tf.conv2d(x, this.#kernel!.read() as tf.Tensor4D, this.strides, this.padding);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
    };
  }
}
tf.serialization.registerClass(InputConv2D);

/**
 * An {@linkcode InputConv2D} layer.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { inputConv2d } from "./input_conv2d.ts";
 * const model = tf.sequential({
 *   layers: [inputConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", inputShape: [8, 8, 1] })],
 * });
 * const y = model.predict(tf.ones([1, 8, 8, 1])) as tf.Tensor;
 * console.assert(y.shape.join() === "1,4,4,4");
 * ```
 */
export function inputConv2d(args: InputConv2DArgs): InputConv2D {
  return new InputConv2D(args);
}
