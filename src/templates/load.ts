import { builtinTemplates } from './builtin-set.js';
import { layerTemplates, type LoadTemplatesOptions } from './layers.js';
import type { LoadedTemplates } from './model.js';

export type { LoadTemplatesOptions } from './layers.js';

/**
 * Load templates: the built-ins first (unless `builtins: false`), then every folder in `dirs` in
 * order, by {@link layerTemplates}'s rules: a later template with the same kind and name
 * replaces an earlier one (listed in `overrides`), a bad file is a problem, never a throw.
 *
 * @throws {UserError} `template-invalid` with `strict`, on the first problem.
 */
export function loadTemplates(dirs: readonly string[] = [], options: LoadTemplatesOptions = {}): LoadedTemplates {
  return layerTemplates(options.builtins === false ? undefined : builtinTemplates(), dirs, options);
}
