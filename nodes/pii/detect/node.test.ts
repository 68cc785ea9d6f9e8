import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type EntitiesItem } from '../../../src/node-kit/index.js';
import node from './node.js';

async function detect(text: string, config: Record<string, unknown> = {}) {
  const result = await runNode(node, { config, items: [{ item: { text, meta: { source: 'note.txt' } } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  const item = result.emitted.find((emitted) => emitted.lane === 'entities')?.item as EntitiesItem;
  return { item, entities: item.entities, attributes: result.attributes };
}

const pairs = (entities: EntitiesItem['entities']) => entities.map((entity) => [entity.type, entity.text]);

test('emits the text unchanged with every entity, its offsets, score and value; meta gains piiCount', async () => {
  const text = 'Dr. Jane Roe (jane@example.org, +44 20 7123 4567) lives in London since 2019.';
  const { item, attributes } = await detect(text);
  assert.equal(item.text, text);
  assert.deepEqual(item.meta, { source: 'note.txt', piiCount: 5 });
  assert.deepEqual(pairs(item.entities), [
    ['PERSON', 'Jane Roe'],
    ['EMAIL_ADDRESS', 'jane@example.org'],
    ['PHONE_NUMBER', '+44 20 7123 4567'],
    ['LOCATION', 'London'],
    ['DATE_TIME', '2019'],
  ]);
  for (const entity of item.entities) assert.equal(text.slice(entity.start, entity.end), entity.text);
  assert.deepEqual(attributes['pii.types'], { PERSON: 1, EMAIL_ADDRESS: 1, PHONE_NUMBER: 1, LOCATION: 1, DATE_TIME: 1 });
});

test('a context word lifts a weak bank number over minScore; contextWords adds words per type', async () => {
  assert.deepEqual(pairs((await detect('Reference 945456787654')).entities), []);
  const { entities } = await detect('Please wire it to bank account 945456787654 today.');
  assert.deepEqual(pairs(entities), [['US_BANK_NUMBER', '945456787654']]);
  assert.equal(entities[0]!.score, 0.4);
  const german = 'Kontonummer: 945456787654';
  assert.deepEqual(pairs((await detect(german)).entities), []);
  assert.deepEqual(pairs((await detect(german, { contextWords: { US_BANK_NUMBER: ['Kontonummer'] } })).entities), [['US_BANK_NUMBER', '945456787654']]);
});

test('context words lift passport and driver licence shapes, and pick the reading the words name', async () => {
  assert.deepEqual(pairs((await detect('ref 912803456')).entities), []);
  assert.deepEqual(pairs((await detect('passport no. 912803456')).entities), [['US_PASSPORT', '912803456']]);
  assert.deepEqual(pairs((await detect('driver licence 912803456')).entities), [['US_DRIVER_LICENSE', '912803456']]);
  assert.deepEqual(pairs((await detect('SSN 912803456, ssn 536-22-1234')).entities), [['US_SSN', '536-22-1234']]); // area 9xx is never issued
});

test('minScore drops weaker detections', async () => {
  const text = 'Card 4111 1111 1111 1111, see example.com';
  assert.deepEqual(pairs((await detect(text)).entities), [['CREDIT_CARD', '4111 1111 1111 1111'], ['URL', 'example.com']]);
  assert.deepEqual(pairs((await detect(text, { minScore: 0.8 })).entities), [['CREDIT_CARD', '4111 1111 1111 1111']]);
});

test('phoneRegions: national numbers of every listed region (default: Presidio\'s eight), + numbers of all', async () => {
  const text = 'Paris 06 12 34 56 78, Mumbai 098765 43210, Tokyo 090-1234-5678, Lisbon +351 912 345 678';
  assert.deepEqual(pairs((await detect(text, { entities: ['PHONE_NUMBER'] })).entities).map(([, value]) => value), [
    '06 12 34 56 78',
    '098765 43210',
    '+351 912 345 678',
  ]);
  const onlyJapan = await detect(text, { entities: ['PHONE_NUMBER'], phoneRegions: ['jp'] });
  assert.deepEqual(pairs(onlyJapan.entities).map(([, value]) => value), ['090-1234-5678', '+351 912 345 678']);
});

test('a digit run that is a phone number only with a trunk prefix the text lacks is not one (dates, ids)', async () => {
  const { entities } = await detect('Due 21.5.2021, order 191280342, call 030 1234567', { entities: ['PHONE_NUMBER'] });
  assert.deepEqual(pairs(entities), [['PHONE_NUMBER', '030 1234567']]);
});

test('crypto: base58check, bech32/bech32m and EIP-55 checksums decide', async () => {
  const valid = [
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  ];
  const invalid = [
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp',
    'bc1qAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
  ];
  const { entities } = await detect([...valid, ...invalid].join(' and '), { entities: ['CRYPTO'] });
  assert.deepEqual(entities.map((entity) => entity.text), valid);
  assert.deepEqual(entities.map((entity) => entity.score), [1, 1, 1, 1, 0.6]);
});

test('UK NHS (mod-11) and DEA numbers (check digit) need their check digit', async () => {
  const { entities } = await detect('NHS 943 476 5919 / 943 476 5918; DEA AB1234563 / AB1234564', { entities: ['UK_NHS', 'MEDICAL_LICENSE'] });
  assert.deepEqual(pairs(entities), [['UK_NHS', '943 476 5919'], ['MEDICAL_LICENSE', 'AB1234563']]);
});

test('e-mail with an OCR slip at the @ (a stray space, @ read as ©) is still an address, scored 0.6; look-alikes are not', async () => {
  // tesseract's reading of bench/pages.ts page 57 (phototest.tif + "Mail squid.1057@example.com today."): two words
  const ocr = 'Ticket 1057 belongs to the squid.\nMail squid.1057 @example.com today.';
  const { entities } = await detect(ocr, { entities: ['EMAIL_ADDRESS', 'URL'] });
  assert.deepEqual(pairs(entities), [['EMAIL_ADDRESS', 'squid.1057 @example.com']]);
  assert.equal(entities[0]!.score, 0.6);
  for (const slipped of ['squid.1057@ example.com', 'squid.1057 @ example.com', 'squid.1057©example.com', 'squid.1057 @example.corn']) {
    assert.deepEqual(pairs((await detect(`Mail ${slipped} today.`, { entities: ['EMAIL_ADDRESS'] })).entities), [['EMAIL_ADDRESS', slipped]]);
  }
  assert.deepEqual(pairs((await detect(ocr, { entities: ['EMAIL_ADDRESS'], minScore: 0.8 })).entities), []);
  // a copyright sign between spaces, matrix products in code, a line break before the @, a made-up top-level domain
  for (const text of ['Copyright © example.com 2024', 'y = x @ self.weights', 'squid.1057\n@example.com', 'squid.1057 @example.weights']) {
    assert.deepEqual(pairs((await detect(text, { entities: ['EMAIL_ADDRESS'] })).entities), [], text);
  }
});

test('dates: numeric in either order, ISO date-times, month names; not times, versions or "May I"', async () => {
  const text = 'Born 1/5/1922, signed 2024-03-15T14:30:00Z, due 3 March 2024 or March 12, 2024, paid in May. ' +
    'May I ask? Version 1.2.3 at 12:34:56, 31/31/2020.';
  const { entities } = await detect(text, { entities: ['DATE_TIME'] });
  assert.deepEqual(entities.map((entity) => entity.text), ['1/5/1922', '2024-03-15T14:30:00Z', '3 March 2024', 'March 12, 2024', 'May']);
});

test('names: honorifics and possessives stay outside the span; places and organisations too', async () => {
  const { entities } = await detect("Mr. Mayers met Kate's sister in Berlin at Microsoft.", { entities: ['PERSON', 'LOCATION', 'ORGANIZATION'] });
  assert.deepEqual(pairs(entities), [['PERSON', 'Mayers'], ['PERSON', 'Kate'], ['LOCATION', 'Berlin'], ['ORGANIZATION', 'Microsoft']]);
});

test('names: lower-case words, code and bare acronyms are not names', async () => {
  const text = 'Run `npm run gen`, then OCR and PII through MCP; see usage: node N] [--status.';
  assert.deepEqual(pairs((await detect(text, { entities: ['PERSON', 'LOCATION', 'ORGANIZATION', 'NRP'] })).entities), []);
});

test('nerModelPath: a missing folder fails at open with PII_MODEL_UNAVAILABLE on /config/nerModelPath', async () => {
  await assert.rejects(runNode(node, { config: { nerModelPath: '/nonexistent/bert-ner' }, items: [] }), (error: unknown) => {
    assert.equal((error as { code?: string }).code, 'PII_MODEL_UNAVAILABLE');
    assert.equal((error as { path?: string }).path, '/config/nerModelPath');
    assert.match((error as Error).message, /\/nonexistent\/bert-ner" does not exist/);
    return true;
  });
});

test('nerModelPath: a model without a token-classification head, or without ONNX weights, is refused before loading', async () => {
  const fixture = (name: string) => new URL(`../../../test/fixtures/pii/models/${name}/`, import.meta.url).pathname;
  const expectations: Array<[string, RegExp]> = [
    ['embedding-model', /is not a token-classification model \(config\.json architectures: BertModel; labels: none\)/],
    ['ner-without-weights', /has no onnx\/model\.onnx or onnx\/model_quantized\.onnx/],
  ];
  for (const [name, message] of expectations) {
    await assert.rejects(runNode(node, { config: { nerModelPath: fixture(name) }, items: [] }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'PII_MODEL_UNAVAILABLE');
      assert.match((error as Error).message, message);
      return true;
    });
  }
});

test('nerModelPath: a folder that passes the check but does not load fails the item with PII_MODEL_UNAVAILABLE', async () => {
  const folder = new URL('../../../test/fixtures/pii/models/ner-broken-weights/', import.meta.url).pathname;
  const result = await runNode(node, { config: { nerModelPath: folder }, items: [{ item: { text: 'Jane Roe lives in Paris.', meta: {} } }] });
  assert.equal(result.emitted.length, 0);
  assert.deepEqual(result.errors.map((error) => [error.code, error.path]), [['PII_MODEL_UNAVAILABLE', '/config/nerModelPath']]);
  assert.match(result.errors[0]!.message, /could not be loaded/);
});

test('nerModelPath is not opened when no name type is wanted', async () => {
  const { entities } = await detect('mail a@b.io', { entities: ['EMAIL_ADDRESS'], nerModelPath: '/nonexistent/bert-ner' });
  assert.deepEqual(pairs(entities), [['EMAIL_ADDRESS', 'a@b.io']]);
});

test('bad config names the field', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ phoneRegions: ['XX'] }, 'phoneRegions'],
    [{ phoneRegions: [] }, 'phoneRegions'],
    [{ minScore: 2 }, 'minScore'],
    [{ entities: ['SSN'] }, 'entities'],
    [{ contextWords: { BANK: ['konto'] } }, 'contextWords'],
    [{ nerModelPath: '' }, 'nerModelPath'],
  ];
  for (const [config, field] of cases) {
    const parsed = node.config.safeParse(config);
    assert.equal(parsed.success, false, JSON.stringify(config));
    assert.equal(parsed.error?.issues[0]?.path[0], field, JSON.stringify(config));
  }
});
