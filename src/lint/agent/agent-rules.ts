import type { Rule } from '../rule.js';
import type { AgentLintInput } from './agent-input.js';
import agentConfig from './rules/agent-config.js';
import agentConfigIgnored from './rules/agent-config-ignored.js';
import agentDescription from './rules/agent-description.js';
import agentDuplicateName from './rules/agent-duplicate-name.js';
import agentFieldValue from './rules/agent-field-value.js';
import agentProjectTrust from './rules/agent-project-trust.js';
import agentRequiredField from './rules/agent-required-field.js';
import agentSandboxMode from './rules/agent-sandbox-mode.js';
import agentToml from './rules/agent-toml.js';
import agentUnknownField from './rules/agent-unknown-field.js';
import agentWorkerPreamble from './rules/agent-worker-preamble.js';

/** Every rule for Codex custom agent files and config.toml, in documentation order. */
export const agentRules: readonly Rule<AgentLintInput>[] = [
  agentToml,
  agentUnknownField,
  agentRequiredField,
  agentFieldValue,
  agentDuplicateName,
  agentConfig,
  agentSandboxMode,
  agentProjectTrust,
  agentWorkerPreamble,
  agentDescription,
  agentConfigIgnored,
];
