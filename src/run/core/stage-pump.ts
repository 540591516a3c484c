/** Options of {@link pumpStages}. */
export interface StagePumpOptions<T> {
  /** Items running at once, at most. */
  maxParallel: number;
  /** Stops starting items (running ones are stopped by their owner). */
  signal: AbortSignal;
  /** Whether new items may start (false: the running ones finish, nothing else starts). */
  mayStart?(): boolean;
  /** The stage of an item; stages run in ascending order. */
  stageOf(item: T): number;
  /** Which items of a stage to run, decided when the stage starts (it may read earlier results). */
  select(stageItems: readonly T[]): T[];
  /** Whether two items must not run at the same time. */
  conflicts(a: T, b: T): boolean;
  /** Run one item; it never rejects (a failure is recorded by the item's owner). */
  run(item: T): Promise<void>;
}

/**
 * Run items stage by stage: within a stage, up to `maxParallel` at once, never two conflicting
 * items together (an item waits while a conflicting one runs); the next stage starts when every
 * item of this one has ended. After `signal` aborts, nothing new starts.
 */
export async function pumpStages<T>(items: readonly T[], options: StagePumpOptions<T>): Promise<void> {
  const stages = [...new Set(items.map((item) => options.stageOf(item)))].sort((a, b) => a - b);
  for (const stage of stages) {
    if (options.signal.aborted || options.mayStart?.() === false) return;
    const queue = options.select(items.filter((item) => options.stageOf(item) === stage));
    const running = new Set<T>();
    await new Promise<void>((resolveStage) => {
      const pump = (): void => {
        if (options.signal.aborted || options.mayStart?.() === false) queue.length = 0;
        while (running.size < options.maxParallel) {
          const index = queue.findIndex((item) => ![...running].some((other) => options.conflicts(other, item)));
          if (index === -1) break;
          const [next] = queue.splice(index, 1) as [T];
          running.add(next);
          const done = (): void => {
            running.delete(next);
            pump();
          };
          void options.run(next).then(done, done);
        }
        if (running.size === 0) resolveStage();
      };
      pump();
    });
  }
}
