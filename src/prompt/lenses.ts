import { UserError } from '../errors/index.js';
import { unusableReason, type LensTemplate, type TemplateSet } from '../templates/model.js';
import { didYouMean, quoteList } from '../text/closest.js';

/**
 * The one lens index: every name and alias, lowercase, mapped to the canonical lens name. A name
 * wins over another lens's alias. Used by the prompt (`--lens`) and by lint (`unknown-lens`).
 */
export function lensNameIndex(lenses: Iterable<{ name: string; aliases: readonly string[] }>): Map<string, string> {
  const all = [...lenses];
  const index = new Map<string, string>();
  for (const lens of all) for (const alias of lens.aliases) index.set(alias.toLowerCase(), lens.name);
  for (const lens of all) index.set(lens.name.toLowerCase(), lens.name);
  return index;
}

/** Lens names and aliases (lowercase), mapped to the lens they name. */
export function lensIndex(templates: TemplateSet): Map<string, LensTemplate> {
  const index = new Map<string, LensTemplate>();
  for (const [key, name] of lensNameIndex(Object.values(templates.lenses))) index.set(key, templates.lenses[name] as LensTemplate);
  return index;
}

/**
 * ` (did you mean `x`?)` for an unknown lens name, or nothing: the one suggestion the CLI and the
 * linter both give. Canonical names are tried before aliases, so `secruity` suggests `security`,
 * not the alias `sec`.
 *
 * @param names known names and aliases (lowercase), each mapped to its canonical lens name.
 */
export function lensSuggestion(input: string, names: ReadonlyMap<string, string>): string {
  const lower = input.trim().toLowerCase();
  return didYouMean(lower, new Set(names.values())) || didYouMean(lower, names.keys());
}

/**
 * Resolve lens names and aliases (case-insensitive) to lens templates, without duplicates.
 * @throws {UserError} `unknown-lens`, naming the closest match.
 */
export function resolveLenses(names: readonly string[], templates: TemplateSet): LensTemplate[] {
  const index = lensIndex(templates);
  const out: LensTemplate[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const lens = index.get(name);
    if (!lens) {
      const unusable = unusableReason(templates, 'lens', name);
      if (unusable !== undefined) throw new UserError('template-unusable', unusable);
      const known = Object.keys(templates.lenses).sort();
      const names = new Map([...index].map(([key, value]) => [key, value.name]));
      throw new UserError('unknown-lens', `unknown lens \`${raw}\`, expected one of ${quoteList(known)}${lensSuggestion(name, names)}`);
    }
    if (!out.includes(lens)) out.push(lens);
  }
  return out;
}
