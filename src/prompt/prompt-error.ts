/** Why a prompt could not be rendered. `code` is stable; the message is for people. */
export type PromptErrorCode =
  | 'unknown-role'
  | 'unknown-lens'
  | 'unknown-parameter'
  | 'missing-parameter'
  | 'lens-required'
  | 'lens-not-accepted'
  | 'too-many-lenses'
  | 'scope-required'
  | 'unknown-context-field'
  | 'unresolved-placeholder'
  | 'context-pack-file'
  | 'template-unusable';

/** A user error in the request for a prompt (the CLI exits 2 with the message). */
export class PromptError extends Error {
  override name = 'PromptError';
  readonly code: PromptErrorCode;

  constructor(code: PromptErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
