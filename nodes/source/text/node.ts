import { basename } from 'node:path';
import { z } from 'zod';
import { defineNode, PipelaneError, type RunInput } from '../../../src/node-kit/index.js';
import { decodeText, nonTextMime } from '../shared/detect-mime.js';
import { formatBytes, readInputFile, readInputHead, statInputFile } from '../shared/input-file.js';

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
    const { text, source } = await readText(input, ctx.config.maxChars, ctx.nodeId, ctx.signal);
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

/** Bytes looked at to tell text from binary before the whole input is read. */
const headBytes = 64 * 1024;

/** An input to decode: its size, and how to get its first bytes and all of them. */
interface ByteSource {
  name: string;
  size: number;
  head(length: number): Promise<Uint8Array>;
  all(): Promise<Uint8Array>;
}

async function readText(input: RunInput, maxChars: number, nodeId: string, signal: AbortSignal): Promise<{ text: string; source: string }> {
  if (input.text !== undefined) return { text: input.text, source: input.name ?? 'text' };
  if (input.bytes !== undefined) {
    const bytes = input.bytes;
    const name = input.name ?? 'bytes';
    const text = await decodeInput({ name, size: bytes.byteLength, head: async (length) => bytes.subarray(0, length), all: async () => bytes }, maxChars, nodeId);
    return { text, source: name };
  }
  if (input.path !== undefined) {
    const path = input.path;
    const name = input.name ?? basename(path);
    const size = await statInputFile(path);
    const text = await decodeInput({ name, size, head: (length) => readInputHead(path, length, signal), all: () => readInputFile(path, signal) }, maxChars, nodeId);
    return { text, source: basename(path) };
  }
  return { text: '', source: 'text' };
}

/**
 * UTF-8 text of the input. Binary is refused from its first bytes, and an input with more bytes
 * than `maxChars` characters can take is refused before it is read.
 */
async function decodeInput(input: ByteSource, maxChars: number, nodeId: string): Promise<string> {
  const head = await input.head(headBytes);
  const complete = head.byteLength >= input.size;
  const headMime = await nonTextMime(head, { partial: !complete });
  if (headMime !== undefined) throw notText(input.name, headMime);
  const maxBytes = maxUtf8Bytes(maxChars);
  if (input.size > maxBytes) throw tooLong(nodeId, input.name, input.size, maxChars);
  const bytes = complete ? head : await input.all();
  if (bytes.byteLength > maxBytes) throw tooLong(nodeId, input.name, bytes.byteLength, maxChars); // it may have grown since stat
  const text = decodeText(bytes);
  if (text === undefined) throw notText(input.name, (await nonTextMime(bytes)) ?? 'application/octet-stream');
  return text;
}

/** Every UTF-16 unit of a string takes 1 to 3 bytes in UTF-8 (a 4-byte character is 2 units), plus 3 for a byte order mark. */
function maxUtf8Bytes(maxChars: number): number {
  return 3 * maxChars + 3;
}

function tooLong(nodeId: string, name: string, size: number, maxChars: number): PipelaneError {
  return new PipelaneError('SOURCE_TEXT_TOO_LONG', `The run input for "${nodeId}" ("${name}") is ${formatBytes(size)}: more than maxChars ${maxChars} characters can take (at most ${maxUtf8Bytes(maxChars)} bytes of UTF-8).`, {
    hint: 'Give a shorter text, or raise maxChars on the source node.',
    path: '/config/maxChars',
    details: { bytes: size, maxChars },
  });
}

function notText(name: string, mime: string): PipelaneError {
  const instead = mime.startsWith('image/')
    ? 'Read an image with source.file -> ocr.tesseract'
    : mime === 'application/pdf'
      ? 'Read a PDF with source.file -> parse.pdf (or parse.auto for any document)'
      : 'Read a document with source.file -> parse.auto (PDF, DOCX, XLSX, HTML, CSV, Markdown) or an image with source.file -> ocr.tesseract';
  return new PipelaneError('INPUT_TYPE_NOT_ACCEPTED', `Input "${name}" is ${mime === 'application/octet-stream' ? 'binary, not UTF-8 text' : `${mime}, not UTF-8 text`}; source.text reads only UTF-8 text.`, {
    hint: `${instead}, or give the text as a UTF-8 file.`,
    details: { mime },
  });
}
