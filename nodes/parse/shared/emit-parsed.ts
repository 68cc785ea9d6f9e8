import type { LaneName, NodeContext } from '../../../src/node-kit/index.js';
import type { ShapedTable } from './table-shape.js';

/** The part of a node's context that emits parsed text and tables. */
export type ParsedOutput = Pick<NodeContext<LaneName, 'text' | 'table', unknown>, 'emit' | 'warn' | 'setAttributes'>;

/**
 * Emits a parsed document: its text (unless empty, which is warned about instead) and one `table`
 * item per table, numbered from 1 in document order (`meta.table`).
 */
export async function emitParsed(
  ctx: ParsedOutput,
  parsed: { text: string; tables: ReadonlyArray<ShapedTable & { caption?: string }>; textMeta?: Record<string, unknown> },
  source: string | undefined,
  kind: string,
): Promise<void> {
  const base = source === undefined ? {} : { source };
  const text = parsed.text.trim();
  ctx.setAttributes({ 'parse.characters': text.length, 'parse.tables': parsed.tables.length });
  if (text === '' && parsed.tables.length === 0) {
    ctx.warn(`${kind}${source ? ` "${source}"` : ''} has no text: nothing emitted.`);
    return;
  }
  if (text !== '') await ctx.emit('text', { text, meta: { ...base, ...parsed.textMeta } });
  let number = 0;
  for (const table of parsed.tables) {
    number += 1;
    const caption = table.caption ? { caption: table.caption } : {};
    await ctx.emit('table', { columns: table.columns, rows: table.rows, meta: { ...base, table: number, ...caption } });
  }
}
