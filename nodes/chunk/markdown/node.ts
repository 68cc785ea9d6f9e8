import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { toDocuments } from '../shared/documents.js';

const config = z.object({
  size: z.number().int().min(1).default(1000).describe('Maximum characters per chunk (UTF-16 code units)'),
  merge: z
    .boolean()
    .default(true)
    .describe('Merge consecutive small sections under the same parent heading into one chunk, up to size'),
});

export default defineNode({
  type: 'chunk.markdown',
  title: 'Markdown chunker',
  description:
    'Splits markdown at its headings into sections of at most `size` characters: a longer section is cut between ' +
    'blocks (a code fence that fits is never split), then by paragraph, sentence and word; small sections under the ' +
    'same parent are merged. Each chunk keeps its heading path (metadata.headingPath) and offsets (start, end).',
  inputs: ['text'],
  outputs: ['documents'],
  config,
  examples: [
    { title: 'README or docs page into sections', config: { size: 1000 } },
    { title: 'One chunk per section, however small', config: { size: 2000, merge: false } },
  ],
  async process(item, ctx) {
    const { text, meta } = item;
    // loaded on first use (mdast-util-from-markdown, Intl.Segmenters): keeps `pipelane mcp` start-up under 1 s
    const { chunkMarkdown } = await import('./markdown-chunks.js');
    const chunks = chunkMarkdown(text, ctx.config);
    if (chunks.length === 0) {
      ctx.warn(`Text${meta.source ? ` from ${meta.source}` : ''} is empty or only whitespace: no chunks.`);
    }
    const documents = toDocuments(
      text,
      meta,
      chunks.map(({ start, end, path }) => ({
        start,
        end,
        metadata: { headingPath: path.map((heading) => heading.text), headingLevel: path.at(-1)?.depth ?? 0 },
      })),
    );
    ctx.setAttributes({ 'chunk.count': documents.length });
    await ctx.emit('documents', documents);
  },
});
