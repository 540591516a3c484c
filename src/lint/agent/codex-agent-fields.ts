// What Codex 0.169 accepts in a custom agent file and in config.toml's `[agents]` table, found
// with the pinned binary: a file holding `KEY = 1` was written for every identifier-like string
// in the binary (about 72,000) and Codex's warning for each file read back. A key Codex does not
// know is an "unknown field" and the whole file is skipped; a known one either loads or fails
// with "invalid type: ..., expected X", which names its type. test/lint/agent-codex.test.ts
// checks this table against the binary again.

/** The TOML type Codex expects at a key: `string-or-table` for enums that take a table too. */
export type FieldType = 'string' | 'boolean' | 'integer' | 'array' | 'table' | 'string-or-table' | 'any';

/** The fields of a custom agent file itself (the rest are config.toml keys, layered for the agent). */
export const agentFileFields: Readonly<Record<string, FieldType>> = {
  name: 'string',
  description: 'string',
  developer_instructions: 'string',
  nickname_candidates: 'array',
};

/**
 * The config.toml keys Codex 0.169 also accepts in an agent file, with their types. `model`,
 * `model_reasoning_effort` and `developer_instructions` are honoured for the spawned agent;
 * `sandbox_mode` is accepted and has no effect (a spawned agent runs in its parent's sandbox).
 */
export const configFields: Readonly<Record<string, FieldType>> = {
  agents: 'table',
  allow_login_shell: 'boolean',
  analytics: 'table',
  approval_policy: 'string-or-table',
  approvals_reviewer: 'string-or-table',
  apps: 'table',
  apps_mcp_product_sku: 'string',
  audio: 'table',
  auto_review: 'table',
  background_terminal_max_timeout: 'integer',
  browser_use: 'table',
  chatgpt_base_url: 'string',
  check_for_update_on_startup: 'boolean',
  cli_auth_credentials_store: 'string-or-table',
  cloud: 'table',
  compact_prompt: 'string',
  computer_use: 'table',
  daybreak: 'boolean',
  default_permissions: 'string',
  desktop: 'table',
  developer_instructions: 'string',
  disable_paste_burst: 'boolean',
  experimental_compact_prompt_file: 'string',
  experimental_realtime_start_instructions: 'string',
  experimental_realtime_ws_backend_prompt: 'string',
  experimental_realtime_ws_base_url: 'string',
  experimental_realtime_ws_model: 'string',
  experimental_realtime_ws_startup_context: 'string',
  experimental_thread_store: 'table',
  experimental_thread_store_endpoint: 'string',
  experimental_use_unified_exec_tool: 'boolean',
  features: 'table',
  feedback: 'table',
  file_opener: 'string-or-table',
  forced_chatgpt_workspace_id: 'any',
  forced_login_method: 'string-or-table',
  ghost_snapshot: 'table',
  goals: 'table',
  hide_agent_reasoning: 'boolean',
  history: 'table',
  hooks: 'table',
  include_apps_instructions: 'boolean',
  include_collaboration_mode_instructions: 'boolean',
  include_environment_context: 'boolean',
  include_environment_context_time: 'boolean',
  include_permissions_instructions: 'boolean',
  instructions: 'string',
  log_dir: 'string',
  marketplaces: 'table',
  mcp_oauth_callback_port: 'integer',
  mcp_oauth_callback_url: 'string',
  mcp_oauth_credentials_store: 'string-or-table',
  mcp_servers: 'table',
  memories: 'table',
  model: 'string',
  model_auto_compact_token_limit: 'integer',
  model_auto_compact_token_limit_scope: 'string-or-table',
  model_catalog_json: 'string',
  model_context_window: 'integer',
  model_instructions_file: 'string',
  model_provider: 'string',
  model_providers: 'table',
  model_reasoning_effort: 'string',
  model_reasoning_summary: 'string-or-table',
  model_verbosity: 'string-or-table',
  notice: 'table',
  notify: 'array',
  openai_base_url: 'string',
  orchestrator: 'table',
  oss_provider: 'string',
  otel: 'table',
  permissions: 'table',
  personality: 'string-or-table',
  plan_mode_reasoning_effort: 'string',
  plugins: 'table',
  profile: 'string',
  profiles: 'table',
  project_doc_fallback_filenames: 'array',
  project_doc_max_bytes: 'integer',
  project_root_markers: 'array',
  projects: 'table',
  realtime: 'table',
  responses_api_metadata: 'table',
  review_model: 'string',
  sandbox_mode: 'string-or-table',
  sandbox_workspace_write: 'table',
  service_tier: 'string',
  shell_environment_policy: 'table',
  show_raw_agent_reasoning: 'boolean',
  skills: 'table',
  sqlite_home: 'string',
  suppress_unstable_features_warning: 'boolean',
  thread_unload_delay_secs: 'integer',
  tool_output_token_limit: 'integer',
  tool_suggest: 'table',
  tools: 'table',
  tui: 'table',
  web_search: 'string-or-table',
  windows: 'table',
};

/** Values Codex 0.169 accepts for the enums an agent file is likely to set (others: any string). */
export const fieldChoices: Readonly<Record<string, readonly string[]>> = {
  sandbox_mode: ['read-only', 'workspace-write', 'danger-full-access'],
  web_search: ['disabled', 'cached', 'indexed', 'live'],
};

/** The settings of config.toml's `[agents]` table; any other key there names an inline agent role. */
export const agentsSettings: Readonly<Record<string, { type: 'integer' | 'boolean'; min?: number }>> = {
  max_threads: { type: 'integer', min: 1 },
  max_depth: { type: 'integer', min: 0 },
  job_max_runtime_seconds: { type: 'integer', min: 0 },
  interrupt_message: { type: 'boolean' },
};

/** The fields of an inline role (`[agents.NAME]`) that Codex 0.169 reads; others are accepted and ignored. */
export const inlineRoleFields: Readonly<Record<string, FieldType>> = {
  description: 'string',
  config_file: 'string',
  nickname_candidates: 'array',
};

/** Every key an agent file may hold. */
export function knownAgentKeys(): string[] {
  return [...new Set([...Object.keys(agentFileFields), ...Object.keys(configFields)])];
}
