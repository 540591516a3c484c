import type { RoleTemplate } from './model.js';

/** Something a role may do beyond reading, as the loaded role and as its frontmatter say it. */
export interface RoleCapability {
  /** The frontmatter key (`edits`). */
  key: string;
  /** For messages: `edit files`. */
  what: string;
  /** Whether a loaded role has it. */
  granted(role: RoleTemplate): boolean;
  /** Whether frontmatter asks for it. */
  requested(data: Readonly<Record<string, unknown>>): boolean;
}

/**
 * The capabilities a role can be given. An override that grants one that the role it replaces
 * does not have widens the role: a repository could otherwise turn the built-in reviewer into an
 * editing worker without anyone noticing. A new capability key (e.g. `web-search`) goes here.
 */
export const roleCapabilities: readonly RoleCapability[] = [
  { key: 'edits', what: 'edit files', granted: (role) => role.edits, requested: (data) => data['edits'] === true },
];

/** What `replacement` (frontmatter data, or a loaded role) may do that `original` may not. */
export function wideningOf(original: RoleTemplate, replacement: RoleTemplate | Readonly<Record<string, unknown>>): RoleCapability[] {
  const asks = (capability: RoleCapability): boolean =>
    'kind' in replacement && replacement['kind'] === 'role' && 'sections' in replacement ? capability.granted(replacement as RoleTemplate) : capability.requested(replacement as Readonly<Record<string, unknown>>);
  return roleCapabilities.filter((capability) => asks(capability) && !capability.granted(original));
}
