import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkFiles } from '../../src/fs/walk.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'orch-walk-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const md = (name: string): boolean => /\.md$/i.test(name);
function write(path: string, text = 'x'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}
function walk(options: Parameters<typeof walkFiles>[1] = {}): { files: string[]; warnings: string[] } {
  const result = walkFiles(root, { match: md, ...options });
  return { files: result.files.map((f) => relative(root, f)), warnings: result.warnings };
}

describe('walkFiles', () => {
  it('lists matching files sorted, any letter case of the extension, skipping .git and node_modules', () => {
    write('roles/b.md');
    write('roles/a.MD');
    write('lenses/x.md');
    write('notes.txt');
    write('.git/info/exclude.md');
    write('node_modules/pkg/readme.md');
    expect(walk()).toEqual({ files: ['lenses/x.md', 'roles/a.MD', 'roles/b.md'], warnings: [] });
  });

  it('follows links to files and folders, and ends a link loop with a warning', () => {
    const outside = mkdtempSync(join(tmpdir(), 'orch-walk-outside-'));
    try {
      writeFileSync(join(outside, 'shared.md'), 'x');
      mkdirSync(join(root, 'roles'));
      symlinkSync(join(outside, 'shared.md'), join(root, 'roles', 'linked.md'));
      symlinkSync(outside, join(root, 'team'));
      symlinkSync(root, join(root, 'roles', 'loop'));
      const { files, warnings } = walk();
      expect(files).toEqual(['roles/linked.md', 'team/shared.md']);
      expect(warnings).toEqual(['roles/loop: skipped, a link to a folder already read (a loop?)']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('names special files and broken links instead of opening them', () => {
    execFileSync('mkfifo', [join(root, 'pipe.md')]);
    symlinkSync(join(root, 'nowhere.md'), join(root, 'dangling.md'));
    write('ok.md');
    expect(walk()).toEqual({
      files: ['ok.md'],
      warnings: ['dangling.md: skipped, a broken symbolic link', 'pipe.md: skipped, not a regular file'],
    });
  });

  it('stops at the depth and entry limits with a warning', () => {
    write('a/b/c/deep.md');
    expect(walk({ maxDepth: 2 })).toEqual({ files: [], warnings: ['a/b/c: skipped, deeper than 2 folder levels'] });
    for (let i = 0; i < 30; i++) write(`many/${String(i).padStart(2, '0')}.md`);
    const limited = walk({ maxEntries: 10 });
    expect(limited.files.length).toBeLessThan(10);
    expect(limited.warnings.at(-1)).toMatch(/^stopped after 10 entries/);
  });

  it('with followLinks: false, sees a folder as it is on disk: links and special files in others, every folder listed', () => {
    write('skill/SKILL.md');
    mkdirSync(join(root, 'skill', 'empty'));
    symlinkSync('SKILL.md', join(root, 'skill', 'link.md'));
    symlinkSync(join(root, 'skill', 'empty'), join(root, 'skill', 'folder-link'));
    execFileSync('mkfifo', [join(root, 'skill', 'pipe')]);
    const result = walkFiles(root, { followLinks: false, skipDir: () => false });
    const rel = (paths: string[]): string[] => paths.map((p) => relative(root, p));
    expect(rel(result.files)).toEqual(['skill/SKILL.md']);
    expect(rel(result.folders)).toEqual(['skill', 'skill/empty']);
    expect(rel(result.others)).toEqual(['skill/folder-link', 'skill/link.md', 'skill/pipe']);
  });
});
