import { describe, expect, test } from 'vitest';
import { runMain } from '../support/cli.js';

// Each way a request for a prompt can be wrong: exit 2, one line naming the problem and the fix,
// nothing on stdout, never a stack trace.
const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: 'unknown role, closest named', args: ['reviewr', '--artefact', 'x'], message: /^orch-prompt: unknown role or command `reviewr`, expected one of .*\(did you mean `reviewer`\?\)$/ },
  { name: 'unknown lens, closest named', args: ['reviewer', '--artefact', 'x', '--lens', 'rsks'], message: /^orch-prompt: unknown lens `rsks`, expected one of `accessibility`, .*`security` \(did you mean `risks`\?\)$/ },
  { name: 'unknown flag, closest named', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--gaol', 'g'], message: /^orch-prompt: reviewer: unknown flag `--gaol` \(did you mean `--goal`\?\); see `orch-prompt reviewer --help`$/ },
  { name: 'missing required parameter', args: ['reviewer', '--lens', 'risks'], message: /^orch-prompt: role `reviewer` needs --artefact: what to review/ },
  { name: 'empty required parameter', args: ['researcher', '--topic', '  '], message: /^orch-prompt: role `researcher` needs --topic/ },
  { name: 'reviewer without a lens', args: ['reviewer', '--artefact', 'x'], message: /^orch-prompt: role `reviewer` needs 1 to 2 lenses: pass --lens/ },
  { name: 'too many lenses', args: ['reviewer', '--artefact', 'x', '--lens', 'risks,clarity', '--lens', 'security'], message: /^orch-prompt: role `reviewer` takes at most 2 lenses, got 3/ },
  { name: 'lens on a role that takes none', args: ['researcher', '--topic', 't', '--lens', 'risks'], message: /^orch-prompt: role `researcher` takes no lens; drop --lens$/ },
  { name: 'editing role without a scope', args: ['implementer', '--deliverable', 'd'], message: /^orch-prompt: role `implementer` edits files and needs an explicit editable scope: pass --scope/ },
  { name: 'editing role with a read-only scope', args: ['implementer', '--deliverable', 'd', '--scope', 'read-only'], message: /^orch-prompt: role `implementer` edits files, so --scope must say what it may edit, not `read-only`$/ },
  { name: 'editing role with a readonly scope', args: ['implementer', '--deliverable', 'd', '--scope', 'readonly'], message: /^orch-prompt: role `implementer` edits files, so --scope must say what it may edit, not `readonly`$/ },
  { name: 'flag without its value', args: ['reviewer', '--lens', 'risks', '--artefact'], message: /^orch-prompt: reviewer: --artefact needs a value$/ },
  { name: 'flag whose value is missing before another flag', args: ['reviewer', '--artefact', '--lens', 'risks'], message: /^orch-prompt: reviewer: --artefact needs a value, but the next argument `--lens` is a flag \(for a value that starts with -, write --artefact=VALUE\)$/ },
  { name: 'a value given to --help', args: ['reviewer', '--help=1'], message: /^orch-prompt: reviewer: --help takes no value$/ },
  { name: 'bad --format', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--format', 'yaml'], message: /^orch-prompt: reviewer: --format must be one of text, json, got `yaml`$/ },
  { name: 'stray positional', args: ['reviewer', 'src/', '--lens', 'risks'], message: /^orch-prompt: reviewer: unexpected argument `src\/`/ },
  { name: 'missing context-pack file', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'nope.yaml'], message: /^orch-prompt: cannot read context pack `.*nope\.yaml`: no such file$/ },
  { name: 'YAML context pack that does not parse, with the place', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/broken-pack.yaml'], message: /^orch-prompt: context pack `.*broken-pack\.yaml` does not parse: line 3, column 1: Flow sequence/ },
  { name: 'JSON context pack that does not parse', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/broken-pack.json'], message: /^orch-prompt: context pack `.*broken-pack\.json` does not parse: line 4, column 1: value expected$/ },
  { name: 'context pack with an unknown field', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/unknown-field-pack.yaml'], message: /^orch-prompt: context pack `.*unknown-field-pack\.yaml`: unknown field `gaol`, expected one of `Goal`, .* \(did you mean `Goal`\?\)$/ },
  { name: 'Markdown context pack with an unknown heading', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/unknown-heading-pack.md'], message: /^orch-prompt: context pack `.*unknown-heading-pack\.md` line 5: unknown field `Budget`/ },
  { name: 'Markdown context pack without headings', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/no-heading-pack.md'], message: /^orch-prompt: context pack `.*no-heading-pack\.md` does not parse: line 1: expected a heading per field/ },
  { name: 'Markdown context pack with a field twice', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/duplicate-pack.md'], message: /^orch-prompt: context pack `.*duplicate-pack\.md` line 5: field `Goal` appears twice$/ },
  { name: 'JSON context pack with a key twice', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/duplicate-pack.json'], message: /^orch-prompt: context pack `.*duplicate-pack\.json` line 3, column 3: field `goal` appears twice$/ },
  { name: 'YAML context pack naming a field twice (flag and label)', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/duplicate-pack.yaml'], message: /^orch-prompt: context pack `.*duplicate-pack\.yaml`: field `Goal` appears twice$/ },
  { name: 'missing templates folder', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--templates', 'no/such/dir'], message: /^orch-prompt: --templates no\/such\/dir: no such folder$/ },
  { name: 'an empty --templates', args: ['reviewer', '--artefact', 'x', '--lens', 'risks', '--templates='], message: /^orch-prompt: --templates needs a folder$/ },
  { name: 'command name typo', args: ['lst'], message: /\(did you mean `list`\?\)$/ },
  { name: 'a default scope that needs an optional value not given', args: ['tidier', '--templates', 'test/fixtures/prompt/optional-scope'], message: /^orch-prompt: the default scope of role `tidier` uses --dir: pass --dir, or pass --scope$/ },
];

describe('validation errors exit 2 with one clear line', () => {
  for (const { name, args, message } of cases) {
    test(name, async () => {
      const result = await runMain(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

test('a lens given twice, by name and by alias, counts once', async () => {
  const result = await runMain(['reviewer', '--artefact', 'x', '--lens', 'risks', '--lens', 'failure-modes', '--format', 'json']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).lenses).toEqual(['risks']);
});

test('aliases from the guide resolve to their lens, case-insensitively', async () => {
  const result = await runMain(['reviewer', '--artefact', 'x', '--lens', 'Backward-Compatibility,evidence-quality', '--format', 'json']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).lenses).toEqual(['compatibility', 'evidence']);
});

test('YAML context-pack values are kept as written (no number or boolean conversion)', async () => {
  const result = await runMain(['reviewer', '--artefact', 'x', '--lens', 'risks', '--context-pack', 'test/fixtures/prompt/numbers-pack.yaml']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('- Goal: 1.10\n');
  expect(result.stdout).toMatch(/- Constraints:\n {2}```\n {2}- 1\.0\n {2}- 2\.50\n {2}- true\n/);
});
