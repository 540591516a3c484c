import type { Root, RootContent } from 'mdast';
import { stringifyDocument } from '../markdown/write-document.js';
import { placeholdersInTree } from './placeholders.js';
import type { TemplateSet } from './model.js';

/**
 * Pre-serialize the parts of templates that hold no placeholder, for the bundled CLI: each
 * such top-level block becomes an `html` node holding its own Markdown, which the serializer
 * prints verbatim. The rendered prompt is byte-identical (a test checks every role and lens);
 * only the work of serializing constant text is moved from every call to build time.
 * Blocks are serialized one by one, so two adjacent lists would lose their distinct bullets:
 * such a pair is left as is.
 */
export function freezeTemplates(set: TemplateSet): TemplateSet {
  const roles = Object.fromEntries(
    Object.entries(set.roles).map(([name, role]) => [
      name,
      {
        ...role,
        sections: {
          task: role.sections.task,
          do: freezeTree(role.sections.do),
          output: freezeTree(role.sections.output),
          dont: freezeTree(role.sections.dont),
        },
      },
    ]),
  );
  const lenses = Object.fromEntries(Object.entries(set.lenses).map(([name, lens]) => [name, { ...lens, body: freezeTree(lens.body) }]));
  return {
    preamble: { ...set.preamble, body: freezeTree(set.preamble.body) },
    contextPack: { ...set.contextPack, body: freezeTree(set.contextPack.body) },
    roles,
    lenses,
  };
}

function freezeTree(tree: Root): Root {
  const children = tree.children.map((node, i, all): RootContent => {
    const nextToList = node.type === 'list' && (all[i - 1]?.type === 'list' || all[i + 1]?.type === 'list');
    if (nextToList || placeholdersInTree(node).length > 0) return node;
    return { type: 'html', value: stringifyDocument({ type: 'root', children: [node] }).replace(/\n$/, '') };
  });
  return { type: 'root', children };
}
