import type { RoleTemplate } from './model.js';

/** Something a role may do beyond reading, as a level: 0 is the least. */
export interface RoleCapability {
  /** The frontmatter key (`edits`). */
  key: string;
  /** For messages, at the level the replacement asks for: `edit files`. */
  what(level: number): string;
  /** The level a loaded role has. */
  granted(role: RoleTemplate): number;
  /** The level frontmatter asks for. */
  requested(data: Readonly<Record<string, unknown>>): number;
}

// Codex's own default when a role says nothing is cached search.
const searchLevels: Record<string, number> = { disabled: 0, cached: 1, live: 2 };
const searchLevel = (value: unknown): number => (typeof value === 'string' ? (searchLevels[value] ?? 1) : 1);

/**
 * The capabilities a role can be given. An override that asks for more than the role it replaces
 * has widens the role: a repository could otherwise turn the built-in reviewer into an editing
 * worker, or one that searches the live web, without anyone noticing. A new capability goes here.
 */
export const roleCapabilities: readonly RoleCapability[] = [
  { key: 'edits', what: () => 'edit files', granted: (role) => (role.edits ? 1 : 0), requested: (data) => (data['edits'] === true ? 1 : 0) },
  {
    key: 'web-search',
    what: (level) => (level >= 2 ? 'search the live web' : 'search the web'),
    granted: (role) => searchLevel(role.webSearch),
    requested: (data) => searchLevel(data['web-search']),
  },
];

/**
 * What a replacement may do that `original` may not, with the wording for each: a loaded role,
 * or the frontmatter of one (the linter looks at files that may not load).
 */
export function wideningOf(original: RoleTemplate, replacement: { role: RoleTemplate } | { frontmatter: Readonly<Record<string, unknown>> }): Array<{ key: string; what: string }> {
  return roleCapabilities.flatMap((capability) => {
    const level = 'role' in replacement ? capability.granted(replacement.role) : capability.requested(replacement.frontmatter);
    return level > capability.granted(original) ? [{ key: capability.key, what: capability.what(level) }] : [];
  });
}
