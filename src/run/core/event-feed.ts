import type { RunEvent } from '../record/reducer.js';

/**
 * A run's events for whoever follows them: each subscriber gets every event pushed after it
 * subscribed, in order, until the run ends. Events wait in a subscriber's queue until it reads
 * them; one that stops reading (breaks its loop) is dropped.
 */
export class EventFeed {
  #subscribers = new Set<{ queue: RunEvent[]; wake: (() => void) | null }>();
  #ended = false;

  push(event: RunEvent): void {
    for (const subscriber of this.#subscribers) {
      subscriber.queue.push(event);
      subscriber.wake?.();
    }
  }

  end(): void {
    this.#ended = true;
    for (const subscriber of this.#subscribers) subscriber.wake?.();
  }

  subscribe(): AsyncIterableIterator<RunEvent> {
    const subscriber: { queue: RunEvent[]; wake: (() => void) | null } = { queue: [], wake: null };
    if (!this.#ended) this.#subscribers.add(subscriber);
    const feed = this;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<RunEvent>> {
        for (;;) {
          const event = subscriber.queue.shift();
          if (event !== undefined) return { value: event, done: false };
          if (feed.#ended || !feed.#subscribers.has(subscriber)) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (subscriber.wake = resolve));
          subscriber.wake = null;
        }
      },
      async return(): Promise<IteratorResult<RunEvent>> {
        feed.#subscribers.delete(subscriber);
        return { value: undefined, done: true };
      },
    };
  }
}
