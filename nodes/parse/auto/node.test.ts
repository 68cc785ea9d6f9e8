import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { runNode, type LaneName } from '../../../src/node-kit/index.js';
import node from './node.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test/fixtures/parse/${name}`, import.meta.url)));
const file = (name: string, mime: string, bytes: Uint8Array) => ({ lane: 'file' as const, item: { name, mime, bytes, meta: { source: name } } });
const text = (source: string, value: string, mime?: string) => ({ lane: 'text' as const, item: { text: value, meta: { source, ...(mime ? { mime } : {}) } } });

async function onePagePdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage([300, 200]).drawText('Invoice 42 is due on Friday.', { x: 20, y: 150, size: 12, font });
  return document.save();
}

/** The lanes and sources of what one input made parse.auto emit. */
async function dispatch(input: { lane: LaneName; item: unknown }) {
  const result = await runNode(node, { items: [input] });
  assert.deepEqual(result.problems, [], 'every emitted item is on a declared lane and matches its schema');
  assert.deepEqual(result.errors, []);
  return { ...result, summary: result.emitted.map((entry) => `${entry.lane}:${(entry.item as { meta: { source?: string } }).meta.source}`) };
}

test('a PDF goes to parse.pdf: one text item per page with its page number', async () => {
  const { emitted, attributes } = await dispatch(file('invoice.pdf', 'application/pdf', await onePagePdf()));
  assert.equal(attributes['parse.route'], 'parse.pdf');
  assert.deepEqual(emitted.map((entry) => entry.lane), ['text']);
  const item = emitted[0]!.item as { text: string; meta: { source: string; page: number } };
  assert.equal(item.text.trim(), 'Invoice 42 is due on Friday.');
  assert.deepEqual([item.meta.source, item.meta.page], ['invoice.pdf', 1]);
});

test('HTML as a file or as text with meta.mime goes to parse.html (text and its table)', async () => {
  const asFile = await dispatch(file('article.html', 'text/html', fixture('article.html')));
  assert.deepEqual(asFile.summary, ['text:article.html', 'table:article.html']);
  assert.ok((asFile.emitted[0]!.item as { text: string }).text.startsWith('# Quarterly report\n\nRevenue grew'));
  const asText = await dispatch(text('page.html', '<html><body><p>Hello <i>there</i>.</p></body></html>', 'text/html; charset=utf-8'));
  assert.deepEqual(asText.emitted, [{ lane: 'text', item: { text: 'Hello there.', meta: { source: 'page.html' } } }]);
  assert.equal(asText.attributes['parse.route'], 'parse.html');
});

