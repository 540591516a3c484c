import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as npm publishes it: what is in the tarball, and whether its typings serve a
// consumer that has only what the package declares.

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
const scratch = mkdtempSync(join(tmpdir(), 'orch-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let tarball: string[];
beforeAll(() => {
  // What `npm publish` would upload, without running the build again.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  tarball = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}, 120_000);

describe('the npm tarball', () => {
  it('holds every docs page the CLI (and the README) points to', () => {
    // Every string the shipped CLI bundles can print, and the README's links.
    const bundles = readdirSync(join(root, 'dist/orch-prompt'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.[cm]js$/.test(f)).map((f) => `dist/orch-prompt/${f}`);
    const printed = ['dist/orch-prompt.mjs', ...bundles].flatMap((file) => readFileSync(join(root, file), 'utf8').match(/docs\/[\w-]+\.md/g) ?? []);
    const linked = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1] as string);
    const pages = [...new Set([...printed, ...linked])].sort();
    expect(printed).toContain('docs/lint-rules.md');
    expect(pages.filter((page) => !tarball.includes(page))).toEqual([]);
  });
});

describe('what stays out of the tarball', { timeout: 120_000 }, () => {
  it('a skill built into the default dist/skill, and its backups, are not published', () => {
    const copy = join(scratch, 'package-copy');
    mkdirSync(copy);
    cpSync(join(root, 'package.json'), join(copy, 'package.json'));
    for (const file of ['dist/lib/index.js', 'dist/skill/codex-orchestration/SKILL.md', 'dist/.orch-skill-backups/codex-orchestration-1/notes.md']) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      writeFileSync(join(copy, file), 'x\n');
    }
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files.filter((f) => f.startsWith('dist/'))).toEqual(['dist/lib/index.js']);
  });
});

describe('the published typings', { timeout: 120_000 }, () => {
  it('type-check for a consumer without @types/node, with only the declared dependencies installed', () => {
    const consumer = join(scratch, 'consumer');
    const installed = join(consumer, 'node_modules', pkg.name);
    for (const file of tarball) {
      mkdirSync(dirname(join(installed, file)), { recursive: true });
      cpSync(join(root, file), join(installed, file));
    }
    for (const name of Object.keys(pkg.dependencies)) {
      mkdirSync(dirname(join(consumer, 'node_modules', name)), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(consumer, 'node_modules', name));
    }
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { loadTemplates, main, parseMarkdown, renderPrompt, type CliIo } from 'codex-orchestration';
const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: '.', env: {} };
export const code: Promise<number> = main(['--version'], io);
export const prompt: string = renderPrompt('reviewer', { templates: loadTemplates([]), params: { artefact: 'src/' }, lenses: ['risks'] }).prompt;
export const kind: string = parseMarkdown('# Title').type;
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: [], strict: true, noEmit: true, skipLibCheck: false },
        files: ['consumer.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer, '--listFiles'], { encoding: 'utf8' });
    expect(tsc.status, tsc.stdout).toBe(0);
    expect(tsc.stdout).not.toMatch(/@types[\\/]node[\\/]/);
  });
});
