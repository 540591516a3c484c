import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../markdown/parse.js';
import { checkClawhubBundle, clawhubFingerprint } from './clawhub-bundle.js';
import { clawhubError, runClawhub } from './clawhub.js';
import { fileBytes, type SkillFolder } from './skill-files.js';
import { writeFolderAtomic } from './write-folder.js';

/** Options of {@link publishSkill}. */
export interface PublishOptions {
  /** The clawhub CLI to run (see `findClawhub`); not needed for a dry run. */
  clawhub: string | undefined;
  /** Version to publish (the package version). */
  version: string;
  /** Changelog text (default: `codex-orchestration <version>`). */
  changelog?: string;
  /** Registry API base URL, passed as `clawhub --registry` (default: clawhub's own choice). */
  registry?: string;
  /**
   * Check here what would be published, and run nothing: clawhub's own dry run asks the
   * registry, which takes minutes to fail offline, while everything a dry run can prove (the
   * bundle's rules, its files and fingerprint) is known here.
   */
  dryRun?: boolean;
  /** Environment of the clawhub process (its token lives in its config, found through HOME). */
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/** What clawhub said it did; success and failure have the same shape. */
export interface PublishResult {
  ok: boolean;
  /** clawhub's status (`published`, `pending-publication`, `submitted`, `would-publish`), or `failed`. */
  status: string;
  slug: string;
  version: string;
  dryRun: boolean;
  /** The `--registry` passed on, if any. */
  registry: string | undefined;
  /** Files of the skill, as uploaded. */
  files: string[];
  /** ClawHub's fingerprint of those files, computed here. */
  fingerprint: string;
  /** The latest version the registry had before, as clawhub reported it (`null`: none). */
  latestVersion: string | null;
  /** clawhub's exit code and its `--json` result, as it printed them. */
  clawhub: { exitCode: number | undefined; result: Record<string, unknown> | undefined };
  /** Why it failed (one line), when it did. */
  error?: string;
}

const publishedStatuses = ['published', 'pending-publication', 'submitted'];

/**
 * Publish a built skill folder to ClawHub with the real `clawhub` CLI:
 * `clawhub skill publish DIR --slug <name> --version <version> --changelog ... --json`. The
 * folder is checked against ClawHub's rules, written to a temporary folder (removed afterwards),
 * and published from there. Success is proven by clawhub's own report, not by its exit code: its
 * JSON result must name this slug and version, count these files and carry the fingerprint
 * computed here, so it uploaded exactly what was built.
 *
 * @throws {UserError} when ClawHub would refuse the folder (nothing is run then).
 */
export async function publishSkill(folder: SkillFolder, options: PublishOptions): Promise<PublishResult> {
  checkClawhubBundle(folder);
  const dryRun = options.dryRun === true;
  const fingerprint = clawhubFingerprint(folder);
  const base: Omit<PublishResult, 'ok' | 'status' | 'latestVersion' | 'clawhub'> = {
    slug: folder.name,
    version: options.version,
    dryRun,
    registry: options.registry,
    files: folder.files.map((file) => file.path),
    fingerprint,
  };
  if (dryRun) return { ...base, ok: true, status: 'would-publish', latestVersion: null, clawhub: { exitCode: undefined, result: undefined } };
  if (options.clawhub === undefined) return { ...base, ok: false, status: 'failed', latestVersion: null, clawhub: { exitCode: undefined, result: undefined }, error: 'clawhub is not installed' };
  const clawhub = options.clawhub;
  const stage = mkdtempSync(join(tmpdir(), 'orch-publish-'));
  try {
    // The folder keeps the skill's name: clawhub and its users see it in paths and messages.
    const dir = join(stage, folder.name);
    writeFolderAtomic(dir, folder.files);
    const displayName = interfaceField(folder, 'display_name');
    const args = [
      '--no-input',
      ...(options.registry === undefined ? [] : ['--registry', options.registry]),
      'skill',
      'publish',
      dir,
      '--slug',
      folder.name,
      '--version',
      options.version,
      '--changelog',
      options.changelog ?? `${folder.name} ${options.version}`,
      ...(displayName === undefined ? [] : ['--name', displayName]),
      '--json',
    ];
    const run = await runClawhub(clawhub, args, { env: options.env, ...(options.signal ? { signal: options.signal } : {}) });
    const result = lastJsonObject(run.stdout);
    const latestVersion = typeof result?.['latestVersion'] === 'string' ? result['latestVersion'] : null;
    const failed = (error: string): PublishResult => ({ ...base, ok: false, status: 'failed', latestVersion, clawhub: { exitCode: run.exitCode, result }, error });
    if (run.exitCode !== 0 || run.failure !== undefined) return failed(`clawhub failed: ${clawhubError(run)}`);
    if (!result) return failed('clawhub exited 0 but printed no JSON result, so nothing proves what it uploaded');
    const wanted = publishedStatuses;
    const mismatch = [
      result['ok'] === true ? undefined : `ok ${JSON.stringify(result['ok'])}, expected true`,
      wanted.includes(String(result['status'])) ? undefined : `status ${JSON.stringify(result['status'])}, expected ${wanted.join(' or ')}`,
      result['slug'] === folder.name ? undefined : `slug ${JSON.stringify(result['slug'])}, expected ${folder.name}`,
      result['version'] === options.version ? undefined : `version ${JSON.stringify(result['version'])}, expected ${options.version}`,
      result['fileCount'] === folder.files.length ? undefined : `${JSON.stringify(result['fileCount'])} files, expected ${folder.files.length}`,
      result['fingerprint'] === fingerprint ? undefined : `fingerprint ${JSON.stringify(result['fingerprint'])}, expected ${fingerprint} (it did not see exactly the built files)`,
    ].filter((line) => line !== undefined);
    if (mismatch.length > 0) return failed(`clawhub reported ${mismatch.join('; ')}`);
    return { ...base, ok: true, status: String(result['status']), latestVersion, clawhub: { exitCode: run.exitCode, result } };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** A string field of `interface` in the skill's `agents/openai.yaml`, if there is one. */
function interfaceField(folder: SkillFolder, key: string): string | undefined {
  const file = folder.files.find((f) => f.path === 'agents/openai.yaml');
  if (!file) return undefined;
  try {
    const data: unknown = parseYaml(Buffer.from(fileBytes(file)).toString('utf8'));
    const ui = isRecord(data) ? data['interface'] : undefined;
    const value = isRecord(ui) ? ui[key] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON object clawhub printed with `--json` (the last one, if anything came before it). */
function lastJsonObject(stdout: string): Record<string, unknown> | undefined {
  const text = stdout.trim();
  for (let at = text.lastIndexOf('\n{'); ; at = text.lastIndexOf('\n{', at - 1)) {
    const candidate = at < 0 ? text : text.slice(at + 1);
    try {
      const data: unknown = JSON.parse(candidate);
      if (isRecord(data)) return data;
    } catch {
      // not this one
    }
    if (at <= 0) return undefined;
  }
}