test('Word, Excel, CSV and Markdown go to their parsers', async () => {
  const word = await dispatch(file('report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fixture('report.docx')));
  assert.deepEqual([word.attributes['parse.route'], word.summary], ['parse.docx', ['text:report.docx', 'table:report.docx']]);
  const excel = await dispatch(file('sales.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fixture('sales.xlsx')));
  assert.deepEqual([excel.attributes['parse.route'], excel.summary], ['parse.xlsx', ['table:sales.xlsx', 'table:sales.xlsx']]);
  const csv = await dispatch(text('orders.csv', new TextDecoder().decode(fixture('orders.csv')), 'text/csv'));
  assert.deepEqual([csv.attributes['parse.route'], csv.summary], ['parse.csv', ['table:orders.csv']]);
  assert.deepEqual((csv.emitted[0]!.item as { columns: string[] }).columns, ['id', 'customer', 'note', 'amount']);
  const markdown = await dispatch(file('notes.md', 'text/markdown', fixture('notes.md')));
  assert.deepEqual([markdown.attributes['parse.route'], markdown.summary], ['parse.markdown', ['text:notes.md', 'table:notes.md']]);
  assert.equal((markdown.emitted[0]!.item as { meta: { title: string } }).meta.title, 'Release notes');
});

test('plain text passes through unchanged, from the text lane and from a text/plain file', async () => {
  const lane = await dispatch(text('note.txt', 'Just words.\n', 'text/plain'));
  assert.deepEqual(lane.emitted, [{ lane: 'text', item: { text: 'Just words.\n', meta: { source: 'note.txt' } } }]);
  const noMime = await dispatch(text('typed', 'Typed on the command line.'));
  assert.deepEqual(noMime.emitted, [{ lane: 'text', item: { text: 'Typed on the command line.', meta: { source: 'typed' } } }]);
  const fromFile = await dispatch(file('data.json', 'application/json', new TextEncoder().encode('{"a": 1}')));
  assert.deepEqual(fromFile.emitted, [{ lane: 'text', item: { text: '{"a": 1}', meta: { source: 'data.json' } } }]);
});

test('an image goes out on the image lane with its bytes, for OCR', async () => {
  const png = new Uint8Array(await sharp({ create: { width: 4, height: 3, channels: 3, background: '#ffffff' } }).png().toBuffer());
  const { emitted, attributes } = await dispatch(file('scan.png', 'image/png', png));
  assert.equal(attributes['parse.route'], 'image');
  assert.deepEqual(emitted, [{ lane: 'image', item: { bytes: png, mime: 'image/png', meta: { source: 'scan.png' } } }]);
});

test('a generic zip or compound-file mime is routed by the file extension', async () => {
  const word = await dispatch(file('report.docx', 'application/zip', fixture('report.docx')));
  assert.equal(word.attributes['parse.route'], 'parse.docx');
  const legacy = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
  const { errors } = await runNode(node, { items: [file('old.xls', 'application/x-cfb', legacy)] });
  assert.deepEqual(errors.map((error) => [error.code, error.message]), [
    ['PARSE_UNREADABLE', '"old.xls" is not a readable Excel .xlsx: it is a legacy .xls file or a password-protected workbook.'],
  ]);
});

test('an unsupported type fails with PARSE_UNSUPPORTED_TYPE listing what is supported, and the next item is still parsed', async () => {
  const { errors, emitted } = await runNode(node, {
    items: [file('setup.exe', 'application/x-msdownload', new Uint8Array([0x4d, 0x5a, 0x90, 0x00])), text('next.md', '# Next\n', 'text/markdown')],
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'PARSE_UNSUPPORTED_TYPE');
  assert.equal(
    errors[0]!.message,
    '"setup.exe" is application/x-msdownload, which parse.auto cannot parse. It parses: PDF (application/pdf); HTML (text/html, application/xhtml+xml); ' +
      'Word (application/vnd.openxmlformats-officedocument.wordprocessingml.document); Excel (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet); ' +
      'CSV (text/csv, text/tab-separated-values, application/csv); Markdown (text/markdown, text/x-markdown); ' +
      'image (image/png, image/jpeg, image/tiff, image/gif, image/webp); plain text (text/plain, application/json, application/xml, text/xml).',
  );
  assert.match(errors[0]!.hint, /route application\/x-msdownload to a node that reads it/);
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: '# Next', meta: { source: 'next.md', title: 'Next' } } }]);
});

test('a binary type named on a text item cannot be parsed without its bytes', async () => {
  const { errors } = await runNode(node, { items: [text('report.pdf', '%PDF-1.7 ...', 'application/pdf')] });
  assert.deepEqual(errors.map((error) => error.code), ['PARSE_UNSUPPORTED_TYPE']);
  assert.match(errors[0]!.hint, /file lane/);
});

test('parse.auto declares every lane its parsers emit', () => {
  assert.deepEqual([...node.outputs].sort(), ['image', 'table', 'text']);
  assert.ok((node.timeoutMs ?? 0) >= 600_000, 'as long as parse.pdf may take');
});

test('output on a lane nothing reads is a warning, not a silent empty result', async () => {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } }).png().toBuffer();
  const result = await runNode(node, { items: [file('scan.png', 'image/png', png)], subscribedLanes: ['text'] });
  assert.equal(result.errors.length, 0);
  assert.deepEqual(result.warnings, ['1 image item(s) from "scan.png" went nowhere: nothing reads parse.auto\'s image lane (connect ocr.tesseract to it).']);
});
