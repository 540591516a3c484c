import type { Code, List, ListItem, Paragraph, PhrasingContent, RootContent } from 'mdast';
import { stringifyMarkdown } from '../markdown/stringify.js';
import { renderPrompt } from '../prompt/render.js';
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

/** How skill sources refer to the script in commands. */
export const scriptCommand = 'node <skill folder>/scripts/orch-prompt.mjs';

function catalogue(templates: TemplateSet): RootContent[] {
  const roleItems = sortedRoles(templates).map((role) => item([code(role.name), text(`: ${role.description}`)]));
  const lensNames = sortedLenses(templates).map((lens) => lens.name);
  return [
    paragraph([text('Roles ('), link('references/roles.md', 'details'), text('):')]),
    list(roleItems),
    paragraph([text('Lenses ('), link('references/lenses.md', 'details'), text(`): ${lensNames.join(', ')}.`)]),
  ];
}

function roles(templates: TemplateSet): RootContent[] {
  const preamble = stringifyMarkdown({ type: 'root', children: templates.preamble.body.children });
  const out: RootContent[] = [
    contents(['The preamble', ...sortedRoles(templates).map((role) => role.name)]),
    { type: 'heading', depth: 2, children: [text('The preamble')] },
    paragraph([text('Every worker prompt starts with this block; its first line, '), code('CONTEXT: WORKER'), text(', tells a worker never to orchestrate.')]),
    fence('text', preamble.replace(/\n+$/, '')),
  ];
  for (const role of sortedRoles(templates)) {
    const facts: ListItem[] = [
      item([strong('Scope:'), text(' '), text(role.scope ?? 'none by default: pass --scope naming what it may edit')]),
      item([strong('Edits files:'), text(role.edits ? ' yes (run one writer at a time)' : ' no')]),
      item([strong('Lenses:'), text(` ${lensRule(role)}`)]),
    ];
    for (const parameter of role.parameters) {
      facts.push(item([code(`--${parameter.name}`), text(`${parameter.required ? ' (required)' : ''}: ${parameter.description}`)]));
    }
    if (role.outputSchema) facts.push(item([strong('Output schema:'), text(' yes; '), code(`${role.name} --format json`), text(' prints it for '), code('codex exec --output-schema')]));
    const args = exampleArgs(role, templates);
    const rendered = renderPrompt(role.name, exampleOptions(role, templates));
    out.push(
      { type: 'heading', depth: 2, children: [text(role.name)] },
      paragraph([text(role.description)]),
      list(facts),
      paragraph([text('Example, and the prompt it prints after the preamble:')]),
      fence('sh', `${scriptCommand} ${role.name}${args.map((a) => ` ${a}`).join('')}`),
      fence('text', withoutPreamble(rendered.prompt, preamble).replace(/\n+$/, '')),
    );
  }
  return out;
}

function lenses(templates: TemplateSet): RootContent[] {
  const out: RootContent[] = [contents(sortedLenses(templates).map((lens) => `${lens.name}: ${lens.title}`))];
  for (const lens of sortedLenses(templates)) {
    out.push({ type: 'heading', depth: 2, children: [text(`${lens.name}: ${lens.title}`)] });
    const intro: PhrasingContent[] = [text(lens.description)];
    if (lens.aliases.length > 0) intro.push(text(' Aliases: '), ...joinCode(lens.aliases), text('.'));
    out.push(paragraph(intro), paragraph([text('Look for:')]), ...lens.body.children);
  }
  return out;
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

/**
 * A table of contents: links to the page's sections, so that an agent reading only the top of a
 * long page sees everything it holds (lint rule skill-reference-toc).
 */
function contents(headings: readonly string[]): List {
  return list(headings.map((heading) => item([link(`#${anchor(heading)}`, heading)])));
}

/** The anchor GitHub and most Markdown viewers give a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The part of a prompt after the preamble (the whole prompt if it does not start with it). */
function withoutPreamble(prompt: string, preamble: string): string {
  const head = preamble.replace(/\n+$/, '');
  return prompt.startsWith(`${head}\n\n`) ? prompt.slice(head.length + 2) : prompt;
}

function lensRule(role: RoleTemplate): string {
  const { mode, max } = role.lenses;
  if (mode === 'none') return 'none';
  const range = max > 1 ? `${mode === 'required' ? '1' : '0'} to ${max}` : mode === 'required' ? 'exactly 1' : 'at most 1';
  return `${mode}, ${range}`;
}

/** An example lens: `risks` when the set has it, so examples read naturally. */
function exampleLens(templates: TemplateSet): string {
  return templates.lenses['risks'] ? 'risks' : (sortedLenses(templates)[0]?.name ?? 'risks');
}

function exampleArgs(role: RoleTemplate, templates: TemplateSet): string[] {
  const args: string[] = [];
  for (const parameter of role.parameters) if (parameter.required) args.push(`--${parameter.name} "${example(parameter.name)}"`);
  if (role.lenses.mode === 'required') args.push(`--lens ${exampleLens(templates)}`);
  if (role.edits && role.scope === undefined) args.push(`--scope "${exampleScope}"`);
  return args;
}

function exampleOptions(role: RoleTemplate, templates: TemplateSet): Parameters<typeof renderPrompt>[1] {
  const params: Record<string, string> = {};
  for (const parameter of role.parameters) if (parameter.required) params[parameter.name] = example(parameter.name);
  return {
    templates,
    params,
    lenses: role.lenses.mode === 'required' ? [exampleLens(templates)] : [],
    ...(role.edits && role.scope === undefined ? { scope: exampleScope } : {}),
  };
}

// Upper-case stand-ins read as blanks to fill and need no escaping in the printed prompt.
const exampleScope = 'may edit PATHS only';

function example(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
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

function link(url: string, label: string): PhrasingContent {
  return { type: 'link', url, children: [text(label)] };
}

function joinCode(values: readonly string[]): PhrasingContent[] {
  return values.flatMap((value, i) => (i === 0 ? [code(value)] : [text(', '), code(value)]));
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

function fence(lang: string, value: string): Code {
  return { type: 'code', lang, value };
}
