import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPathsIn, lintAgentFiles } from '../../src/lint/agent/agent-lint.js';
import { configFields } from '../../src/lint/agent/codex-agent-fields.js';
import { codexExec } from '../support/codex-exec.js';
import { offeredAgents, skippedAgentWarnings } from '../support/codex-agents.js';
import { makeCodexHome, startMockModel, type MockModelServer } from '../support/mock-model.js';

// The agent rules against the real consumer: the pinned `codex` reads the same files, offline
// against a loopback model, and what it skips (its stderr warnings), refuses (its exit) or offers
// (`spawn_agent`'s `agent_type`) must be exactly what `orch-prompt lint` says.

let server: MockModelServer;
const scratch = mkdtempSync(join(tmpdir(), 'orch-agent-codex-'));
beforeAll(async () => {
  server = await startMockModel(() => ({ text: 'done' }));
});
const homes: Array<() => void> = [];
afterAll(async () => {
  await server.close();
  for (const cleanup of homes) cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const description = 'Reviews a change for defects. Use when a change needs review. Not for edits.';
const agent = (name: string, extra = ''): string => `name = "${name}"\ndescription = "${description}"\ndeveloper_instructions = "CONTEXT: WORKER\\nReview."\n${extra}`;

/** One real session in a fresh CODEX_HOME set up by `setup`: what Codex offered, skipped, said. */
async function session(setup: (home: string) => void) {
  const home = makeCodexHome(server);
  homes.push(home.cleanup);
  setup(home.home);
  const work = mkdtempSync(join(scratch, 'work-'));
  // Sessions run concurrently against one model: each is known by its prompt.
  const prompt = `Say hello. session=${work}`;
  const run = await codexExec({ prompt, env: { ...home.env, HOME: work }, cwd: work, json: false });
  const request = server.requests.find((r) => r.raw.includes(prompt) && r.body['tools'] !== undefined);
  return { home, run, offered: request ? offeredAgents(request) : new Map<string, string>(), warnings: skippedAgentWarnings(run.stderr) };
}

describe('orch-prompt lint and Codex 0.169 agree on every agent file', { timeout: 120_000 }, () => {
  it('the files lint reports errors for are exactly the files Codex skips, and the rest are offered', async () => {
    const files: Record<string, string> = {
      'good.toml': agent('good', 'model = "mock-model-2"\nmodel_reasoning_effort = "high"\nnickname_candidates = ["Ada"]\n'),
      'sandboxed.toml': agent('sandboxed', 'sandbox_mode = "read-only"\n'),
      'team/nested.toml': agent('nested', '[features]\nanything = true\n'),
      '.hidden.toml': agent('hidden'),
      'not-an-agent.TOML': agent('upper-case'),
      'unknown.toml': agent('unknown', 'modle = "x"\n'),
      'unterminated.toml': 'name = "unterminated\n',
      'no-name.toml': 'description = "x"\ndeveloper_instructions = "y"\n',
      'no-description.toml': 'name = "no-description"\ndeveloper_instructions = "y"\n',
      'blank-instructions.toml': 'name = "blank"\ndescription = "x"\ndeveloper_instructions = " "\n',
      'name-number.toml': 'name = 3\ndescription = "x"\ndeveloper_instructions = "y"\n',
      'bad-sandbox.toml': agent('bad-sandbox', 'sandbox_mode = "readonly"\n'),
      'bad-search.toml': agent('bad-search', 'web_search = "sometimes"\n'),
      'bad-type.toml': agent('bad-type', 'hide_agent_reasoning = "yes"\n'),
      'nick-twice.toml': agent('nick-twice', 'nickname_candidates = ["A", "A"]\n'),
      'nick-empty.toml': agent('nick-empty', 'nickname_candidates = []\n'),
      'nick-chars.toml': agent('nick-chars', 'nickname_candidates = ["Zoë"]\n'),
      // Path order, component by component: `-` sorts before `.`, so the copy claims the name.
      'dup-copy.toml': agent('dup').replace('Reviews a change', 'Reviews the first copy of a change'),
      'dup.toml': agent('dup'),
      'team/dup.toml': agent('dup'),
      // A file Codex skips claims no name: the next one of that name loads.
      'again-broken.toml': agent('again', 'colour = "red"\n'),
      'team/again.toml': agent('again'),
    };
    const { home, run, offered, warnings } = await session((dir) => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, 'agents', path, '..'), { recursive: true });
        writeFileSync(join(dir, 'agents', path), text);
      }
    });
    expect(run.code, run.stderr).toBe(0);
    const results = lintAgentFiles(agentPathsIn(join(home.home, 'agents')).files, { codexHome: home.home, display: (p) => relative(join(home.home, 'agents'), p) });
    const failing = results.filter((r) => r.findings.some((f) => f.severity === 'error')).map((r) => r.file).sort();
    const loaded = results.filter((r) => !failing.includes(r.file)).map((r) => r.file).sort();

    // Codex names the file, or (for a missing description and a name clash) the agent's name.
    const skipped = new Set<string>();
    for (const warning of warnings) {
      const path = / at (\/\S+?\.toml)/.exec(warning)?.[1] ?? /agent role file (?:at )?(\/\S+?\.toml)/.exec(warning)?.[1];
      const name = /^agent role `([^`]+)` must define a description/.exec(warning)?.[1] ?? /^duplicate agent role name `([^`]+)`/.exec(warning)?.[1];
      if (path !== undefined) skipped.add(relative(join(home.home, 'agents'), path));
      else if (name !== undefined) {
        for (const r of results) if (r.findings.some((f) => f.severity === 'error') && files[r.file]?.includes(`name = "${name}"`)) skipped.add(r.file);
      } else throw new Error(`a warning this test cannot place: ${warning}`);
    }
    expect([...skipped].sort()).toEqual(failing);
    // Each skipped file is reported twice on stderr, and nothing tells the model.
    expect(warnings.length).toBe(2 * failing.length);
    // The others are offered under their names, the upper-case file is never read.
    const names = loaded.filter((file) => file !== 'not-an-agent.TOML').map((file) => /name = "([^"]+)"/.exec(files[file] ?? '')?.[1]);
    expect([...offered.keys()].sort()).toEqual(names.sort());
    expect(offered.get('dup')).toContain('Reviews the first copy of a change');
    expect(offered.get('good')).toContain('`mock-model-2`');
    expect(results.find((r) => r.file === 'not-an-agent.TOML')).toBeUndefined();
  });

  // config.toml's [agents]: what refuses to start, and what skips a role.
  const configs: Array<[string, string, 'refused' | 'skipped' | 'loaded']> = [
    ['settings', '[agents]\nmax_threads = 4\nmax_depth = 0\njob_max_runtime_seconds = 0\ninterrupt_message = false\n', 'loaded'],
    ['typo', '[agents]\nmax_thread = 4\n', 'refused'],
    ['zero threads', '[agents]\nmax_threads = 0\n', 'refused'],
    ['string setting', '[agents]\ninterrupt_message = "yes"\n', 'refused'],
    ['inline role', '[agents.explainer]\ndescription = "Explains code."\nmodel = "ignored"\n', 'loaded'],
    ['role without description', '[agents.explainer]\nnickname_candidates = ["Ada"]\n', 'skipped'],
    ['role with a blank description', '[agents.explainer]\ndescription = " "\n', 'skipped'],
    ['role description of the wrong type', '[agents.explainer]\ndescription = 3\n', 'refused'],
    ['role file missing', '[agents.explainer]\ndescription = "x"\nconfig_file = "missing.toml"\n', 'skipped'],
    ['role file broken', '[agents.explainer]\ndescription = "x"\nconfig_file = "role.toml"\n', 'skipped'],
    ['role file giving the description', '[agents.explainer]\nconfig_file = "good-role.toml"\n', 'loaded'],
  ];
  it.concurrent.each(configs)('config.toml: %s', async (_name, toml, expected) => {
    const { home, run, offered, warnings } = await session((dir) => {
      writeFileSync(join(dir, 'role.toml'), 'developer_instructions = "x"\ncolour = "red"\n');
      writeFileSync(join(dir, 'good-role.toml'), 'description = "From the file."\ndeveloper_instructions = "CONTEXT: WORKER\\nExplain."\n');
      appendFileSync(join(dir, 'config.toml'), `\n${toml}`);
    });
    const codex = run.code !== 0 ? 'refused' : warnings.length > 0 ? 'skipped' : 'loaded';
    expect(codex, run.stderr.slice(-600)).toBe(expected);
    if (codex === 'refused') expect(run.stderr).toMatch(/Error loading config\.toml|Error: agents\./);
    if (expected === 'loaded' && toml.includes('[agents.explainer]')) expect([...offered.keys()], run.stderr.slice(-400)).toContain('explainer');
    const [result] = lintAgentFiles([join(home.home, 'config.toml')], { codexHome: home.home });
    const errors = (result?.findings ?? []).filter((f) => f.severity === 'error');
    const refusing = new Set(['table', 'unknown', 'setting', 'roleType']);
    const lint = errors.length === 0 ? 'loaded' : errors.some((f) => refusing.has(f.messageId)) ? 'refused' : 'skipped';
    expect(lint, JSON.stringify(errors)).toBe(expected);
  });

  it.concurrent.each([true, false])('a project agent is offered only in a trusted project (trusted: %s), as agent-project-trust says', async (trusted) => {
    const project = mkdtempSync(join(scratch, 'project-'));
    mkdirSync(join(project, '.codex', 'agents'), { recursive: true });
    writeFileSync(join(project, '.codex', 'agents', 'local.toml'), agent('local'));
    const home = makeCodexHome(server, { extraConfig: trusted ? `[projects.${JSON.stringify(project)}]\ntrust_level = "trusted"\n` : '' });
    homes.push(home.cleanup);
    const prompt = `Say hello. session=${project}`;
    const run = await codexExec({ prompt, env: { ...home.env, HOME: project }, cwd: project, json: false });
    expect(run.code).toBe(0);
    const request = server.requests.find((r) => r.raw.includes(prompt) && r.body['tools'] !== undefined);
    expect(request && offeredAgents(request).has('local')).toBe(trusted);
    const [result] = lintAgentFiles([join(project, '.codex', 'agents', 'local.toml')], { codexHome: home.home });
    expect(result?.findings.map((f) => f.ruleId)).toEqual(trusted ? [] : ['agent-project-trust']);
  });

  it('every config key lint accepts in an agent file is one Codex knows, and near misses are not', async () => {
    const keys = Object.keys(configFields).filter((key) => key !== 'developer_instructions');
    const misses = ['modle', 'sandbox', 'allowed_tools', 'reasoning_effort', 'instructions_file'];
    const { run, warnings } = await session((dir) => {
      mkdirSync(join(dir, 'agents'));
      for (const key of [...keys, ...misses]) writeFileSync(join(dir, 'agents', `${key}.toml`), agent(`k-${key}`, `${key} = 1\n`));
    });
    expect(run.code).toBe(0);
    const unknown = new Set(warnings.map((w) => /agents\/([^/]+)\.toml: unknown field/.exec(w)?.[1]).filter((k): k is string => k !== undefined));
    expect([...unknown].sort()).toEqual([...misses].sort());
  });
});
