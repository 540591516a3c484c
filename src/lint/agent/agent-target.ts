import { basename } from 'node:path';
import { UserError } from '../../errors/index.js';
import { fileError, type FileResult } from '../result.js';
import type { LintTarget } from '../target.js';
import { isAgentFileName } from './agent-layer.js';
import { agentPathsIn, lintAgentFiles } from './agent-lint.js';
import { agentRules } from './agent-rules.js';

/**
 * `orch-prompt lint` target for Codex's TOML: a `*.toml` file given by name (a custom agent, or
 * a config.toml), an `agents` folder (every `*.toml` below it, as Codex reads them), or a
 * `.codex` folder (its config.toml and agents).
 */
export const agentTarget: LintTarget = {
  name: 'agent',
  claims: (path, isDirectory) => (isDirectory ? ['agents', '.codex'].includes(basename(path)) : isAgentFileName(basename(path))),
  rules: agentRules,
  lint(paths, options) {
    const files: string[] = [];
    const skipped: FileResult[] = [];
    for (const path of paths) {
      if (!isAgentFileName(basename(path))) {
        const found = agentPathsIn(path);
        if (found.files.length === 0 && found.warnings.length === 0) throw new UserError('nothing-to-lint', `no Codex TOML files (*.toml) in \`${options.display(path) || '.'}\``);
        files.push(...found.files);
        for (const warning of found.warnings) skipped.push({ file: options.display(path) || '.', findings: [fileError(warning, undefined, 'warning')] });
      } else files.push(path);
    }
    const unique = [...new Set(files)];
    return [...lintAgentFiles(unique, { severities: options.severities, display: options.display, ...(options.codexHome !== undefined ? { codexHome: options.codexHome } : {}) }), ...skipped];
  },
};
