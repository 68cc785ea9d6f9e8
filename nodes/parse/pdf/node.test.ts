import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { z } from 'zod';
import { createEngine } from '../../../src/engine/index.js';
import { createRegistry, runNode, type FileItem, type ImageItem, type RunNodeResult } from '../../../src/node-kit/index.js';
import { shutdownModels } from '../../../src/models/index.js';
import { characterErrorRate } from '../../../test/helpers/cer.js';
import ocrTesseract from '../../ocr/tesseract/node.js';
import sourceFile from '../../source/file/node.js';
import parsePdf from './node.js';
import { describePages, selectPages } from './page-selection.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const pdfFixture = (name: string) => path.join(root, 'pdf', name);

after(() => shutdownModels());

interface PageText {
  text: string;
  meta: { source: string; page: number; pages: number };
}

async function fileItem(name: string, bytes?: Uint8Array): Promise<FileItem> {
  const data = bytes ?? new Uint8Array(await readFile(pdfFixture(name)));
  return { name, mime: 'application/pdf', bytes: data, size: data.byteLength, meta: { source: name } };
}

async function parse(items: FileItem[], options: { config?: Record<string, unknown>; subscribedLanes?: Array<'text' | 'image'> } = {}): Promise<RunNodeResult> {
  const result = await runNode(parsePdf, { items: items.map((item) => ({ item })), ...options });
  assert.deepEqual(result.problems, [], 'every emitted item matches its lane schema');
  return result;
}

const textsOf = (result: RunNodeResult) => result.emitted.filter(({ lane }) => lane === 'text').map(({ item }) => item as PageText);
const imagesOf = (result: RunNodeResult) => result.emitted.filter(({ lane }) => lane === 'image').map(({ item }) => item as ImageItem);

/** phototest.tif (200 DPI) as the only content of a page of its physical size: a scanned PDF. */
async function scannedPdf(extraTextPage?: string): Promise<Uint8Array> {
  const png = await sharp(path.join(root, 'ocr/phototest.tif')).png().toBuffer();
  const document = await PDFDocument.create();
  const image = await document.embedPng(png);
  const scan = document.addPage([(image.width * 72) / 200, (image.height * 72) / 200]);
  scan.drawImage(image, { x: 0, y: 0, width: scan.getWidth(), height: scan.getHeight() });
  if (extraTextPage !== undefined) {
    // Helvetica is not embedded: pdf.js needs its own standard font data to read and draw it.
    const font = await document.embedFont(StandardFonts.Helvetica);
    document.addPage([612, 792]).drawText(extraTextPage, { x: 72, y: 700, size: 14, font });
  }
  return document.save();
}

