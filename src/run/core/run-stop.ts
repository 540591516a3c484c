/** Why a run stopped its workers early. */
export type StopCause = { kind: 'user' } | { kind: 'fail-fast' } | { kind: 'run-error'; message: string } | { kind: 'budget'; message: string };

/** Stops a run's workers once, remembering the first cause (it decides what each worker records). */
export class RunStop {
  readonly #controller = new AbortController();
  #cause: StopCause | null = null;

  /** Aborted when the run stops. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first cause given, or null while the run goes on. */
  get cause(): StopCause | null {
    return this.#cause;
  }

  stop(cause: StopCause): void {
    if (this.#cause !== null) return;
    this.#cause = cause;
    this.#controller.abort();
  }
}

/** What a worker stopped by `cause` records: one that ran, or one that never started. */
export function stoppedMessage(cause: StopCause | null, started: boolean): string {
  switch (cause?.kind) {
    case 'fail-fast':
      return started ? 'stopped: another worker failed (--fail-fast)' : 'not started: an earlier worker failed (--fail-fast)';
    case 'run-error':
    case 'budget':
      return `${started ? 'stopped' : 'not started'}: ${cause.message}`;
    default:
      return started ? 'canceled' : 'canceled before it started';
  }
}
