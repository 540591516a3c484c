/** `value`, or undefined when it is unset or only whitespace (how Codex reads a blank variable). */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
