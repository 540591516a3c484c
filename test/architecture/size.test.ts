import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importGraph, srcDir } from './import-graph.js';

// Rooms stay small enough to read whole: a source file over 250 lines, or a function over 80,
// is a sign that it does two things. Split by concern, never by line count alone.
const maxFileLines = 250;
const maxFunctionLines = 80;

/** Lines of a text (a last line without its newline counts). */
const linesOf = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Every function (declarations, methods, arrows, accessors) of a source over `max` lines, as `file:line (N lines)`. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      if (lines > max) found.push(`${file}:${first + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the size of src/', () => {
  const files = [...importGraph().keys()];
  const texts = new Map(files.map((file) => [file, readFileSync(join(srcDir, file), 'utf8')]));

  it(`has no source file over ${maxFileLines} lines`, () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => linesOf(texts.get(file) as string) > maxFileLines).map((file) => `${file} (${linesOf(texts.get(file) as string)} lines)`)).toEqual([]);
  });

  it(`has no function over ${maxFunctionLines} lines`, () => {
    expect(files.flatMap((file) => longFunctions(file, texts.get(file) as string, maxFunctionLines))).toEqual([]);
  });

  it('measures functions of every kind (the check works)', () => {
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
    const text = `function a() {\n${body(3)}\n}\nconst b = () => {\n${body(5)}\n};\nclass C {\n  m() {\n${body(4)}\n  }\n}\n`;
    expect(longFunctions('t.ts', text, 5)).toEqual(['t.ts:6 (7 lines)', 't.ts:14 (6 lines)']);
    expect(longFunctions('t.ts', text, 7)).toEqual([]);
  });
});
