/**
 * The part every optimizer of ours shares: per-parameter slot variables (ParamSlots) saved
 * and restored with the step count, so a checkpoint resumes bit-exactly.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../io/named_tensors.ts";
import { ParamSlots } from "./param_slots.ts";

/** A tfjs Optimizer whose state is one ParamSlots set plus the iteration count. */
export abstract class SlottedOptimizer extends tf.Optimizer {
  #slots?: ParamSlots;
  /**
   * Learning-rate factor per parameter name (default 1), as PyTorch's parameter groups:
   * the step and the decoupled weight decay of that parameter use `learningRate * factor`.
   */
  lrScales: Record<string, number> = {};

  /** The learning rate of one parameter this step. */
  protected paramLearningRate(name: string, learningRate: number): number {
    return learningRate * (this.lrScales[name] ?? 1);
  }

  /** Creates the slots; subclasses call it at the end of their constructor, after checks. */
  protected initSlots(name: string, params: readonly tf.Variable[], slotNames: string[]): void {
    this.#slots = new ParamSlots(name, params, slotNames);
  }

  /** The slots (created by {@linkcode SlottedOptimizer.initSlots}). */
  protected get slots(): ParamSlots {
    if (this.#slots === undefined) {
      throw new Error("Cannot use the optimizer's slots before initSlots was called");
    }
    return this.#slots;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...this.slots.namedSlots()];
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    this.slots.restore(await this.extractIterations(weights));
  }

  override dispose(): void {
    this.#slots?.dispose();
  }
}
