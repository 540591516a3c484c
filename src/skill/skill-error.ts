/** A skill source, folder or install target that cannot be used; the CLI prints it and exits 1. */
export class SkillError extends Error {
  override name = 'SkillError';
}
