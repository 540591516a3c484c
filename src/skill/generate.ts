import type { List, ListItem, Paragraph, PhrasingContent, RootContent, Table, TableCell, TableRow } from 'mdast';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { toMarkdown } from 'mdast-util-to-markdown';
import { markdownStyle } from '../markdown/stringify.js';
import type { LensTemplate, RoleTemplate, TemplateSet } from '../templates/model.js';

/**
 * Blocks of the skill that are generated from the templates, so that the skill and the CLI can
 * never disagree. A source file asks for one with an HTML comment on its own line:
 * `<!-- generate: roles -->`.
 */
export const generators: Record<string, (templates: TemplateSet) => RootContent[]> = {
  catalogue,
  roles,
  lenses,
  'context-fields': contextFields,
};

function catalogue(templates: TemplateSet): RootContent[] {
  const roleItems = sortedRoles(templates).map((role) => item([code(role.name), text(`: ${role.description}`)]));
  const lensNames = sortedLenses(templates).map((lens) => lens.name);
  return [paragraph([text('Roles:')]), list(roleItems), paragraph([text(`Lenses: ${lensNames.join(', ')}.`)])];
}

// The references list names and purposes only: the script prints each role's full prompt and
// flags (`ROLE --help`), so the skill does not pay for that text twice.
function roles(templates: TemplateSet): RootContent[] {
  const rows = sortedRoles(templates).map((role) => [
    [code(role.name)],
    [text(role.description)],
    [text(role.edits ? 'yes: one writer at a time, needs --scope' : 'no')],
    [text(lensRule(role))],
    orNone(joinCode(role.parameters.filter((p) => p.required).map((p) => `--${p.name}`))),
  ]);
  return [table(['role', 'what it does', 'edits files', 'lenses', 'required flags'], rows)];
}

function lenses(templates: TemplateSet): RootContent[] {
  const rows = sortedLenses(templates).map((lens) => [[code(lens.name)], [text(`${lens.title}: ${lens.description}`)], orNone(joinCode(lens.aliases))]);
  return [table(['lens', 'looks for', 'aliases'], rows)];
}

function contextFields(templates: TemplateSet): RootContent[] {
  return [
    list(
      templates.contextPack.fields.map((field) =>
        item([strong(`${field.label}`), text(' ('), code(`--${field.flag}`), text(`): ${field.description}`)]),
      ),
    ),
  ];
}

function lensRule(role: RoleTemplate): string {
  const { mode, max } = role.lenses;
  if (mode === 'none') return 'none';
  const range = max > 1 ? `${mode === 'required' ? '1' : '0'} to ${max}` : mode === 'required' ? 'exactly 1' : 'at most 1';
  return `${mode}, ${range}`;
}

function sortedRoles(templates: TemplateSet): RoleTemplate[] {
  return Object.values(templates.roles).sort((a, b) => compare(a.name, b.name));
}

function sortedLenses(templates: TemplateSet): LensTemplate[] {
  return Object.values(templates.lenses).sort((a, b) => compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

function code(value: string): PhrasingContent {
  return { type: 'inlineCode', value };
}

function strong(value: string): PhrasingContent {
  return { type: 'strong', children: [text(value)] };
}

function joinCode(values: readonly string[]): PhrasingContent[] {
  return values.flatMap((value, i) => (i === 0 ? [code(value)] : [text(', '), code(value)]));
}

function orNone(cell: PhrasingContent[]): PhrasingContent[] {
  return cell.length > 0 ? cell : [text('-')];
}

function paragraph(children: PhrasingContent[]): Paragraph {
  return { type: 'paragraph', children };
}

function item(children: PhrasingContent[]): ListItem {
  return { type: 'listItem', spread: false, children: [paragraph(children)] };
}

function list(children: ListItem[]): List {
  return { type: 'list', ordered: false, spread: false, children };
}

/**
 * A GFM table. The skill's Markdown style has no table support (prompts never need one), so the
 * table is printed here with the GFM extension and inserted as-is.
 */
function table(head: string[], rows: PhrasingContent[][][]): RootContent {
  const node: Table = {
    type: 'table',
    align: head.map(() => null),
    children: [head.map((h) => [text(h)]), ...rows].map((cells): TableRow => ({ type: 'tableRow', children: cells.map((children): TableCell => ({ type: 'tableCell', children })) })),
  };
  const value = toMarkdown(node, { ...markdownStyle, extensions: [gfmTableToMarkdown({ tablePipeAlign: false })] }).replace(/\n+$/, '');
  return { type: 'html', value };
}
