import { builtinTemplatesDir } from './package-root.js';
import { layerTemplates } from './layers.js';
import type { TemplateSet } from './model.js';

let cache: TemplateSet | undefined;

/**
 * The built-in templates, parsed from `templates/`. The bundled CLI replaces this module with
 * the same set precompiled at build time (see `scripts/build.mjs`), so that the CLI and the
 * skill script start without loading a Markdown parser.
 */
export function builtinTemplates(): TemplateSet {
  if (!cache) {
    const { overrides: _overrides, problems: _problems, ...set } = layerTemplates(undefined, [builtinTemplatesDir()], { strict: true });
    cache = set;
  }
  return cache;
}
