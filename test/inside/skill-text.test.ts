import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSkill } from '../../src/skill/compile.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { codexExec } from '../support/codex-exec.js';
import { call, turnOf } from '../support/codex-session.js';
import { codexBin, makeCodexHome, startMockModel, type CodexHome, type MockModelServer } from '../support/mock-model.js';

// What the skill tells an agent, checked against what the pinned Codex and the script really do.

const files = compileSkill().files;
const text = (path: string): string => Buffer.from(files.find((f) => f.path === path)?.content ?? '').toString('utf8');
const skill = text('SKILL.md');
const all = files.filter((f) => f.path.endsWith('.md')).map((f) => text(f.path)).join('\n');
/** Text with line breaks and indentation collapsed, so that checks do not depend on wrapping. */
const flat = (value: string): string => value.replace(/\s+/g, ' ');
const bundle = fileURLToPath(new URL('../../dist/orch-prompt.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-text-'));
let server: MockModelServer;
let home: CodexHome;

beforeAll(async () => {
  server = await startMockModel(({ raw }) => ({ text: raw.includes('CONTEXT: WORKER') ? 'worker report' : 'ok' }));
  home = makeCodexHome(server);
});
afterAll(async () => {
  await server.close();
  home.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** Shell commands shown in fenced `sh` blocks, continuation lines joined. */
function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).replace(/\\\n\s*/g, ''));
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.trim() !== ''));
}

