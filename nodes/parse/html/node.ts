import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { emitParsed } from '../shared/emit-parsed.js';
import { sourceOf, textOf } from '../shared/parse-input.js';
import { declaredCharset, htmlContent } from './main-content.js';

const config = z.object({
  mainContentOnly: z
    .boolean()
    .default(true)
    .describe('Keep only the main content (Readability), dropping navigation, headers, footers and sidebars; false keeps the whole body but navigation'),
  keepHeadings: z.boolean().default(true).describe('Write headings as markdown "#" lines (false: as plain paragraphs)'),
});

export default defineNode({
  type: 'parse.html',
  title: 'HTML parser',
  description:
    'Turns an HTML page into text: the main content (Readability) with headings as "#" lines, list items as "- " lines and ' +
    'blocks separated by blank lines; scripts, styles and navigation dropped. Each data table is also emitted on the table lane ' +
    '(header from <th> or the first row) and kept in the text as a markdown table.',
  inputs: ['file', 'text'],
  outputs: ['text', 'table'],
  config,
  examples: [
    { title: 'Article text and its tables', config: {} },
    { title: 'Whole page, headings as plain lines', config: { mainContentOnly: false, keepHeadings: false } },
  ],
  async process(item, ctx) {
    const source = sourceOf(item);
    const html = await textOf(item, { signal: ctx.signal, nodeType: 'parse.html', warn: (message) => ctx.warn(message), declaredCharset });
    if (html.trim() === '') {
      ctx.warn(`HTML${source ? ` "${source}"` : ''} is empty: nothing emitted.`);
      return;
    }
    const content = await htmlContent(html, ctx.config);
    ctx.setAttributes({ 'parse.extractedFrom': content.extractedFrom });
    const textMeta = { ...(content.title ? { title: content.title } : {}), ...(content.lang ? { lang: content.lang } : {}) };
    await emitParsed(ctx, { text: content.text, tables: content.tables, textMeta }, source, 'HTML');
  },
});
