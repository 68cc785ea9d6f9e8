import { z } from 'zod';
import { defineNode, PipelaneError, type AnyNodeDefinition, type FileItem, type NodeContext, type TextItem } from '../../../src/node-kit/index.js';
import { fileBytes, sourceOf, textOf } from '../shared/parse-input.js';
import { parserDefinitions, routeFor, supportedTypes } from './routes.js';

type Lane = 'file' | 'text';
type Context = NodeContext<Lane, 'text' | 'table' | 'image', Record<string, never>>;

export default defineNode({
  type: 'parse.auto',
  title: 'Parse any document',
  description:
    'One parse step for mixed inputs: picks the parser by the file\'s mime type (a text item\'s meta.mime) and runs it with its default config: ' +
    'PDF → parse.pdf, HTML → parse.html, Word .docx → parse.docx, Excel .xlsx → parse.xlsx, CSV → parse.csv, Markdown → parse.markdown; ' +
    'plain text passes through, images (png, jpeg, tiff, gif, webp) go out on the image lane for OCR. Any other type fails with PARSE_UNSUPPORTED_TYPE.',
  inputs: ['file', 'text'],
  outputs: ['text', 'table', 'image'],
  config: z.object({}),
  general: true,
  // as long as the slowest parser it may call (a long PDF)
  timeoutMs: Math.max(...parserDefinitions.map((definition) => definition.timeoutMs ?? 120_000)),
  examples: [{ title: 'Parse whatever the source gives', config: {} }],
  async process(item, rawContext) {
    const { ctx, unread } = trackUnreadLanes(rawContext);
    try {
      await parse(item, ctx);
    } finally {
      for (const [lane, count] of unread) {
        ctx.warn(`${count} ${lane} item(s) from "${sourceOf(item) ?? 'input'}" went nowhere: nothing reads parse.auto's ${lane} lane${lane === 'image' ? ' (connect ocr.tesseract to it)' : ''}.`);
      }
    }
  },
});

/** Counts what parse.auto emits on lanes nobody reads: a scan or a spreadsheet would otherwise vanish silently. */
function trackUnreadLanes(ctx: Context): { ctx: Context; unread: Map<string, number> } {
  const unread = new Map<string, number>();
  const tracked: Context = {
    ...ctx,
    emit: (lane, payload) => {
      if (!ctx.subscribedLanes.has(lane)) unread.set(lane, (unread.get(lane) ?? 0) + 1);
      return ctx.emit(lane, payload);
    },
  };
  return { ctx: tracked, unread };
}

async function parse(item: FileItem | TextItem, ctx: Context): Promise<void> {
  const source = sourceOf(item);
  const mime = mimeOf(item);
  const name = 'name' in item ? item.name : source;
  const route = routeFor(mime, name);
  if (route === undefined) {
    throw new PipelaneError('PARSE_UNSUPPORTED_TYPE', `"${source ?? name ?? 'input'}" is ${mime}, which parse.auto cannot parse. It parses: ${supportedTypes}.`, {
      hint: `Give a file of one of those types, or route ${mime} to a node that reads it instead of parse.auto.`,
      details: { mime },
    });
  }
  ctx.setAttributes({ 'parse.mime': mime, 'parse.route': route.kind === 'parser' ? route.definition.type : route.kind });
  if (route.kind === 'parser') return delegate(route.definition, item, ctx);
  if (route.kind === 'image') {
    if (!('mime' in item)) throw notOnFileLane('the image lane', ctx.lane ?? 'text');
    const bytes = await fileBytes(item, ctx.signal, 'parse.auto');
    return ctx.emit('image', { bytes, mime, meta: source === undefined ? {} : { source } });
  }
  const text = await textOf(item, { signal: ctx.signal, nodeType: 'parse.auto', warn: (message) => ctx.warn(message) });
  if (text.trim() === '') {
    ctx.warn(`Text${source ? ` "${source}"` : ''} is empty: nothing emitted.`);
    return;
  }
  await ctx.emit('text', { text, meta: source === undefined ? {} : { source } });
}

/** The mime a file item was detected as, or the one source.file noted on a text item (plain text when none). */
function mimeOf(item: FileItem | TextItem): string {
  if ('mime' in item) return item.mime;
  return typeof item.meta.mime === 'string' ? item.meta.mime : 'text/plain';
}

/**
 * Runs another parse node on this item in this node's place: its own default config, this node's
 * signal, emit, warn and span attributes, and the lanes downstream of parse.auto reads (so parse.pdf
 * renders scans only when something reads images).
 */
async function delegate(definition: AnyNodeDefinition, item: FileItem | TextItem, ctx: Context): Promise<void> {
  const lane: Lane = 'mime' in item ? 'file' : 'text';
  if (!definition.inputs.includes(lane)) throw notOnFileLane(definition.type, lane);
  const child: NodeContext<Lane, 'text' | 'table' | 'image', unknown> = {
    runId: ctx.runId,
    nodeId: ctx.nodeId,
    nodeType: ctx.nodeType,
    config: definition.config.parse({}),
    signal: ctx.signal,
    logger: ctx.logger,
    lane,
    state: {},
    subscribedLanes: ctx.subscribedLanes,
    emit: (outLane, payload) => ctx.emit(outLane, payload),
    warn: (message) => ctx.warn(message),
    setAttributes: (attributes) => ctx.setAttributes(attributes),
    llm: (binding) => ctx.llm(binding),
    tools: (binding) => ctx.tools(binding),
  };
  await definition.process(item as never, child);
}

/** A binary type (pdf, docx, xlsx, an image) named by a text item's meta.mime: its bytes are gone. */
function notOnFileLane(target: string, lane: string): PipelaneError {
  return new PipelaneError('PARSE_UNSUPPORTED_TYPE', `parse.auto got a ${lane} item whose meta.mime names a binary type; ${target} needs the file's bytes.`, {
    hint: "Connect the source's file lane to parse.auto, so that binary files arrive with their bytes.",
  });
}
