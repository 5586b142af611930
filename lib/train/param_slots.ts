/**
 * Per-parameter optimizer state ("slots": Adam's m and v, SGD's momentum buffer) over a
 * fixed, ordered parameter list. Saved names are positional (`param3/m`), so the state of
 * one model restores into a rebuilt copy of it, whose variables get other unique names.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../io/named_tensors.ts";

/** One parameter with its slots and this step's gradient. */
export interface ParamUpdate {
  param: tf.Variable;
  slots: tf.Variable[];
  grad: tf.Tensor;
}

/**
 * Zero-initialised slot variables for each parameter, looked up by the variable names that
 * `tf.variableGrads` keys gradients with.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ParamSlots } from "./param_slots.ts";
 * const w = tf.variable(tf.zeros([2]));
 * const slots = new ParamSlots("demo", [w], ["m"]);
 * console.assert(slots.namedSlots()[0].name === "param0/m");
 * slots.dispose();
 * w.dispose();
 * ```
 */
export class ParamSlots {
  readonly params: readonly tf.Variable[];
  readonly slotNames: readonly string[];
  #owner: string;
  #index = new Map<string, number>();
  #slots: tf.Variable[][];

  constructor(owner: string, params: readonly tf.Variable[], slotNames: readonly string[]) {
    this.#owner = owner;
    this.params = [...params];
    this.slotNames = [...slotNames];
    params.forEach((p, i) => {
      if (!(p instanceof tf.Variable)) {
        throw new TypeError(
          `Cannot create ${owner} as parameters must be tf.Variable: current value at ${i} is ${p}`,
        );
      }
      this.#index.set(p.name, i);
    });
    this.#slots = params.map((p) =>
      slotNames.map(() => tf.tidy(() => tf.variable(tf.zerosLike(p), false)))
    );
  }

  /** The parameters that have a gradient in `gradients`, in parameter order. */
  withGradients(gradients: tf.NamedTensorMap | NamedTensor[]): ParamUpdate[] {
    const byName: tf.NamedTensorMap = Array.isArray(gradients)
      ? Object.fromEntries(gradients.map((g) => [g.name, g.tensor]))
      : gradients;
    for (const name of Object.keys(byName)) {
      if (!this.#index.has(name)) {
        throw new RangeError(
          `Cannot apply gradients in ${this.#owner} as each must belong to one of its ` +
            `${this.params.length} parameters: current value is "${name}"`,
        );
      }
    }
    const updates: ParamUpdate[] = [];
    this.params.forEach((param, i) => {
      const grad = byName[param.name];
      if (grad != null) updates.push({ param, slots: this.#slots[i], grad });
    });
    return updates;
  }

  /** Every slot as `{ name: "param<i>/<slot>", tensor }` (the variables themselves). */
  namedSlots(): NamedTensor[] {
    return this.#slots.flatMap((slots, i) =>
      slots.map((tensor, s) => ({ name: `param${i}/${this.slotNames[s]}`, tensor }))
    );
  }

  /** Copies saved slots (as {@linkcode namedSlots} names them) into the variables. */
  restore(weights: NamedTensor[]): void {
    const expected = this.namedSlots();
    if (weights.length !== expected.length) {
      throw new RangeError(
        `Cannot restore ${this.#owner} as the saved state must hold ${expected.length} slots ` +
          `(${this.slotNames.join(", ")} for ${this.params.length} parameters): current value ` +
          `has ${weights.length}`,
      );
    }
    weights.forEach(({ name, tensor }, i) => {
      const slot = expected[i];
      if (name !== slot.name || tensor.shape.join() !== slot.tensor.shape.join()) {
        throw new RangeError(
          `Cannot restore ${this.#owner} as slot ${i} must be "${slot.name}" of shape ` +
            `[${slot.tensor.shape}]: current value is "${name}" of shape [${tensor.shape}]`,
        );
      }
    });
    weights.forEach(({ tensor }, i) => (expected[i].tensor as tf.Variable).assign(tensor));
  }

  /** Disposes the slot variables (not the parameters). */
  dispose(): void {
    tf.dispose(this.#slots.flat());
  }
}
