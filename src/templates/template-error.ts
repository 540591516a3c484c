import { isUserError, UserError } from '../errors/index.js';
import type { Point } from '../markdown/index.js';

/** The data of a `template-invalid` {@link UserError}. */
export interface TemplateFailure {
  /** The template file (as shown) or folder. */
  file: string;
  /** The reason alone, without the file and place. */
  reason: string;
  place?: Point;
}

/** A template that cannot be loaded (`template-invalid`, exit 2). The message names the file and the place. */
export function templateError(source: string, reason: string, place?: Point): UserError {
  return new UserError('template-invalid', `${source}${place ? `:${place.line}:${place.column}` : ''}: ${reason}`, {
    data: { file: source, reason, ...(place ? { place } : {}) },
  });
}

/** The file and reason, when `error` is a template that cannot be loaded; otherwise undefined. */
export function templateFailure(error: unknown): TemplateFailure | undefined {
  return isUserError(error, 'template-invalid') && error.data !== undefined ? (error.data as unknown as TemplateFailure) : undefined;
}
