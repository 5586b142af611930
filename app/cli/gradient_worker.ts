/**
 * Starts the gradient worker (workers/gradient_worker.ts) that two-core training
 * (`train.data_parallel`) splits each batch with.
 *
 * @module
 */

/** A new module worker running workers/gradient_worker.ts. */
export function createGradientWorker(): Worker {
  return new Worker(new URL("../../workers/gradient_worker.ts", import.meta.url).href, {
    type: "module",
  });
}
