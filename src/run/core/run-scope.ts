import type { RunScope } from '../executor/executor.js';

/** A run's scope for its executors: what lives as long as the run and no longer. */
export function createRunScope(): RunScope {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    serial<T>(step: () => Promise<T>): Promise<T> {
      const next = queue.then(step, step);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