describe('the skill text', () => {
  it('has a description that says when not to use it, within the loaders\' limits', () => {
    const description = /^description: (.*)$/m.exec(skill)?.[1] as string;
    const value = JSON.parse(description) as string;
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value).not.toMatch(/[<>]/);
    expect(value).toContain('Do not use for a small or single-step task');
    expect(value).toContain('CONTEXT: WORKER');
  });

  it('links each reference exactly once from SKILL.md', () => {
    const references = files.filter((f) => f.path.startsWith('references/')).map((f) => f.path);
    expect(references).toHaveLength(5);
    for (const ref of references) expect(skill.split(`](${ref})`).length - 1, ref).toBe(1);
  });

  it('roles and lenses are tables of names and purposes, not the full prompts the script prints', () => {
    const templates = builtinTemplates();
    for (const role of Object.values(templates.roles)) expect(text('references/roles.md')).toContain(`| \`${role.name}\` | ${role.description} |`);
    for (const lens of Object.values(templates.lenses)) expect(text('references/lenses.md')).toContain(`| \`${lens.name}\` | ${lens.title}: ${lens.description} |`);
    expect(text('references/roles.md')).not.toContain('## Do');
    expect(text('references/lenses.md')).not.toContain('Look for:');
  });

  it('teaches what Codex 0.169 really does (each fact is shown by test/inside/harness and mechanisms)', () => {
    // Network: the requirement, the sign of the hang, and the ways out that really work (harness):
    // network access needs workspace-write too; escalation is refused under codex exec.
    for (const phrase of [
      'CODEX_SANDBOX_NETWORK_DISABLED=1',
      'Reconnecting... waiting for network',
      '`--sandbox workspace-write -c sandbox_workspace_write.network_access=true` (from `read-only`, `-c sandbox_workspace_write.network_access=true` alone changes nothing)',
      '(`sandbox_permissions: "require_escalated"` with a `justification`) works only when your approval policy lets the user approve; under `codex exec` it is refused at once',
    ]) expect(flat(skill)).toContain(phrase);
    // Custom agents first (agents-e2e, mechanisms): by name, with the task message; wait, close, collect.
    for (const phrase of ['**Custom agents, first.**', '--task-only', 'Call `spawn_agent` with `agent_type: "orch-reviewer"` and the printed text as `message`', '`wait_agent` with every pending id in `targets` and a long `timeout_ms`', 'so wait again on the rest', 'count toward the concurrency limit until they are closed', '(`[agents] max_threads`, 6 by default)', 'Collect the final messages']) expect(flat(skill)).toContain(phrase);
    // The sandbox, honestly (agents-e2e): inherited, and an agent file cannot change it.
    for (const phrase of ['inherits your sandbox', '`sandbox_mode` there has no effect in Codex 0.169']) expect(flat(skill)).toContain(phrase);
    expect(flat(skill)).toContain('when the work is long, when there are many workers, or when a worker needs a sandbox of its own');
    expect(skill.indexOf('**Custom agents, first.**')).toBeLessThan(skill.indexOf('**Terminal workers**'));
    // The MCP tools (mechanisms): the namespace Codex gives them, from every sandbox; how to get them.
    for (const phrase of ['the `mcp__orch` namespace', 'work in every sandbox', 'node <skill folder>/scripts/orch-prompt.mjs install --mcp']) expect(flat(skill)).toContain(phrase);
    const running = flat(text('references/running-workers.md'));
    // Terminal sessions: foreground sessions, Ctrl-C, tty for typed input; no pid outside
    // danger-full-access (harness); the recursion guard by hand; run's watchdog.
    for (const phrase of [
      'A job sent to the background with `&` or `nohup` is ended when the `exec_command` call returns',
      '`\\u0003`',
      '`tty: true`',
      'cannot find the worker (`pgrep` does not see it) or `kill` it. Only under `danger-full-access`',
      'codex exec --skip-git-repo-check --sandbox read-only --disable multi_agent --disable multi_agent_v2 -o w1.md -',
      'watchdog ends a worker that shows no progress for 5 minutes',
      'fails after 30 seconds, naming the endpoint',
      '-c web_search="live"',
      '`--search` is not an `exec` flag',
      'codex exec review --uncommitted',
    ]) {
      expect(running).toContain(phrase);
    }
    expect(all).not.toMatch(/pgrep -f '/);
    // The bundled script has `run`; nothing says otherwise.
    expect(skill).toContain('node <skill folder>/scripts/orch-prompt.mjs run reviewer');
    expect(all).not.toMatch(/not in this folder|not in the bundled script/);
  });

  // The seed guide's guidance, each piece found in the product (skill or templates), in the
  // project's words and corrected where Codex differs.
  it('keeps every piece of the orchestration guide', () => {
    const templates = [readFileSync(fileURLToPath(new URL('../../templates/preamble.md', import.meta.url)), 'utf8')].join(' ');
    const guidance: Array<[string, string, string]> = [
      ['two modes', skill, 'If your prompt begins with the line `CONTEXT: WORKER`, you are a worker.'],
      ['orchestrator mode', skill, '**Orchestrator mode**'],
      ['coordination, not tools', skill, 'It covers coordination and decomposition, not the tools themselves'],
      ['common sense: small tasks yourself', skill, 'when a task is small, do it yourself'],
      ['plan: when', skill, 'more than two steps, when parallel work would help'],
      ['plan: shape', skill, 'three to six steps of one sentence each, exactly one step in progress'],
      ['plan: skip for trivial', skill, 'skip planning for trivial tasks'],
      ['what to parallelise', skill, 'scouting and mapping a codebase or a folder, independent reviews'],
      ['many readers, one writer', skill, 'many readers, one writer'],
      ['session_id and write_stdin', all, 'returns a `session_id` while the worker keeps running'],
      ['small yield_time_ms', all, 'start each worker with a small `yield_time_ms`'],
      ['modest max_output_tokens', all, 'keep `max_output_tokens` modest'],
      ['labels', all, '`W1 scout`, `W2 review (risks)`'],
      ['blocking only for short tasks', all, 'under half a minute to a minute'],
      ['say so when ending the turn', all, 'If you end your turn while workers are still running, say so plainly'],
      ['lost session', all, 'If a session exits early or is lost, run the worker again'],
      ['check the file before polling', all, 'check whether the file exists before polling the session again'],
      ['graceful stop, then Ctrl-C', all, 'Prefer a clean stop'],
      ['final message only', all, '`-o FILE` (`--output-last-message`) writes only the final message'],
      ['outside a git repo', all, '`--skip-git-repo-check` is needed outside a Git repository'],
      ['json and jq', all, 'jq -rs'],
      ['patterns', skill, '**Triangulated review**'],
      ['context pack: when', skill, 'when the work touches a project with history'],
      ['context pack: skip', skill, 'Leave it out for a simple lookup'],
      ['APA 7', all, 'APA 7'],
      ['skim first, ask one question', skill, 'Look at the artefact yourself before delegating'],
      ['no skill in worker prompts', skill, 'Never paste this skill into a worker prompt'],
      ['re-run, do not argue', skill, 'do not argue with it'],
      ['one result, one next step', skill, 'one recommended next step'],
      ['boss rule', skill, '**The boss rule:**'],
      ['preamble: no other workers', templates, 'Never start or delegate to other workers'],
      ['preamble: output goes back', templates, 'Your final message is the only thing the orchestrator receives'],
    ];
    for (const [what, where, phrase] of guidance) expect(flat(where).includes(phrase), what).toBe(true);
    expect(text('references/patterns.md').match(/\*\*Deliverable:\*\*/g)).toHaveLength(6);
  });
});