describe('parse.pdf on digital PDFs', () => {
  it('reads tracemonkey.pdf as 14 pages of text, in reading order, with line breaks', async (t) => {
    const started = performance.now();
    const result = await parse([await fileItem('tracemonkey.pdf')]);
    const seconds = (performance.now() - started) / 1000;
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    const pages = textsOf(result);
    assert.deepEqual(
      pages.map((page) => page.meta.page),
      Array.from({ length: 14 }, (_, index) => index + 1),
    );
    assert.ok(pages.every((page) => page.meta.pages === 14 && page.meta.source === 'tracemonkey.pdf'));
    assert.equal(imagesOf(result).length, 0, 'a digital PDF renders nothing');
    const characters = pages.reduce((sum, page) => sum + page.text.length, 0);
    t.diagnostic(`tracemonkey.pdf: 14 pages, ${characters} characters in ${seconds.toFixed(2)} s (pdf.js load included)`);

    const [first] = pages;
    assert.match(first!.text, /^Trace-based Just-in-Time Type Specialization for Dynamic\nLanguages\n/);
    const lines = first!.text.split('\n');
    assert.ok(lines.length > 80, `${lines.length} lines on page 1`);
    assert.ok(Math.max(...lines.map((line) => line.length)) < 120, 'lines follow the page, not one long line');
    // Left column (abstract, introduction), then the right column.
    const order = ['Abstract', 'Dynamic languages such as JavaScript are more difficult to com-', '1. Introduction', 'and is used for the application logic of browser-based productivity'];
    const positions = order.map((phrase) => first!.text.indexOf(phrase));
    assert.ok(positions.every((position) => position >= 0), JSON.stringify(positions));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'the columns read one after the other');

    const pageWith = (phrase: string) => pages.filter((page) => page.text.includes(phrase)).map((page) => page.meta.page);
    assert.deepEqual(pageWith('Figure 3. LIR snippet for sample program.'), [3]);
    assert.deepEqual(pageWith('\n6.2 Trace Stitching\n'), [9]);
    assert.deepEqual(pageWith('6.5 Calling External Functions\nLike most interpreters'), [10]);
    assert.deepEqual(pageWith('\n8. Related Work\n'), [12]);
    assert.deepEqual(pageWith('\nAcknowledgments\n'), [13]);
    assert.match(pages[13]!.text, /Proceedings/);
    assert.equal(result.attributes['pdf.pages'], 14);
    assert.equal(result.attributes['pdf.textPages'], 14);
  });

  it('reads only the selected pages and warns about pages that do not exist', async () => {
    const item = await fileItem('tracemonkey.pdf');
    const ranges = await parse([item], { config: { pages: '2-3,14' } });
    assert.deepEqual(
      textsOf(ranges).map((page) => page.meta.page),
      [2, 3, 14],
    );
    const openEnded = await parse([item], { config: { pages: '13-' } });
    assert.deepEqual(
      textsOf(openEnded).map((page) => page.meta.page),
      [13, 14],
    );
    const beyond = await parse([item], { config: { pages: [1, 20, 21] } });
    assert.deepEqual(
      textsOf(beyond).map((page) => page.meta.page),
      [1],
    );
    assert.deepEqual(beyond.warnings, ['"tracemonkey.pdf" has 14 pages; the selected pages 20, 21 do not exist.']);
  });

  it('reads the Arabic CID TrueType page with its packed character maps, offline, right to left', async () => {
    const result = await parse([await fileItem('ArabicCIDTrueType.pdf')]);
    const [page] = textsOf(result);
    assert.ok(page, 'one text item');
    const lines = page.text.split('\n');
    assert.equal(lines.length, 4);
    for (const line of lines) {
      assert.match(line, /^[\u0600-\u06FF ]+$/u, 'Arabic letters only: presentation forms folded');
      assert.equal(line.split(' ')[0], 'انواع', 'the rightmost word comes first');
    }
  });

  it('orders two columns by position even when the PDF draws the right one first, unless readingOrder is content', async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.TimesRoman);
    const page = document.addPage([612, 792]);
    const column = (x: number, label: string) =>
      Array.from({ length: 12 }, (_, index) => page.drawText(`${label} column line ${index + 1} of the sample text`, { x, y: 700 - index * 14, size: 11, font }));
    page.drawText('A Title Across Both Columns', { x: 200, y: 740, size: 18, font });
    column(320, 'Right');
    column(72, 'Left');
    page.drawText('Page footer 1', { x: 280, y: 40, size: 9, font });
    const item = await fileItem('columns.pdf', await document.save());

    const [layout] = textsOf(await parse([item]));
    const blocks = layout!.text.split('\n\n');
    assert.equal(blocks[0], 'A Title Across Both Columns');
    assert.match(blocks[1]!, /^Left column line 1 of the sample text\nLeft column line 2 /);
    assert.match(blocks[2]!, /^Right column line 1 /);
    assert.equal(blocks[3], 'Page footer 1');

    const [content] = textsOf(await parse([item], { config: { readingOrder: 'content' } }));
    assert.ok(content!.text.indexOf('Right column line 1') < content!.text.indexOf('Left column line 1'));
  });
});

