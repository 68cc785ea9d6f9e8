import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { languageDirectory, modelStats, orientationPool, resolveLanguageData, shutdownModels, tesseractPool } from '../../../src/models/index.js';
import { characterErrorRate } from '../../helpers/cer.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/ocr');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'pipelane-tesseract-test-'));

after(async () => {
  await shutdownModels();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fake `@tesseract.js-data/<code>` package whose data is English, so two "languages" exist offline. */
function fakeDataPackage(code: string): string {
  const folder = path.join(scratch, 'node_modules', '@tesseract.js-data', code);
  mkdirSync(path.join(folder, '4.0.0_best_int'), { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: `@tesseract.js-data/${code}`, version: '0.0.0' }));
  symlinkSync(resolveLanguageData('eng'), path.join(folder, '4.0.0_best_int', `${code}.traineddata.gz`));
  return path.join(folder, 'package.json');
}

describe('tesseract language data', () => {
  it('finds the LSTM-only eng data in @tesseract.js-data/eng', () => {
    const file = resolveLanguageData('eng');
    assert.match(file, /@tesseract\.js-data[\\/]eng[\\/]4\.0\.0_best_int[\\/]eng\.traineddata\.gz$/);
    assert.ok(existsSync(file));
  });

  it('names the package to install for a missing language', () => {
    assert.throws(() => resolveLanguageData('zzz'), (error: { code: string; message: string; hint: string; details: unknown }) => {
      assert.equal(error.code, 'OCR_LANGUAGE_UNAVAILABLE');
      assert.match(error.message, /"zzz" is not installed/);
      assert.equal(error.hint, 'Install the language data: npm i @tesseract.js-data/zzz');
      assert.deepEqual(error.details, { language: 'zzz' });
      return true;
    });
  });

  it('refuses something that is not a language code before looking for it', () => {
    assert.throws(() => resolveLanguageData('../eng'), { code: 'OCR_LANGUAGE_UNAVAILABLE', message: /not a tesseract language code/ });
  });

  it('uses the package folder for one language and a temp folder of links for several', () => {
    const eng = resolveLanguageData('eng');
    const single = languageDirectory([eng]);
    assert.equal(single.directory, path.dirname(eng));
    single.dispose();
    assert.ok(existsSync(eng), 'disposing a package folder leaves it alone');

    const xeng = path.join(path.dirname(fakeDataPackage('xeng')), '4.0.0_best_int', 'xeng.traineddata.gz');
    const several = languageDirectory([eng, xeng]);
    assert.notEqual(several.directory, path.dirname(eng));
    assert.deepEqual(readdirSync(several.directory).sort(), ['eng.traineddata.gz', 'xeng.traineddata.gz']);
    assert.ok(lstatSync(path.join(several.directory, 'eng.traineddata.gz')).isSymbolicLink());
    several.dispose();
    assert.equal(existsSync(several.directory), false);
  });
});

describe('tesseract pool', () => {
  it('recognises with two languages loaded from one linked folder (eng + a second, fake package)', async () => {
    const packageJson = fakeDataPackage('yeng');
    const resolveFromHere = createRequire(import.meta.url).resolve;
    const resolvePackage = (specifier: string) => (specifier === '@tesseract.js-data/yeng/package.json' ? packageJson : resolveFromHere(specifier));
    const reference = tesseractPool(['eng', 'yeng'], { resolvePackage, max: 1 });
    const png = await sharp(path.join(fixtures, 'phototest.tif')).png().toBuffer();
    const result = await reference.pool.use((worker) => worker.recognize(png, '3'));
    const expected = 'This is a lot of 12 point text to test the ocr code and see if it works on all types of file format.';
    assert.ok(characterErrorRate(result.text.slice(0, expected.length + 5), expected) < 0.05, result.text);
    assert.match(reference.key, /^tesseract:eng\+yeng:data=.*,engine=lstm$/);
    reference.release();
    await reference.pool.close();
  });

  it('shares one pool between references to the same languages', () => {
    const first = tesseractPool(['eng']);
    const second = tesseractPool(['eng']);
    assert.equal(first.pool, second.pool);
    assert.equal(modelStats().find((stats) => stats.key === 'tesseract:eng:engine=lstm')?.references, 2);
    first.release();
    second.release();
  });
});

describe('tesseract orientation detection', () => {
  it('says which clockwise turn makes a page upright: 90 for a page turned left, 180 upside down, 0 upright', async (t) => {
    const reference = orientationPool({ max: 1 });
    assert.equal(reference.key, 'tesseract:osd:engine=legacy');
    const upright = await sharp(path.join(fixtures, 'phototest.tif')).png().toBuffer();
    const pages = {
      upright,
      left: await sharp(path.join(fixtures, 'phototest-rotated-L.png')).png().toBuffer(),
      upsideDown: await sharp(upright).rotate(180).png().toBuffer(),
    };
    await reference.pool.use((worker) => worker.detectOrientation(upright)); // worker start and warm-up
    const results: Record<string, unknown> = {};
    for (const [name, png] of Object.entries(pages)) {
      const started = performance.now();
      const orientation = await reference.pool.use((worker) => worker.detectOrientation(png));
      t.diagnostic(`${name}: ${JSON.stringify(orientation)} in ${(performance.now() - started).toFixed(0)} ms`);
      assert.ok(orientation !== undefined && orientation.confidence >= 2, `${name}: ${JSON.stringify(orientation)}`);
      assert.equal(orientation.script, 'Latin');
      results[name] = orientation.degrees;
    }
    assert.deepEqual(results, { upright: 0, left: 90, upsideDown: 180 });
    reference.release();
  });

  it('gives no orientation for a blank page', async () => {
    const reference = orientationPool({ max: 1 });
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } }).png().toBuffer();
    assert.equal(await reference.pool.use((worker) => worker.detectOrientation(blank)), undefined);
    reference.release();
  });

  it('names the package to install when the osd data is missing', () => {
    const resolvePackage = (specifier: string): string => {
      throw new Error(`Cannot find module '${specifier}'`);
    };
    assert.throws(() => orientationPool({ resolvePackage }), (error: { code: string; hint: string; details: unknown }) => {
      assert.equal(error.code, 'OCR_LANGUAGE_UNAVAILABLE');
      assert.equal(error.hint, 'Install the language data: npm i @tesseract.js-data/osd');
      assert.deepEqual(error.details, { language: 'osd' });
      return true;
    });
  });
});
