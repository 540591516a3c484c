/** One `<!-- orch-prompt-lint-disable ... -->` comment of a template body. */
export interface LintDirective {
  /** Offset of the comment in the document text. */
  offset: number;
  /** Known rule ids it names; `*` when it names none (every rule). */
  ids: string[];
  /**
   * What the comment holds besides rule ids (text hidden in it, or a misspelt id), reported by
   * `hidden-content`: the words from the first stray one to the last, where the first is, and
   * ` (did you mean ...)` when it is one word close to a rule id.
   */
  stray: { text: string; offset: number; hint: string } | undefined;
}
