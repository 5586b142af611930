/**
 * A fixed pool of module workers behind comlink, one per core by default, for CPU-bound
 * jobs such as rendering spectrograms. Workers inherit the task's permissions.
 *
 * @module
 */
import { type Remote, wrap } from "comlink";

/** A pool of `size` workers running `moduleUrl`; `run` waits for a free one. */
export class WorkerPool<Api> {
  #workers: Worker[] = [];
  #free: Remote<Api>[] = [];
  #waiting: ((api: Remote<Api>) => void)[] = [];

  constructor(moduleUrl: URL, size = navigator.hardwareConcurrency) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(moduleUrl.href, { type: "module", name: `pool-${i}` });
      this.#workers.push(worker);
      this.#free.push(wrap<Api>(worker));
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.#workers.length;
  }

  /** Runs `job` on the next free worker. */
  async run<T>(job: (api: Remote<Api>) => Promise<T>): Promise<T> {
    const api = this.#free.pop() ??
      await new Promise<Remote<Api>>((resolve) => this.#waiting.push(resolve));
    try {
      return await job(api);
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next(api);
      else this.#free.push(api);
    }
  }

  /** Stops every worker. */
  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
  }
}
