import type { Point } from '../markdown/index.js';

/** A template that cannot be loaded. The message names the file and the place. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly source: string;
  readonly place: Point | undefined;
  readonly reason: string;

  constructor(source: string, reason: string, place?: Point) {
    super(`${source}${place ? `:${place.line}:${place.column}` : ''}: ${reason}`);
    this.source = source;
    this.reason = reason;
    this.place = place;
  }
}
