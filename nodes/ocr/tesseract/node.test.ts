import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { runNode, type ImageItem, type RunNodeResult } from '../../../src/node-kit/index.js';
import { modelStats, shutdownModels } from '../../../src/models/index.js';
import { characterErrorRate } from '../../../test/helpers/cer.js';
import sourceFile from '../../source/file/node.js';
import ocr from './node.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/ocr');

after(() => shutdownModels());

interface OcrMeta {
  source: string;
  page?: number;
  confidence: number;
  rotation: number;
  words: Array<{ text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }>;
}
type OcrText = { text: string; meta: OcrMeta };

/** What source.file emits for a fixture when downstream reads images: the real seam into OCR. */
async function imageFromFixture(name: string): Promise<ImageItem> {
  const source = await runNode(sourceFile, { inputs: [{ path: path.join(fixtures, name) }], subscribedLanes: ['image'] });
  assert.equal(source.emitted[0]?.lane, 'image');
  return source.emitted[0]!.item as ImageItem;
}

function texts(result: RunNodeResult): OcrText[] {
  assert.deepEqual(result.problems, [], 'every emitted item matches the text lane schema');
  return result.emitted.map(({ item }) => item as OcrText);
}

/** A synthetic page with the facts a downstream PII node cares about, rendered with sharp. */
async function renderPage(lines: string[], width = 900): Promise<Buffer> {
  const escaped = lines.map((line) => line.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${80 + lines.length * 50}">
    <rect width="100%" height="100%" fill="white"/>
    ${escaped.map((line, index) => `<text x="40" y="${70 + index * 50}" font-family="DejaVu Sans, sans-serif" font-size="30" fill="black">${line}</text>`).join('\n')}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('ocr.tesseract on real pages', () => {
  it('reads phototest.tif with CER ≤ 1% and per-word confidences and boxes', async (t) => {
    const expected = await readFile(path.join(fixtures, 'phototest.txt'), 'utf8');
    const started = performance.now();
    const result = await runNode(ocr, { items: [{ item: await imageFromFixture('phototest.tif') }] });
    const seconds = (performance.now() - started) / 1000;
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    const [page] = texts(result);
    const cer = characterErrorRate(page!.text, expected);
    t.diagnostic(`phototest.tif CER ${(cer * 100).toFixed(2)}% in ${seconds.toFixed(2)} s (worker start included), confidence ${page!.meta.confidence}`);
    assert.ok(cer <= 0.01, `CER ${cer} > 0.01`);

    assert.equal(page!.meta.source, 'phototest.tif');
    assert.equal(page!.meta.page, undefined, 'a one-page image has no page number');
    assert.ok(page!.meta.confidence > 80 && page!.meta.confidence <= 100);
    assert.ok(page!.meta.words.length >= 55, `${page!.meta.words.length} words`);
    for (const word of page!.meta.words) {
      assert.ok(word.text.length > 0);
      assert.ok(word.confidence >= 0 && word.confidence <= 100);
      assert.ok(word.bbox.x0 >= 0 && word.bbox.x0 < word.bbox.x1 && word.bbox.x1 <= 640, JSON.stringify(word));
      assert.ok(word.bbox.y0 >= 0 && word.bbox.y0 < word.bbox.y1 && word.bbox.y1 <= 480, JSON.stringify(word));
    }
    const first = page!.meta.words[0]!;
    assert.equal(first.text, 'This');
    assert.ok(first.bbox.x0 < 60 && first.bbox.y0 > 60 && first.bbox.y1 < 140, 'the first word sits top left of the text');

    assert.equal(result.attributes['ocr.words'], page!.meta.words.length);
    assert.equal(result.attributes['ocr.confidence'], page!.meta.confidence);
    assert.ok((result.attributes['model.workers'] as number) >= 1);
    assert.equal(typeof result.attributes['model.queueWaitMs'], 'number');
  });

  it('reads the two-column page 8071_093.3B.tif in column order with CER ≤ 12%, and single-block mode interleaves it', async (t) => {
    const expected = await readFile(path.join(fixtures, '8071_093.3B.txt'), 'utf8');
    const image = await imageFromFixture('8071_093.3B.tif');
    const started = performance.now();
    // Both runs share the pool, on two workers at once.
    const [auto, singleBlock] = await Promise.all([
      runNode(ocr, { items: [{ item: image }] }),
      runNode(ocr, { items: [{ item: image }], config: { pageSegmentation: 'single-block' } }),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const autoCer = characterErrorRate(texts(auto)[0]!.text, expected);
    const singleBlockCer = characterErrorRate(texts(singleBlock)[0]!.text, expected);
    t.diagnostic(`8071_093.3B.tif CER ${(autoCer * 100).toFixed(2)}% (auto, psm 3) vs ${(singleBlockCer * 100).toFixed(2)}% (single-block, psm 6); both in ${seconds.toFixed(2)} s`);
    assert.ok(autoCer <= 0.12, `CER ${autoCer} > 0.12`);
    assert.ok(singleBlockCer > autoCer + 0.2, 'page segmentation reaches tesseract per call');
  });

  it('keeps an e-mail address and a money amount intact', async () => {
    const png = await renderPage(['Invoice INV-2024-0815', 'Contact: jane.doe@example.com', 'Total due: $1,234.56']);
    const result = await runNode(ocr, { items: [{ item: { bytes: png, mime: 'image/png', meta: { source: 'invoice.png' } } }] });
    const [page] = texts(result);
    assert.match(page!.text, /jane\.doe@example\.com/);
    assert.match(page!.text, /\$1,234\.56/);
  });

  it('emits one text per page of a multi-page TIFF, numbered from 1', async () => {
    const first = await sharp(path.join(fixtures, 'phototest.tif')).png().toBuffer();
    const second = await renderPage(['The second page says hello.'], 640);
    const secondSized = await sharp(second).resize(640, 480, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
    const tiff = await sharp([first, secondSized], { join: { animated: true } }).tiff().toBuffer();
    const result = await runNode(ocr, { items: [{ item: { bytes: tiff, mime: 'image/tiff', meta: { source: 'two-pages.tif' } } }] });
    const pages = texts(result);
    assert.deepEqual(
      pages.map((page) => page.meta.page),
      [1, 2],
    );
    assert.match(pages[0]!.text, /quick brown dog/);
    assert.match(pages[1]!.text, /second page says hello/);
    assert.equal(result.attributes['ocr.pages'], 2);
  });

  it('keeps the page number an image already carries', async () => {
    const png = await renderPage(['Page seven of a scanned book.']);
    const result = await runNode(ocr, { items: [{ item: { bytes: png, mime: 'image/png', meta: { source: 'book.pdf', page: 7 } } }] });
    assert.equal(texts(result)[0]!.meta.page, 7);
    assert.equal(texts(result)[0]!.meta.source, 'book.pdf');
  });

  it('warns when a page is below minConfidence, and still emits its text', async () => {
    const result = await runNode(ocr, { items: [{ item: await imageFromFixture('phototest.tif') }], config: { minConfidence: 99.5 } });
    assert.equal(result.emitted.length, 1);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /OCR confidence \d+ in "phototest\.tif" is below minConfidence 99\.5/);
  });
});

describe('ocr.tesseract on broken input', () => {
  it('gives OCR_IMAGE_UNREADABLE for a truncated PNG, PDF bytes and text bytes, then reads the next image in the same run', async () => {
    const good = await renderPage(['Still working after bad input.']);
    const pdfBytes = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n');
    const items = [
      { bytes: good.subarray(0, Math.floor(good.length / 2)), mime: 'image/png', meta: { source: 'truncated.png' } },
      { bytes: pdfBytes, mime: 'application/pdf', meta: { source: 'scan.pdf' } },
      { bytes: pdfBytes, mime: 'image/png', meta: { source: 'pdf-named-png.png' } },
      { bytes: new TextEncoder().encode('just some text, not pixels'), mime: 'image/png', meta: { source: 'notes.png' } },
      { bytes: good, mime: 'image/png', meta: { source: 'good.png' } },
    ];
    const workersBefore = modelStats().reduce((sum, stats) => sum + (stats.created ?? 0), 0);
    const result = await runNode(ocr, { items: items.map((item) => ({ item })) });
    assert.deepEqual(
      result.errors.map((error) => error.code),
      ['OCR_IMAGE_UNREADABLE', 'OCR_IMAGE_UNREADABLE', 'OCR_IMAGE_UNREADABLE', 'OCR_IMAGE_UNREADABLE'],
    );
    const [truncated, pdf, pdfAsPng, text] = result.errors;
    assert.match(truncated!.message, /Cannot read image "truncated\.png" \(image\/png\) for OCR: the image data is truncated/);
    assert.match(truncated!.hint, /complete png, jpeg, tiff/);
    assert.match(pdf!.message, /"scan\.pdf" \(application\/pdf\).*not an image/);
    assert.match(pdf!.hint, /parse\.pdf/);
    assert.match(pdfAsPng!.message, /"pdf-named-png\.png" \(image\/png\).*not an image format/);
    assert.match(text!.message, /"notes\.png" \(image\/png\)/);
    assert.equal(result.emitted.length, 1);
    assert.match(texts(result)[0]!.text, /Still working after bad input/);
    assert.equal(modelStats().reduce((sum, stats) => sum + (stats.created ?? 0), 0) - workersBefore <= 1, true, 'bad input never cost a worker');
  });

  it('gives OCR_IMAGE_UNREADABLE with a downscale hint for an image over the pixel limit, before decoding it', async () => {
    // A PNG claiming 30,000 × 30,000 pixels (a decompression bomb's shape) with almost no pixel data.
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(30_000, 0);
    header.writeUInt32BE(30_000, 4);
    header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(1))), chunk('IEND', Buffer.alloc(0))]);
    const result = await runNode(ocr, { items: [{ item: { bytes: bomb, mime: 'image/png', meta: { source: 'bomb.png' } } }] });
    assert.deepEqual(result.errors.map((error) => error.code), ['OCR_IMAGE_UNREADABLE']);
    assert.match(result.errors[0]!.message, /"bomb\.png" \(image\/png\).*larger than the pixel limit/);
    assert.match(result.errors[0]!.hint, /Downscale the image .* or split it into pages/);
  });

  it('gives OCR_IMAGE_UNREADABLE for a truncated TIFF instead of reading half a page', async () => {
    const tiff = await readFile(path.join(fixtures, 'phototest.tif'));
    const result = await runNode(ocr, { items: [{ item: { bytes: tiff.subarray(0, 30_000), mime: 'image/tiff', meta: { source: 'cut.tif' } } }] });
    assert.deepEqual(result.errors.map((error) => error.code), ['OCR_IMAGE_UNREADABLE']);
    assert.match(result.errors[0]!.message, /"cut\.tif" \(image\/tiff\).*truncated/);
    assert.equal(result.emitted.length, 0);
  });

  it('rejects with the run’s abort reason while waiting for a worker', async () => {
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    controller.abort(reason);
    await assert.rejects(
      runNode(ocr, { items: [{ item: await imageFromFixture('phototest.tif') }], signal: controller.signal }),
      (error) => error === reason,
    );
  });

  it('gives OCR_LANGUAGE_UNAVAILABLE at open for missing language data, pointing at the config entry', async () => {
    // deu is a tesseract language whose data package this project does not install.
    await assert.rejects(runNode(ocr, { config: { languages: ['eng', 'deu'] } }), (error: { code: string; path: string; hint: string }) => {
      assert.equal(error.code, 'OCR_LANGUAGE_UNAVAILABLE');
      assert.equal(error.path, '/config/languages/1');
      assert.match(error.hint, /npm i @tesseract\.js-data\/deu/);
      return true;
    });
  });

  it('rejects config that is not a language code or a known layout', () => {
    assert.equal(ocr.config.safeParse({ languages: ['English'] }).success, false);
    // Only codes tesseract has data for: an install hint for a made-up package name is never given.
    const unknown = ocr.config.safeParse({ languages: ['eng', 'fre'] });
    assert.equal(unknown.success, false);
    assert.deepEqual(unknown.error?.issues[0]?.path, ['languages', 1]);
    assert.match(unknown.error?.issues[0]?.message ?? '', /"fre" is not a tesseract language code \(nearest: fra\b/);
    assert.equal(ocr.config.safeParse({ languages: ['klingon'] }).success, false);
    assert.equal(ocr.config.safeParse({ languages: ['chi_sim', 'deu', 'eng'] }).success, true);
    assert.equal(ocr.config.safeParse({ languages: [] }).success, false);
    assert.equal(ocr.config.safeParse({ pageSegmentation: 'columns' }).success, false);
    assert.equal(ocr.config.safeParse({ autoRotate: 'yes' }).success, false);
    assert.deepEqual(ocr.config.parse({}), { languages: ['eng'], pageSegmentation: 'auto', autoRotate: true, timeoutMs: 120_000 });
  });
});

describe('ocr.tesseract with several languages', () => {
  it('reads the European-languages page eurotext.tif with eng+fra at CER ≤ 3%', async (t) => {
    const expected = await readFile(path.join(fixtures, 'eurotext.txt'), 'utf8');
    const started = performance.now();
    const result = await runNode(ocr, { items: [{ item: await imageFromFixture('eurotext.tif') }], config: { languages: ['eng', 'fra'] } });
    const seconds = (performance.now() - started) / 1000;
    const [page] = texts(result);
    const cer = characterErrorRate(page!.text, expected);
    t.diagnostic(`eurotext.tif eng+fra CER ${(cer * 100).toFixed(2)}% in ${seconds.toFixed(2)} s (worker start included), confidence ${page!.meta.confidence}`);
    assert.ok(cer <= 0.03, `CER ${cer} > 0.03`);
    assert.match(page!.text, /«rapide»/, 'French guillemets come from the fra model');
    assert.equal(result.attributes['model.key'], 'tesseract:eng+fra:engine=lstm');
  });
});

describe('ocr.tesseract page orientation', () => {
  it('turns the sideways phototest-rotated-L.png upright: CER ≤ 2%, rotation 90 recorded on the text and the span', async (t) => {
    const expected = await readFile(path.join(fixtures, 'phototest.txt'), 'utf8');
    const started = performance.now();
    const result = await runNode(ocr, { items: [{ item: await imageFromFixture('phototest-rotated-L.png') }] });
    const seconds = (performance.now() - started) / 1000;
    const [page] = texts(result);
    const cer = characterErrorRate(page!.text, expected);
    const orientationConfidence = result.attributes['ocr.orientationConfidence'] as number;
    t.diagnostic(`phototest-rotated-L.png CER ${(cer * 100).toFixed(2)}%, turned ${page!.meta.rotation}° (OSD confidence ${orientationConfidence}) in ${seconds.toFixed(2)} s`);
    assert.ok(cer <= 0.02, `CER ${cer} > 0.02`);
    assert.equal(page!.meta.rotation, 90);
    assert.equal(result.attributes['ocr.rotation'], 90);
    assert.ok(orientationConfidence >= 2, `orientation confidence ${orientationConfidence}`);
    // Word boxes are on the upright page: 640 wide, 480 high (the file is 480 × 640).
    assert.ok(page!.meta.words.every((word) => word.bbox.x1 <= 640 && word.bbox.y1 <= 480));
    assert.ok(page!.meta.words.some((word) => word.bbox.x1 > 480), 'a word beyond the sideways width');
  });

  it('reads the sideways page as garbage with autoRotate off (CER > 50%), so the turn is what fixes it', async (t) => {
    const expected = await readFile(path.join(fixtures, 'phototest.txt'), 'utf8');
    const result = await runNode(ocr, { items: [{ item: await imageFromFixture('phototest-rotated-L.png') }], config: { autoRotate: false } });
    const [page] = texts(result);
    const cer = characterErrorRate(page!.text, expected);
    t.diagnostic(`phototest-rotated-L.png with autoRotate false: CER ${(cer * 100).toFixed(2)}%, confidence ${page!.meta.confidence}`);
    assert.ok(cer > 0.5, `CER ${cer} ≤ 0.5`);
    assert.equal(page!.meta.rotation, 0);
    assert.equal(result.attributes['ocr.orientationConfidence'], undefined, 'no orientation check');
  });

  it('leaves an upright page unturned and unchecked, at the cost of a plain reading', async (t) => {
    const image = await imageFromFixture('phototest.tif');
    await runNode(ocr, { items: [{ item: image }], config: { autoRotate: false } }); // a warm worker for both timings
    const timed = async (autoRotate: boolean) => {
      const started = performance.now();
      const result = await runNode(ocr, { items: [{ item: image }], config: { autoRotate } });
      return { result, ms: performance.now() - started };
    };
    const on = await timed(true);
    const off = await timed(false);
    t.diagnostic(`upright phototest.tif: ${on.ms.toFixed(0)} ms with autoRotate, ${off.ms.toFixed(0)} ms without`);
    assert.equal(texts(on.result)[0]!.meta.rotation, 0);
    assert.equal(on.result.attributes['ocr.rotation'], 0);
    assert.equal(on.result.attributes['ocr.orientationConfidence'], undefined, 'a confident first reading skips OSD');
    assert.equal(texts(on.result)[0]!.text, texts(off.result)[0]!.text);
  });

  it('turns only the sideways page of a multi-page TIFF and records the rotation per page', async () => {
    const square = (input: string) =>
      sharp(path.join(fixtures, input)).flatten({ background: '#ffffff' }).resize(640, 640, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
    const tiff = await sharp([await square('phototest.tif'), await square('phototest-rotated-L.png')], { join: { animated: true } }).tiff().toBuffer();
    const result = await runNode(ocr, { items: [{ item: { bytes: tiff, mime: 'image/tiff', meta: { source: 'mixed.tif' } } }] });
    const pages = texts(result);
    assert.deepEqual(
      pages.map((page) => [page.meta.page, page.meta.rotation]),
      [
        [1, 0],
        [2, 90],
      ],
    );
    for (const page of pages) assert.match(page.text, /quick brown dog/);
    assert.deepEqual(result.attributes['ocr.rotation'], [0, 90]);
    const [unchecked, checked] = result.attributes['ocr.orientationConfidence'] as Array<number | null>;
    assert.equal(unchecked, null);
    assert.ok(checked! >= 2);
  });
});
