import type { TemplateOverride, TemplateSet } from './model.js';

/**
 * The roles and lenses of a template set as data, sorted by name: what `list --format json`
 * prints and the MCP server's `list_templates` returns.
 */
export function templateListing(templates: TemplateSet) {
  const roles = Object.values(templates.roles)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((role) => ({
      name: role.name,
      description: role.description,
      scope: role.scope ?? null,
      edits: role.edits,
      lenses: role.lenses,
      parameters: role.parameters,
      outputSchema: role.outputSchema !== undefined,
      source: role.source,
    }));
  const lenses = Object.values(templates.lenses)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((lens) => ({ name: lens.name, title: lens.title, aliases: lens.aliases, description: lens.description, source: lens.source }));
  return { roles, lenses };
}

/** A template that replaces a built-in, as JSON output lists it (`overrides`). */
export function overrideView(entry: TemplateOverride): Record<string, string> {
  return { kind: entry.kind, name: entry.name, source: entry.source, replaces: entry.replaces, ...(entry.widens ? { widens: entry.widens } : {}) };
}
