import type { LensTemplate, TemplateSet } from '../templates/model.js';
import { didYouMean, quoteList } from './closest.js';
import { PromptError } from './prompt-error.js';

/** Lens names and aliases, mapped to the lens they name. */
export function lensIndex(templates: TemplateSet): Map<string, LensTemplate> {
  const index = new Map<string, LensTemplate>();
  for (const lens of Object.values(templates.lenses)) {
    for (const alias of lens.aliases) if (!templates.lenses[alias]) index.set(alias, lens);
  }
  for (const lens of Object.values(templates.lenses)) index.set(lens.name, lens);
  return index;
}

/**
 * Resolve lens names and aliases (case-insensitive) to lens templates, without duplicates.
 * @throws {PromptError} `unknown-lens`, naming the closest match.
 */
export function resolveLenses(names: readonly string[], templates: TemplateSet): LensTemplate[] {
  const index = lensIndex(templates);
  const out: LensTemplate[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const lens = index.get(name);
    if (!lens) {
      const known = Object.keys(templates.lenses).sort();
      throw new PromptError(
        'unknown-lens',
        `unknown lens \`${raw}\`, expected one of ${quoteList(known)}${didYouMean(name, index.keys())}`,
      );
    }
    if (!out.includes(lens)) out.push(lens);
  }
  return out;
}