describe('parse.pdf on scanned pages', () => {
  it('renders a page without a text layer to PNG on the image lane at about 200 DPI', async () => {
    const result = await parse([await fileItem('scan.pdf', await scannedPdf('This second page has a real text layer, drawn with Helvetica.'))]);
    assert.deepEqual(result.warnings, []);
    const [image] = imagesOf(result);
    assert.equal(image?.mime, 'image/png');
    assert.deepEqual(image!.meta, { source: 'scan.pdf', page: 1, pages: 2, dpi: 200 });
    const decoded = await sharp(image!.bytes).metadata();
    assert.deepEqual([decoded.format, decoded.width, decoded.height], ['png', 640, 480]);
    assert.deepEqual([image!.width, image!.height], [640, 480]);
    const corner = await sharp(image!.bytes).extract({ left: 0, top: 0, width: 8, height: 8 }).raw().toBuffer();
    assert.ok(corner.every((value) => value > 200), 'rendered on white');
    const texts = textsOf(result);
    assert.deepEqual(
      texts.map((page) => [page.meta.page, page.text]),
      [[2, 'This second page has a real text layer, drawn with Helvetica.']],
    );
    assert.equal(result.attributes['pdf.renderedPages'], 1);
  });

  it('renders at the configured scale', async () => {
    const result = await parse([await fileItem('scan.pdf', await scannedPdf())], { config: { renderScale: 1 } });
    const [image] = imagesOf(result);
    assert.deepEqual([image!.width, image!.height, image!.meta.dpi], [230, 172, 72]);
  });

  it('warns instead of rendering when nothing reads the image lane, or renderScanned is off', async () => {
    const item = await fileItem('scan.pdf', await scannedPdf());
    const textOnly = await parse([item], { subscribedLanes: ['text'] });
    assert.equal(textOnly.emitted.length, 0);
    assert.deepEqual(textOnly.warnings, [
      "empty document: no text in \"scan.pdf\" (1 of 1 page read); the page looks scanned: connect parse.pdf's image lane to ocr.tesseract to OCR scanned pages.",
    ]);
    const mixed = await parse([await fileItem('mixed.pdf', await scannedPdf('This second page has a real text layer, drawn with Helvetica.'))], { subscribedLanes: ['text'] });
    assert.deepEqual(
      textsOf(mixed).map((page) => page.meta.page),
      [2],
    );
    assert.deepEqual(mixed.warnings, [
      "Pages of \"mixed.pdf\" that look scanned (little or no text layer) were not sent to OCR: 1; connect parse.pdf's image lane to ocr.tesseract to OCR scanned pages.",
    ]);
    const off = await parse([item], { config: { renderScanned: false } });
    assert.equal(off.emitted.length, 0);
    assert.match(off.warnings[0]!, /^empty document: .*set renderScanned to true to OCR scanned pages\.$/);
  });

  it('comes out as text through source.file → parse.pdf → ocr.tesseract in the engine, CER ≤ 2%', async (t) => {
    const folder = await mkdtemp(path.join(tmpdir(), 'pipelane-parse-pdf-'));
    const file = path.join(folder, 'scanned.pdf');
    await writeFile(file, await scannedPdf('This second page has a real text layer, drawn with Helvetica.'));
    const engine = createEngine({ registry: createRegistry([sourceFile, parsePdf, ocrTesseract]) });
    const pipeline = {
      version: 1,
      name: 'scanned-pdf',
      nodes: [
        { id: 'in', type: 'source.file' },
        { id: 'parse', type: 'parse.pdf', inputs: [{ lane: 'file', from: 'in' }] },
        { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'parse' }] },
      ],
      outputs: [
        { lane: 'text', from: 'parse', as: 'text' },
        { lane: 'text', from: 'ocr', as: 'ocr' },
      ],
    };
    const started = performance.now();
    const result = await engine.run({ pipeline, inputs: [{ path: file }] });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    const [ocrPage] = result.outputs.ocr as PageText[];
    const expected = await readFile(path.join(root, 'ocr/phototest.txt'), 'utf8');
    const cer = characterErrorRate(ocrPage!.text, expected);
    t.diagnostic(`scanned PDF (phototest.tif at 200 DPI) through parse.pdf → ocr.tesseract: CER ${(cer * 100).toFixed(2)}% in ${seconds.toFixed(2)} s`);
    assert.ok(cer <= 0.02, `CER ${cer} > 0.02`);
    assert.equal(ocrPage!.meta.page, 1);
    assert.equal(ocrPage!.meta.source, 'scanned.pdf');
    assert.deepEqual(
      (result.outputs.text as PageText[]).map((page) => page.meta.page),
      [2],
    );
    assert.deepEqual(result.warnings, []);
  });
});

