import type { Root, RootContent } from 'mdast';
import { isRecord, nestingFailure, parseDocumentBody, parseFrontmatter, readDocumentHead, type DocumentHead, type Frontmatter, type ParsedDocument, type Point } from '../markdown/index.js';
import { isTemplateKind, namePattern } from './frontmatter-schema.js';
import { stripDirectives } from './lint-directives.js';
import { startsWithGuard, workerGuardLine } from './worker-guard.js';
import {
  roleSectionHeadings,
  type ContextPackField,
  type JsonValue,
  type LensRule,
  type RoleParameter,
  type RoleSections,
  type RoleTemplate,
  type Template,
  type TemplateKind,
} from './model.js';
import { roleSectionOf, splitSections } from './sections.js';
import { templateError } from './template-error.js';
import { validateFrontmatter } from './validate-frontmatter.js';

/**
 * Parse one template file. The frontmatter is read and checked at once (a `template-invalid` UserError
 * naming the file and place when it is wrong); the Markdown body only when a prompt first needs
 * it, so that listing roles, printing help or rendering one role never pays for parsing every
 * template of a project. A body that turns out broken throws the same way, naming the file, on
 * that first use. CR LF line endings are read as LF (lines and columns do not change), so no
 * `\r` reaches a prompt. `orch-prompt lint` reports the finer points.
 */
export function parseTemplate(text: string, source: string): Template {
  return templateFromHead(readDocumentHead(text.replace(/\r\n?/g, '\n')), source);
}

/**
 * {@link parseTemplate} of a document whose frontmatter is already read (LF line endings): the
 * body is parsed from it on first use, without reading the YAML again.
 */
export function templateFromHead(head: DocumentHead, source: string): Template {
  const body = (): Root => {
    try {
      return parseDocumentBody(head).tree;
    } catch (error) {
      const nesting = nestingFailure(error);
      if (nesting) throw templateError(source, nesting.reason, nesting.place);
      throw error;
    }
  };
  return buildTemplate(head.frontmatter, source, body);
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

/** Build a template from an already parsed document (the linter parses once): every check at once. */
export function templateFromDocument(doc: ParsedDocument, source: string): Template {
  const template = buildTemplate(doc.frontmatter, source, () => doc.tree);
  // Reading the body runs its checks now, as a loader would on first use.
  if (template.kind === 'role') void template.sections;
  else void template.body;
  return template;
}

/**
 * A template from its frontmatter, checked now, and a body read on first access (see
 * {@link lazily}).
 */
function buildTemplate(fm: Frontmatter | undefined, source: string, readBody: () => Root): Template {
  if (!fm) throw templateError(source, 'no frontmatter: a template starts with `---`, YAML, `---`', { line: 1, column: 1 });
  if (fm.problem) throw templateError(source, `frontmatter: ${fm.problem.message}`, fm.problem.place);
  const data = fm.data;
  const kind = data['kind'];
  const at: Point = { line: fm.startLine, column: 1 };
  if (!isTemplateKind(kind)) {
    throw templateError(source, 'frontmatter `kind` must be one of `preamble`, `context-pack`, `role`, `lens`', at);
  }
  const violation = validateFrontmatter(kind, data)[0];
  if (violation) throw templateError(source, violation.message, at);
  const name = data['name'] as string;
  const description = (data['description'] as string | undefined) ?? '';
  // Lint directives are for the linter: no prompt carries them.
  const tree = (): Root => stripDirectives(readBody());
  switch (kind) {
    case 'preamble':
      return lazily({ kind, name, description, source }, 'body', () => {
        const body = tree();
        if (!startsWithGuard(body)) {
          throw templateError(source, `the preamble must start with the line \`${workerGuardLine}\` (the recursion guard every worker prompt opens with)`, body.children[0]?.position?.start ?? at);
        }
        return stripPositions(body);
      });
    case 'context-pack':
      return lazily({ kind, name, description, source, fields: data['fields'] as ContextPackField[] }, 'body', () => stripPositions(tree()));
    case 'lens':
      return lazily({ kind, name, description, source, title: data['title'] as string, aliases: (data['aliases'] as string[] | undefined) ?? [] }, 'body', () => stripPositions(tree()));
    case 'role':
      return lazily(roleFrom(data, source), 'sections', () => roleSections(tree(), source));
  }
}

/**
 * Give `template` a property computed on first read and kept: the parsed body. A failure is
 * kept too, and thrown on every read. The property is enumerable, so copies and JSON see it.
 */
function lazily<T extends object, K extends string, V>(template: T, key: K, compute: () => V): T & Record<K, V> {
  let state: { value: V } | { error: unknown } | undefined;
  Object.defineProperty(template, key, {
    enumerable: true,
    configurable: true,
    get(): V {
      if (state === undefined) {
        try {
          state = { value: compute() };
        } catch (error) {
          state = { error };
        }
      }
      if ('error' in state) throw state.error;
      return state.value;
    },
  });
  return template as T & Record<K, V>;
}

function roleSections(tree: Root, source: string): RoleSections {
  const split = splitSections(tree);
  const sections: Partial<Record<keyof RoleSections, Root>> = {};
  for (const section of split.sections) {
    const key = roleSectionOf(section.key);
    const place = section.heading.position?.start;
    if (!key) {
      throw templateError(source, `unknown section \`## ${section.key}\`, expected Task, Do, Output or Don't`, place);
    }
    if (sections[key]) throw templateError(source, `section \`## ${section.key}\` appears twice`, place);
    sections[key] = stripPositions({ type: 'root', children: section.children });
  }
  for (const key of ['task', 'do', 'output', 'dont'] as const) {
    if (!sections[key] || sections[key].children.length === 0) {
      const heading = roleSectionHeadings[key];
      throw templateError(source, `role has no \`## ${heading}\` section (or it is empty)`, { line: 1, column: 1 });
    }
  }
  return sections as RoleSections;
}

/** A role's frontmatter as the model has it (the sections are added by the caller). */
function roleFrom(data: Record<string, unknown>, source: string): Omit<RoleTemplate, 'sections'> {
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
  const role: Omit<RoleTemplate, 'sections'> = {
    kind: 'role',
    name: data['name'] as string,
    description: data['description'] as string,
    source,
    edits: data['edits'] === true,
    lenses: lensRule,
    parameters,
  };
  if (typeof data['scope'] === 'string') role.scope = data['scope'];
  if (isRecord(data['output-schema'])) role.outputSchema = data['output-schema'] as { [key: string]: JsonValue };
  if (typeof data['web-search'] === 'string') role.webSearch = data['web-search'] as NonNullable<RoleTemplate['webSearch']>;
  if (typeof data['model'] === 'string') role.model = data['model'];
  if (typeof data['reasoning-effort'] === 'string') role.reasoningEffort = data['reasoning-effort'] as NonNullable<RoleTemplate['reasoningEffort']>;
  if (typeof data['sandbox'] === 'string') role.sandbox = data['sandbox'] as NonNullable<RoleTemplate['sandbox']>;
  return role;
}

/** Drop positions: templates are rendered into new documents and serialized compactly. */
function stripPositions<T extends Root | RootContent>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'position' ? undefined : value))) as T;
}
