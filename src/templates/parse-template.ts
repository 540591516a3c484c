import type { Root, RootContent } from 'mdast';
import { isRecord, NestingError, parseDocument, parseFrontmatter, type ParsedDocument, type Point } from '../markdown/index.js';
import { isTemplateKind, namePattern } from './frontmatter-schema.js';
import { stripDirectives } from './lint-directives.js';
import {
  roleSectionHeadings,
  type ContextPackField,
  type JsonValue,
  type LensRule,
  type LensTemplate,
  type RoleParameter,
  type RoleSections,
  type RoleTemplate,
  type Template,
  type TemplateKind,
} from './model.js';
import { roleSectionOf, splitSections } from './sections.js';
import { TemplateError } from './template-error.js';
import { validateFrontmatter } from './validate-frontmatter.js';

/**
 * Parse one template file. Throws a {@link TemplateError} naming the file and place when the
 * template cannot be used; `orch-prompt lint` reports the finer points. CR LF line endings are
 * read as LF (lines and columns do not change), so no `\r` reaches a prompt.
 */
export function parseTemplate(text: string, source: string): Template {
  let doc: ParsedDocument;
  try {
    doc = parseDocument(text.replace(/\r\n?/g, '\n'));
  } catch (error) {
    if (error instanceof NestingError) throw new TemplateError(source, error.reason, error.place);
    throw error;
  }
  return templateFromDocument(doc, source);
}

/**
 * What a template file means to define, read from its frontmatter alone: for a file that does
 * not load, so that using the role or lens it names can fail with the file's reason instead of
 * silently falling back to another template of the same name.
 */
export function templateIdentity(text: string): { kind: TemplateKind; name: string } | undefined {
  let data: Record<string, unknown>;
  try {
    const fm = parseFrontmatter(text);
    if (!fm || fm.problem) return undefined;
    data = fm.data;
  } catch {
    return undefined;
  }
  const kind = data['kind'];
  const name = data['name'];
  if (!isTemplateKind(kind)) return undefined;
  if (kind === 'preamble' || kind === 'context-pack') return { kind, name: kind };
  return typeof name === 'string' && new RegExp(namePattern).test(name) ? { kind, name } : undefined;
}

/** The line every worker prompt starts with: the recursion guard. */
export const workerGuardLine = 'CONTEXT: WORKER';

/** Build a template from an already parsed document (the linter parses once). */
export function templateFromDocument(doc: ParsedDocument, source: string): Template {
  const fm = doc.frontmatter;
  if (!fm) throw new TemplateError(source, 'no frontmatter: a template starts with `---`, YAML, `---`', { line: 1, column: 1 });
  if (fm.problem) throw new TemplateError(source, `frontmatter: ${fm.problem.message}`, fm.problem.place);
  const data = fm.data;
  const kind = data['kind'];
  const at: Point = { line: fm.startLine, column: 1 };
  if (!isTemplateKind(kind)) {
    throw new TemplateError(source, 'frontmatter `kind` must be one of `preamble`, `context-pack`, `role`, `lens`', at);
  }
  const violation = validateFrontmatter(kind, data)[0];
  if (violation) throw new TemplateError(source, violation.message, at);
  const name = data['name'] as string;
  const description = (data['description'] as string | undefined) ?? '';
  // Lint directives are for the linter: no prompt carries them.
  const tree = stripDirectives(doc.tree);
  const body = stripPositions(tree);
  switch (kind) {
    case 'preamble':
      if (!startsWithGuard(tree)) {
        throw new TemplateError(source, `the preamble must start with the line \`${workerGuardLine}\` (the recursion guard every worker prompt opens with)`, tree.children[0]?.position?.start ?? at);
      }
      return { kind, name, description, source, body };
    case 'context-pack':
      return { kind, name, description, source, fields: data['fields'] as ContextPackField[], body };
    case 'lens':
      return {
        kind,
        name,
        description,
        source,
        title: data['title'] as string,
        aliases: (data['aliases'] as string[] | undefined) ?? [],
        body,
      } satisfies LensTemplate;
    case 'role':
      return roleFrom(data, tree, source);
  }
}

/** Whether a body's first block is a paragraph whose first line is exactly the guard line. */
export function startsWithGuard(tree: Root): boolean {
  const first = tree.children[0];
  if (first?.type !== 'paragraph') return false;
  const text = first.children[0];
  if (text?.type !== 'text') return false;
  const line = text.value.split('\n')[0] ?? '';
  return line.trimEnd() === workerGuardLine && (first.children.length === 1 || text.value.includes('\n'));
}

function roleFrom(data: Record<string, unknown>, tree: Root, source: string): RoleTemplate {
  const split = splitSections(tree);
  const sections: Partial<Record<keyof RoleSections, Root>> = {};
  for (const section of split.sections) {
    const key = roleSectionOf(section.key);
    const place = section.heading.position?.start;
    if (!key) {
      throw new TemplateError(source, `unknown section \`## ${section.key}\`, expected Task, Do, Output or Don't`, place);
    }
    if (sections[key]) throw new TemplateError(source, `section \`## ${section.key}\` appears twice`, place);
    sections[key] = stripPositions({ type: 'root', children: section.children });
  }
  for (const key of ['task', 'do', 'output', 'dont'] as const) {
    if (!sections[key] || sections[key].children.length === 0) {
      const heading = roleSectionHeadings[key];
      throw new TemplateError(source, `role has no \`## ${heading}\` section (or it is empty)`, { line: 1, column: 1 });
    }
  }
  const lenses = data['lenses'];
  const lensRule: LensRule = isRecord(lenses)
    ? { mode: lenses['mode'] as LensRule['mode'], max: (lenses['max'] as number | undefined) ?? (lenses['mode'] === 'none' ? 0 : 1) }
    : { mode: 'none', max: 0 };
  if (lensRule.mode === 'none') lensRule.max = 0;
  const parameters = ((data['parameters'] as Array<Record<string, unknown>> | undefined) ?? []).map(
    (p): RoleParameter => ({
      name: p['name'] as string,
      description: p['description'] as string,
      required: p['required'] === true,
    }),
  );
  const role: RoleTemplate = {
    kind: 'role',
    name: data['name'] as string,
    description: data['description'] as string,
    source,
    edits: data['edits'] === true,
    lenses: lensRule,
    parameters,
    sections: sections as RoleSections,
  };
  if (typeof data['scope'] === 'string') role.scope = data['scope'];
  if (isRecord(data['output-schema'])) role.outputSchema = data['output-schema'] as { [key: string]: JsonValue };
  return role;
}

/** Drop positions: templates are rendered into new documents and serialized compactly. */
function stripPositions<T extends Root | RootContent>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'position' ? undefined : value))) as T;
}
