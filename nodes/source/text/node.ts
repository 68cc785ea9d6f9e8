import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { defineNode, PipelaneError, type RunInput } from '../../../src/node-kit/index.js';

const config = z.object({
  lane: z.enum(['question', 'text']).default('question').describe('Emit the text as a question (for retrieval and answering) or as plain text'),
  maxChars: z.number().int().positive().default(100_000).describe('Longest text accepted, in characters'),
});

export default defineNode({
  type: 'source.text',
  title: 'Text source',
  description:
    'Turns the run input text (CLI --text, MCP `text`; a UTF-8 file given as input works too) into one item on the question lane ' +
    '(default, so `pipelane run ask --text "..."` asks a question) or on the text lane.',
  inputs: [],
  outputs: ['question', 'text'],
  config,
  outputsFor: (settings) => [settings.lane],
  examples: [
    { title: 'A question from --text', config: {} },
    { title: 'Plain text for chunking', config: { lane: 'text' } },
  ],
  async process(input, ctx) {
    const { text, source } = await readText(input, ctx.signal);
    if (text.trim().length === 0) {
      throw new PipelaneError('SOURCE_TEXT_EMPTY', `The run input for "${ctx.nodeId}" has no text.`, {
        hint: 'Pass the text with --text "..." (CLI) or `text` (run_pipeline).',
      });
    }
    if (text.length > ctx.config.maxChars) {
      throw new PipelaneError('SOURCE_TEXT_TOO_LONG', `The run input for "${ctx.nodeId}" has ${text.length} characters; maxChars is ${ctx.config.maxChars}.`, {
        hint: 'Give a shorter text, or raise maxChars on the source node.',
        path: '/config/maxChars',
      });
    }
    const meta = { source };
    if (ctx.config.lane === 'question') await ctx.emit('question', { text: text.trim(), meta });
    else await ctx.emit('text', { text, meta });
  },
});

async function readText(input: RunInput, signal: AbortSignal): Promise<{ text: string; source: string }> {
  if (input.text !== undefined) return { text: input.text, source: input.name ?? 'text' };
  if (input.bytes !== undefined) return { text: new TextDecoder().decode(input.bytes), source: input.name ?? 'bytes' };
  if (input.path !== undefined) return { text: await readFile(input.path, { encoding: 'utf8', signal }), source: basename(input.path) };
  return { text: '', source: 'text' };
}
