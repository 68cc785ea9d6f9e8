import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { emitParsed } from '../shared/emit-parsed.js';
import { sourceOf, textOf } from '../shared/parse-input.js';
import { splitFrontMatter } from './front-matter.js';

export default defineNode({
  type: 'parse.markdown',
  title: 'Markdown parser',
  description:
    'Reads a markdown document: YAML front matter moves into meta.frontMatter (meta.title from its title or the first "# " heading), ' +
    'the body is emitted unchanged as text (meta.offset: where it starts in the file), and each GitHub-style table is also emitted ' +
    'on the table lane with its cells as plain text.',
  inputs: ['file', 'text'],
  outputs: ['text', 'table'],
  config: z.object({}),
  examples: [{ title: 'Markdown with front matter and tables', config: {} }],
  async process(item, ctx) {
    const source = sourceOf(item);
    const document = await textOf(item, { signal: ctx.signal, nodeType: 'parse.markdown', warn: (message) => ctx.warn(message) });
    const frontMatter = splitFrontMatter(document);
    if (frontMatter !== undefined && frontMatter.unreadLines.length > 0) {
      ctx.warn(
        `Front matter of "${source}": line(s) ${frontMatter.unreadLines.join(', ')} are not simple YAML (key: value, lists, nested keys) and were left out of meta.frontMatter.`,
      );
    }
    const rest = frontMatter === undefined ? document : document.slice(frontMatter.length);
    const body = rest.trim();
    if (body === '') {
      ctx.warn(`Markdown${source ? ` "${source}"` : ''} has no text${frontMatter ? ' after its front matter' : ''}: nothing emitted.`);
      return;
    }
    const offset = (frontMatter?.length ?? 0) + (rest.length - rest.trimStart().length);
    // loaded on first use (mdast-util-from-markdown): keeps `pipelane mcp` start-up under 1 s
    const { readMarkdownStructure } = await import('./gfm-tables.js');
    const structure = readMarkdownStructure(body);
    const declaredTitle = frontMatter?.data.title;
    const title = typeof declaredTitle === 'string' && declaredTitle.trim() !== '' ? declaredTitle.trim() : structure.firstHeading;
    const textMeta = {
      ...(offset > 0 ? { offset } : {}),
      ...(title ? { title } : {}),
      ...(frontMatter ? { frontMatter: frontMatter.data } : {}),
    };
    await emitParsed(ctx, { text: body, tables: structure.tables, textMeta }, source, 'Markdown');
  },
});
