import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileReadFailure, readTextBounded } from '../../../fs/read-bounded.js';
import { isRecord } from '../../../markdown/index.js';
import { defineRule } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';

/** Plugin manifests that make Codex 0.169 treat every skill below them as the plugin's. */
export const pluginManifests = ['.codex-plugin/plugin.json', '.claude-plugin/plugin.json', '.cursor-plugin/plugin.json'] as const;

/** A plugin manifest in the skill folder or above it. */
export interface PluginManifest {
  path: string;
  /** The plugin's `name`, when the manifest has one. */
  name: string | undefined;
}

/** The nearest plugin manifest in `dir` or one of its parent folders. */
export function findPluginManifest(dir: string): PluginManifest | undefined {
  for (let current = dir; ; current = dirname(current)) {
    for (const manifest of pluginManifests) {
      const path = join(current, ...manifest.split('/'));
      if (existsSync(path)) return { path, name: pluginName(path) };
    }
    if (dirname(current) === current) return undefined;
  }
}

function pluginName(path: string): string | undefined {
  try {
    const data: unknown = JSON.parse(readTextBounded(path, { maxBytes: 1024 * 1024, what: 'a plugin manifest' }));
    return isRecord(data) && typeof data['name'] === 'string' && data['name'] !== '' ? data['name'] : undefined;
  } catch (error) {
    if (fileReadFailure(error) || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * A warning when the skill folder, or a folder above it, holds a plugin manifest: Codex then
 * lists the skill as `<plugin>:<name>` (checked with Codex 0.169), so `$<name>` no longer names
 * it. Only for a folder on disk, since only there does a parent exist.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-plugin-ancestor',
  appliesTo: 'skill',
  severity: 'warn',
  summary: 'No plugin manifest in or above the skill folder (Codex would rename the skill after the plugin).',
  messages: {
    plugin: '`{manifest}` makes Codex list this skill as `{plugin}:{name}`, expected no plugin manifest in or above the skill folder (install it elsewhere, or mention it as `${plugin}:{name}`)',
  },
  check(input, report) {
    if (input.file !== '' || input.location === undefined) return;
    const found = findPluginManifest(input.location);
    if (found) report('plugin', { line: 1, column: 1 }, { manifest: found.path, plugin: found.name ?? '<plugin name>', name: input.folderName });
  },
});
