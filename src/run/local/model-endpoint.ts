import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { codexHome } from './codex-home.js';
import { nonBlank } from '../../text/non-blank.js';

/** Where a `codex exec` worker will send its model requests, as far as its configuration tells. */
export interface ModelEndpoint {
  /** The provider id (`openai`, or a `[model_providers.ID]` table). */
  provider: string;
  /**
   * Base URLs the worker may use; reaching any one is enough. The built-in `openai` provider
   * has two (the API, and the ChatGPT backend for a ChatGPT sign-in), and which one applies
   * depends on the credentials, which this never reads.
   */
  urls: string[];
  /** Where the URL came from, for messages: the config file, `-c KEY=VALUE`, an environment variable, or `Codex's default`. */
  source: string;
}

/** Input of {@link modelEndpoint}. */
export interface ModelEndpointInput {
  /** The workers' environment: CODEX_HOME, HOME, OPENAI_BASE_URL, CODEX_OSS_* are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** `-c key=value` overrides passed to each worker, in order. */
  config?: readonly string[];
  /** `-p NAME` passed to each worker. */
  profile?: string;
}

// A config file larger than this is not a Codex configuration.
const maxConfigBytes = 1024 * 1024;

/**
 * Resolve the model endpoint a `codex exec` worker would use, the way Codex 0.169 does: the
 * provider from the profile, else `model_provider` (after `-c` overrides), else `openai`; the
 * built-in providers' fixed URLs; a configured provider's `base_url`. Returns undefined when the
 * configuration cannot say (unreadable or invalid `config.toml`, a provider without a
 * `base_url`): Codex reports those itself, and guessing could stop a run that would work.
 */
export function modelEndpoint(input: ModelEndpointInput): ModelEndpoint | undefined {
  const env = input.env;
  const file = join(codexHome(env), 'config.toml');
  let config: Record<string, unknown>;
  let fileSource = file;
  try {
    config = parseToml(readTextBounded(file, { maxBytes: maxConfigBytes, what: 'a Codex config' })) as Record<string, unknown>;
  } catch (error) {
    if (fileReadFailure(error)?.kind !== 'not-found') return undefined;
    config = {};
    fileSource = "Codex's default";
  }
  // Where each setting came from, for messages: the last `-c` that set it (or a table above it), else the file.
  const overrides: Array<{ path: string; entry: string }> = [];
  for (const entry of input.config ?? []) {
    const path = applyOverride(config, entry);
    if (path !== undefined) overrides.push({ path, entry });
  }
  const sourceOf = (path: string, fallback = fileSource): string => {
    const last = overrides.filter((o) => path === o.path || path.startsWith(`${o.path}.`)).at(-1);
    return last ? `-c ${last.entry}` : fallback;
  };

  const profileName = input.profile ?? stringAt(config, ['profile']);
  const fromProfile = profileName === undefined ? undefined : stringAt(config, ['profiles', profileName, 'model_provider']);
  const provider = fromProfile ?? stringAt(config, ['model_provider']) ?? 'openai';
  const builtin = builtinUrls(provider, config, env);
  if (builtin) return { provider, urls: builtin.urls, source: builtin.from === 'config' ? sourceOf('openai_base_url') : builtin.from };
  const urls = configuredUrl(provider, config);
  return urls === undefined ? undefined : { provider, urls, source: sourceOf(`model_providers.${provider}.base_url`) };
}

/** Codex's built-in providers cannot be redefined in config.toml (built-ins win); `from` says where the URL came from. */
function builtinUrls(provider: string, config: Record<string, unknown>, env: ModelEndpointInput['env']): { urls: string[]; from: string } | undefined {
  if (provider === 'openai') {
    const configured = stringAt(config, ['openai_base_url']);
    if (configured !== undefined) return { urls: [configured], from: 'config' };
    const base = nonBlank(env['OPENAI_BASE_URL']);
    return base !== undefined ? { urls: [base], from: 'OPENAI_BASE_URL' } : { urls: ['https://api.openai.com/v1', 'https://chatgpt.com/backend-api/codex'], from: "Codex's default" };
  }
  if (provider === 'ollama' || provider === 'lmstudio') {
    const port = nonBlank(env['CODEX_OSS_PORT']) ?? (provider === 'ollama' ? '11434' : '1234');
    const base = nonBlank(env['CODEX_OSS_BASE_URL']);
    return { urls: [base ?? `http://localhost:${port}/v1`], from: base !== undefined ? 'CODEX_OSS_BASE_URL' : "Codex's default" };
  }
  if (provider === 'amazon-bedrock') return { urls: ['https://bedrock-mantle.us-east-1.api.aws/v1'], from: "Codex's default" };
  return undefined;
}

function configuredUrl(provider: string, config: Record<string, unknown>): string[] | undefined {
  const base = stringAt(config, ['model_providers', provider, 'base_url']);
  return base === undefined ? undefined : [base];
}

/**
 * Apply one `-c key=value` the way Codex does: a dotted key, and a value parsed as TOML, or
 * taken as a plain string when it is not TOML (`-c model=o3`). Returns the dotted key set.
 */
function applyOverride(config: Record<string, unknown>, entry: string): string | undefined {
  const at = entry.indexOf('=');
  if (at <= 0) return undefined;
  const path = entry.slice(0, at).trim().split('.');
  const text = entry.slice(at + 1);
  let value: unknown;
  try {
    value = (parseToml(`value = ${text}`) as { value: unknown }).value;
  } catch {
    value = text;
  }
  let node = config;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
  return path.join('.');
}

function stringAt(config: Record<string, unknown>, path: readonly string[]): string | undefined {
  let node: unknown = config;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? nonBlank(node) : undefined;
}