describe('parse.pdf on empty, encrypted and broken input', () => {
  it('warns "empty document" for empty.pdf and emits nothing', async () => {
    const result = await parse([await fileItem('empty.pdf')]);
    assert.deepEqual(result.errors, []);
    assert.equal(result.emitted.length, 0);
    assert.deepEqual(result.warnings, ['empty document: no text in "empty.pdf" (1 of 1 page read).']);
    assert.equal(result.attributes['pdf.blankPages'], 1);
  });

  it('gives PDF_ENCRYPTED without a password and with a wrong one, pointing at the password config', async () => {
    const item = await fileItem('encrypted.pdf');
    const missing = await parse([item]);
    const wrong = await parse([item], { config: { password: 'not-the-password' } });
    for (const result of [missing, wrong]) {
      assert.equal(result.emitted.length, 0);
      assert.equal(result.errors[0]?.code, 'PDF_ENCRYPTED');
      assert.equal(result.errors[0]!.path, '/config/password');
      assert.match(result.errors[0]!.hint, /\$\{PDF_PASSWORD\}/);
    }
    assert.equal(missing.errors[0]!.message, '"encrypted.pdf" is encrypted: it needs a password to open.');
    assert.equal(wrong.errors[0]!.message, '"encrypted.pdf" is encrypted and the configured password does not open it.');
    assert.ok(!JSON.stringify(wrong.errors[0]).includes('not-the-password'), 'the password is never echoed');
  });

  it('opens encrypted.pdf with the password from an ${ENV} placeholder in the engine', async () => {
    const engine = createEngine({ registry: createRegistry([sourceFile, parsePdf]) });
    const pipeline = {
      version: 1,
      name: 'encrypted-pdf',
      nodes: [
        { id: 'in', type: 'source.file' },
        { id: 'parse', type: 'parse.pdf', config: { password: '${PDF_PASSWORD}' }, inputs: [{ lane: 'file', from: 'in' }] },
      ],
      outputs: [{ lane: 'text', from: 'parse', as: 'text' }],
    };
    const result = await engine.run({ pipeline, inputs: [{ path: pdfFixture('encrypted.pdf') }], env: { PDF_PASSWORD: 'user' } });
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    const [page] = result.outputs.text as PageText[];
    assert.match(page!.text, /^Red: stroke=1, fill=1\.\nGreen: stroke=\.5, fill=\.5\./);
    assert.equal(page!.meta.page, 1);
  });

  it('gives PDF_UNREADABLE for garbage, a damaged header and a PNG, then reads the next PDF', async () => {
    const garbage = new Uint8Array(4096).map((_, index) => (index * 7919 + 13) % 251);
    const damaged = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf body\n');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const result = await parse([
      await fileItem('garbage.pdf', garbage),
      await fileItem('damaged.pdf', damaged),
      { ...(await fileItem('photo.png', png)), mime: 'image/png' },
      await fileItem('alphatrans.pdf'),
    ]);
    assert.deepEqual(
      result.errors.map((error) => error.code),
      ['PDF_UNREADABLE', 'PDF_UNREADABLE', 'PDF_UNREADABLE'],
    );
    assert.match(result.errors[0]!.message, /^Cannot read "garbage\.pdf" as a PDF: the bytes have no valid PDF structure/);
    assert.match(result.errors[1]!.message, /^Cannot read "damaged\.pdf" as a PDF/);
    assert.match(result.errors[2]!.message, /"photo\.png" as a PDF: it is image\/png/);
    assert.match(result.errors[2]!.hint, /ocr\.tesseract/);
    const pages = textsOf(result);
    assert.equal(pages.length, 1);
    assert.equal(pages[0]!.meta.source, 'alphatrans.pdf');
    assert.match(pages[0]!.text, /Gradient: \.5/);
  });

  it('reads a PDF given by path instead of bytes', async () => {
    const result = await parse([{ name: 'alphatrans.pdf', mime: 'application/pdf', path: pdfFixture('alphatrans.pdf'), meta: {} }]);
    assert.equal(textsOf(result)[0]?.meta.source, 'alphatrans.pdf');
  });

  it('stops between pages when the run is cancelled, with the run’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    const emitted: number[] = [];
    const item = await fileItem('tracemonkey.pdf');
    const context = {
      runId: 'test-run',
      nodeId: 'parse',
      nodeType: 'parse.pdf',
      config: parsePdf.config.parse({}),
      signal: controller.signal,
      logger: undefined as never,
      lane: 'file' as const,
      state: {},
      subscribedLanes: new Set(['text', 'image'] as const),
      async emit(_lane: string, payload: unknown) {
        emitted.push((payload as PageText).meta.page);
        if (emitted.length === 2) controller.abort(reason);
      },
      warn() {},
      setAttributes() {},
      llm(): never {
        throw new Error('parse.pdf binds no llm');
      },
      tools(): never {
        throw new Error('parse.pdf binds no tools');
      },
    };
    await assert.rejects(Promise.resolve(parsePdf.process(item, context)), (error) => error === reason);
    assert.deepEqual(emitted, [1, 2]);
  });
});

