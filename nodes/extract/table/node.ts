import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { findAlignedTables } from './aligned-columns.js';
import { findKeyValueTables } from './key-value.js';
import { claim, splitLines, type FoundTable } from './lines.js';
import { findNumberTables } from './number-columns.js';

const config = z.object({
  mode: z
    .enum(['auto', 'columns', 'key-value'])
    .default('auto')
    .describe('What to look for: columns (aligned by 2+ spaces or tabs, or rows ending in numbers under a header), key-value (`Key: value` lines), or auto (both)'),
});

export default defineNode({
  type: 'extract.table',
  title: 'Table extractor',
  description:
    'Finds tables in plain or OCR text: columns aligned by two or more spaces or tabs, rows that end in numbers under a ' +
    'header line (OCR joins cells with single spaces), and blocks of `Key: value` lines (an invoice header). Emits one ' +
    'table per block with meta.source, meta.lineStart and meta.lineEnd.',
  inputs: ['text'],
  outputs: ['table'],
  config,
  examples: [
    { title: 'Invoice header fields and line items', config: { mode: 'auto' } },
    { title: 'Only `Key: value` fields', config: { mode: 'key-value' } },
  ],
  async process(item, ctx) {
    const { text, meta } = item;
    const lines = splitLines(text);
    const claimed = new Uint8Array(lines.length);
    const found: FoundTable[] = [];
    const detectors =
      ctx.config.mode === 'key-value'
        ? [findKeyValueTables]
        : ctx.config.mode === 'columns'
          ? [findAlignedTables, findNumberTables]
          : [findKeyValueTables, findAlignedTables, findNumberTables];
    for (const detect of detectors) {
      for (const table of detect(lines, claimed)) {
        claim(claimed, table);
        found.push(table);
      }
    }
    found.sort((a, b) => a.first - b.first);
    if (found.length === 0) {
      ctx.warn(`No ${ctx.config.mode === 'auto' ? '' : `${ctx.config.mode} `}table found in ${meta.source ?? 'the text'} (${lines.length} lines).`);
    }
    ctx.setAttributes({ 'table.count': found.length });
    for (const table of found) {
      const first = lines[table.first]!;
      await ctx.emit('table', {
        columns: table.columns,
        rows: table.rows,
        meta: {
          ...meta,
          offset: (meta.offset ?? 0) + first.start,
          kind: table.kind,
          lineStart: first.number,
          lineEnd: lines[table.last]!.number,
        },
      });
    }
  },
});