describe('the commands the skill shows', { timeout: 120_000 }, () => {
  it('every script command in the skill is accepted by the script (run as --dry-run)', () => {
    const dir = mkdtempSync(join(scratch, 'commands-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'review-fix-verify.yaml'), 'stages:\n  - name: review\n    workers:\n      - {role: reviewer, lenses: [risks], params: {artefact: src/}}\n');
    writeFileSync(join(dir, 'pack.yaml'), 'goal: ship it\n');
    const commands = shellCommands(all).filter((line) => line.startsWith('node <skill folder>/scripts/orch-prompt.mjs '));
    expect(commands.length).toBeGreaterThan(8);
    for (const command of commands) {
      const line = command.replace('node <skill folder>/scripts/orch-prompt.mjs', `node ${bundle}`).replace(/ run (.*)$/, ' run $1 --dry-run');
      const result = spawnSync('sh', ['-c', line], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1' }, encoding: 'utf8' });
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
    }
  });

  it('the jq filter prints only the last agent message of a real codex exec --json stream (the old one printed every one)', async () => {
    const filter = /jq -rs '([^']+)'/.exec(text('references/running-workers.md'))?.[1] as string;
    const dir = mkdtempSync(join(scratch, 'jq-'));
    // One reply with a message and a tool call, then the final message: two agent messages.
    const local = await startMockModel((request) => (turnOf(request).calls.length === 0 ? { ...call.execCommand('true'), text: 'first, a progress note\nover two lines' } : { text: 'the final\nanswer' }));
    const localHome = makeCodexHome(local);
    try {
      const session = await codexExec({ prompt: 'Work.', env: localHome.env, cwd: dir });
      expect(session.code).toBe(0);
      const messages = session.events.filter((e) => e['type'] === 'item.completed' && (e['item'] as { type?: string }).type === 'agent_message');
      expect(messages).toHaveLength(2);
      const jq = (program: string, flags: string[]) => execFileSync('jq', [...flags, program], { input: session.stdout, encoding: 'utf8' });
      expect(jq(filter, ['-rs'])).toBe('the final\nanswer\n');
      expect(jq('select(.type=="item.completed" and .item.type=="agent_message") | .item.text', ['-r'])).toBe('first, a progress note\nover two lines\nthe final\nanswer\n');
    } finally {
      await local.close();
      localHome.cleanup();
    }
  });

  it('codex exec review takes the flags the skill names; --search is not a codex exec flag', () => {
    const help = execFileSync(codexBin, ['exec', 'review', '--help'], { encoding: 'utf8' });
    for (const flag of ['--uncommitted', '--base <BRANCH>', '--commit <SHA>', '-o, --output-last-message <FILE>']) expect(help).toContain(flag);
    const search = spawnSync(codexBin, ['exec', '--search', 'x'], { encoding: 'utf8', env: { ...process.env, ...home.env } });
    expect(search.status).toBe(2);
    expect(search.stderr).toContain("unexpected argument '--search'");
  });

  it('run works from a bare copy of the skill script (the script and its runtime folder, no package around it)', async () => {
    const dir = mkdtempSync(join(scratch, 'bare-'));
    const copy = join(dir, 'orch-prompt.mjs');
    copyFileSync(bundle, copy);
    cpSync(join(dirname(bundle), 'orch-prompt'), join(dir, 'orch-prompt'), { recursive: true });
    // Asynchronous: the mock model answering the worker lives in this process.
    const child = spawn(process.execPath, [copy, 'run', 'scout', '--target', 'the README', '--set', `codex-bin=${codexBin}`], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1', NODE_PATH: '', ...home.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    result.status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('1/1 succeeded');
    const runs = join(dir, '.orch', 'runs');
    expect(existsSync(runs)).toBe(true);
    const [run] = execFileSync('ls', [runs], { encoding: 'utf8' }).trim().split('\n');
    expect(readFileSync(join(runs, run as string, 'scout', 'last-message.md'), 'utf8').trim()).toBe('worker report');
  });
});