describe('parse.pdf config', () => {
  it('has defaults, a description on every field, and refuses bad page selections', () => {
    assert.deepEqual(parsePdf.config.parse({}), { renderScanned: true, minTextChars: 20, renderScale: 2.78, readingOrder: 'layout' });
    const schema = z.toJSONSchema(parsePdf.config, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const [name, property] of Object.entries(schema.properties)) assert.ok(property.description, `${name} has a description`);
    for (const pages of ['1-3,5,10-', [1, 4], '7']) assert.equal(parsePdf.config.safeParse({ pages }).success, true, JSON.stringify(pages));
    for (const pages of ['5-3', 'one', '0', [0], [], '1,,2']) assert.equal(parsePdf.config.safeParse({ pages }).success, false, JSON.stringify(pages));
    assert.equal(parsePdf.config.safeParse({ renderScale: 0 }).success, false);
    assert.equal(parsePdf.config.safeParse({ minTextChars: 0 }).success, false);
    for (const example of parsePdf.examples ?? []) assert.equal(parsePdf.config.safeParse(example.config).success, true, example.title);
  });

  it('selects existing pages in order without repeats and describes the missing ones', () => {
    assert.deepEqual(selectPages(undefined, 3), { pages: [1, 2, 3], missing: '' });
    assert.deepEqual(selectPages('3,1-2,2', 5), { pages: [1, 2, 3], missing: '' });
    assert.deepEqual(selectPages('4-', 5), { pages: [4, 5], missing: '' });
    assert.deepEqual(selectPages('4-9,12', 5), { pages: [4, 5], missing: '6-9, 12' });
    assert.deepEqual(selectPages('7-', 5), { pages: [], missing: '7-' });
    assert.deepEqual(selectPages([2, 6], 5), { pages: [2], missing: '6' });
    assert.deepEqual(selectPages('1-1000000000', 2), { pages: [1, 2], missing: '3-1000000000' });
    assert.equal(describePages([1, 2, 3, 5, 7, 8]), '1-3, 5, 7-8');
  });
});
