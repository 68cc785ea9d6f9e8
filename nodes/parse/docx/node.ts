import { z } from 'zod';
import { defineNode, PipelaneError } from '../../../src/node-kit/index.js';
import { htmlContent } from '../html/main-content.js';
import { emitParsed } from '../shared/emit-parsed.js';
import { fileBytes, sourceOf } from '../shared/parse-input.js';

const config = z.object({
  keepHeadings: z.boolean().default(true).describe('Write Word headings (Heading 1-6 styles) as markdown "#" lines (false: as plain paragraphs)'),
});

/** Compound File Binary: a legacy .doc, or an OOXML file encrypted with a password. */
const compoundFileMagic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export default defineNode({
  type: 'parse.docx',
  title: 'Word (.docx) parser',
  description:
    'Turns a Word .docx document into text (mammoth): headings as "#" lines, list items as "- " lines, paragraphs separated by ' +
    'blank lines; each table is emitted on the table lane (header from the first row) and kept in the text as a markdown table.',
  inputs: ['file'],
  outputs: ['text', 'table'],
  config,
  examples: [{ title: 'Text and tables of a Word document', config: {} }],
  async process(item, ctx) {
    const source = sourceOf(item);
    const bytes = await fileBytes(item, ctx.signal, 'parse.docx');
    if (bytes.byteLength === 0) {
      ctx.warn(`Word document "${source}" is empty (0 bytes): nothing emitted.`);
      return;
    }
    const html = await toHtml(bytes, source ?? item.name);
    const messages = html.messages.filter((message) => message.type === 'error').map((message) => message.message);
    for (const message of messages) ctx.warn(`"${source}": ${message}`);
    ctx.setAttributes({ 'parse.docxMessages': html.messages.length });
    const content = await htmlContent(html.value, { mainContentOnly: false, keepHeadings: ctx.config.keepHeadings });
    await emitParsed(ctx, content, source, 'Word document');
  },
});

async function toHtml(bytes: Uint8Array, name: string): Promise<{ value: string; messages: Array<{ type: string; message: string }> }> {
  if (compoundFileMagic.every((byte, index) => bytes[index] === byte)) {
    throw new PipelaneError('PARSE_UNREADABLE', `"${name}" is not a readable Word .docx: it is a legacy .doc file or a password-protected document.`, {
      hint: 'Save it as .docx (Word: File > Save As > Word Document) without a password, then run again.',
    });
  }
  // loaded on first use: keeps `pipelane mcp` start-up under 1 s
  const { default: mammoth } = await import('mammoth');
  try {
    return await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // images would be inlined as base64 data: URLs, which the text never shows
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
  } catch (error) {
    throw new PipelaneError('PARSE_UNREADABLE', `"${name}" is not a readable Word .docx (${(error as Error).message}).`, {
      hint: 'Give an intact .docx file (a zip with word/document.xml); re-save it from Word or LibreOffice if it was truncated or renamed.',
      cause: error,
    });
  }
}
