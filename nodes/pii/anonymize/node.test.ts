import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type EntitiesItem, type TextItem } from '../../../src/node-kit/index.js';
import detect from '../detect/node.js';
import node from './node.js';

async function anonymize(text: string, config: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  const result = await runNode(node, { config, items: [{ item: { text, meta } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  const output = result.emitted.find((emitted) => emitted.lane === 'text')?.item as TextItem;
  const entities = result.emitted.find((emitted) => emitted.lane === 'entities')?.item as EntitiesItem;
  return { output, entities, attributes: result.attributes };
}

const sentence = 'Contact jane.doe@example.com or call (415) 555-0132.';

test('replace puts the entity type in angle brackets', async () => {
  const { output } = await anonymize(sentence);
  assert.equal(output.text, 'Contact <EMAIL_ADDRESS> or call <PHONE_NUMBER>.');
});

test('redact removes the values', async () => {
  const { output } = await anonymize(sentence, { operator: 'redact' });
  assert.equal(output.text, 'Contact  or call .');
});

test('mask covers all but the last 4 characters', async () => {
  const { output } = await anonymize(sentence, { operator: 'mask' });
  assert.equal(output.text, 'Contact ****************.com or call **********0132.');
});

test('mask honours maskCharacter and maskKeepLast, and never leaves more than half readable', async () => {
  assert.equal((await anonymize(sentence, { operator: 'mask', maskCharacter: '#', maskKeepLast: 0 })).output.text,
    'Contact #################### or call ##############.');
  assert.equal((await anonymize('src=::1 up', { operator: 'mask' })).output.text, 'src=**1 up');
});

test('hash labels each value with the first 16 hex digits of sha256(salt + value)', async () => {
  assert.equal((await anonymize(sentence, { operator: 'hash' })).output.text,
    'Contact <EMAIL_ADDRESS:86e0b9e56c17cc4d> or call <PHONE_NUMBER:460ba65f420dc41d>.');
  assert.equal((await anonymize(sentence, { operator: 'hash', hashSalt: 'pepper' })).output.text,
    'Contact <EMAIL_ADDRESS:fb30037b6d90f8ea> or call <PHONE_NUMBER:ba62e1f62e94b46d>.');
});

test('hashSalt may be a ${ENV} placeholder, resolved at run time when the engine has not; an unset one is named', async () => {
  process.env.PIPELANE_TEST_SALT = 'pepper';
  assert.equal((await anonymize(sentence, { operator: 'hash', hashSalt: '${PIPELANE_TEST_SALT}' })).output.text,
    'Contact <EMAIL_ADDRESS:fb30037b6d90f8ea> or call <PHONE_NUMBER:ba62e1f62e94b46d>.');
  delete process.env.PIPELANE_TEST_SALT;
  await assert.rejects(runNode(node, { config: { operator: 'hash', hashSalt: '${PIPELANE_TEST_SALT}' }, items: [] }), (error: unknown) => {
    assert.equal((error as { code?: string }).code, 'MISSING_ENV_VARIABLE');
    assert.equal((error as { path?: string }).path, '/config/hashSalt');
    assert.match((error as Error).message, /PIPELANE_TEST_SALT/);
    return true;
  });
});

test('entities lane carries the original text, original values and offsets; text lane keeps meta and adds piiCount', async () => {
  const { output, entities, attributes } = await anonymize(sentence, {}, { source: 'mail.txt', page: 2 });
  assert.deepEqual(output.meta, { source: 'mail.txt', page: 2, piiCount: 2 });
  assert.equal(entities.text, sentence);
  assert.deepEqual(entities.entities, [
    { type: 'EMAIL_ADDRESS', start: 8, end: 28, score: 1, text: 'jane.doe@example.com' },
    { type: 'PHONE_NUMBER', start: 37, end: 51, score: 1, text: '(415) 555-0132' }, // 0.7, + 0.35 for "call"
  ]);
  assert.deepEqual(attributes, { 'pii.count': 2, 'pii.types': { EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 } });
});

test('offsets stay exact next to emoji, flags, skin tones and combining marks', async () => {
  const text =
    '👋🏽 Hi! Mail zoe\u0308@example.com📧, call 🇬🇧+44 20 7123 4567🇬🇧, visit https://example.com/ok 👍🏾; ' +
    'cafe\u0301 card 4111 1111 1111 1111 ✔\uFE0F IP 👩‍👩‍👧192.168.0.1';
  const { output, entities } = await anonymize(text);
  const expected = [
    ['EMAIL_ADDRESS', 'zoe\u0308@example.com'],
    ['PHONE_NUMBER', '+44 20 7123 4567'],
    ['URL', 'https://example.com/ok'],
    ['CREDIT_CARD', '4111 1111 1111 1111'],
    ['IP_ADDRESS', '192.168.0.1'],
  ];
  assert.deepEqual(entities.entities.map((entity) => [entity.type, entity.text]), expected);
  for (const entity of entities.entities) {
    assert.equal(text.slice(entity.start, entity.end), entity.text);
    assert.equal(entity.start, text.indexOf(entity.text!));
  }
  assert.equal(
    output.text,
    '👋🏽 Hi! Mail <EMAIL_ADDRESS>📧, call 🇬🇧<PHONE_NUMBER>🇬🇧, visit <URL> 👍🏾; ' +
      'cafe\u0301 card <CREDIT_CARD> ✔\uFE0F IP 👩‍👩‍👧<IP_ADDRESS>',
  );
});

test('an invoice: name, e-mail, phone, card, date and IBAN are all replaced and no raw value is left', async () => {
  const invoice = [
    'INVOICE 2024-0117 — ACME Widgets GmbH',
    'Bill to: Jane Roe <billing@acme-corp.example.com>, tel. (415) 555-0132',
    'Paid with card 4012-8888-8888-1881 on 12 March 2024.',
    'Refunds go to IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX).',
    'Total due: EUR 1,250.00',
  ].join('\n');
  const { output, entities } = await anonymize(invoice);
  assert.deepEqual(entities.entities.map((entity) => entity.type), ['PERSON', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'DATE_TIME', 'IBAN_CODE']);
  for (const raw of ['Jane Roe', 'billing@acme-corp.example.com', '(415) 555-0132', '4012-8888-8888-1881', '12 March 2024', 'DE89 3704 0044 0532 0130 00']) {
    assert.ok(!output.text.includes(raw), `${raw} left in the output`);
  }
  for (const digits of ['4155550132', '4012888888881881', '370400440532013000']) {
    assert.ok(!output.text.replace(/\D/g, '').includes(digits), `digits ${digits} left in the output`);
  }
  assert.match(output.text, /<PERSON> <<EMAIL_ADDRESS>>.*<PHONE_NUMBER>\n.*<CREDIT_CARD> on <DATE_TIME>\.\n.*IBAN <IBAN_CODE> \(BIC/s);
  assert.ok(output.text.startsWith('INVOICE 2024-0117 — ACME Widgets GmbH'));
  assert.ok(output.text.endsWith('Total due: EUR 1,250.00'));
});

test('a scanned page whose OCR split the e-mail at the @ leaks no part of the address (bench page 57)', async () => {
  // pipelines/scan-to-redacted-chunks.pipe.json: the exact text ocr.tesseract gives for bench/pages.ts page 57
  const ocr = [
    'This is a lot of 12 point text to test the',
    'ocr code and see if it works on all types',
    'of file format.',
    '',
    'The quick brown dog jumped over the',
    'lazy fox. The quick brown dog jumped',
    'over the lazy fox. The quick brown dog',
    'jumped over the lazy fox. The quick',
    'brown dog jumped over the lazy fox.',
    '',
    'Ticket 1057 belongs to the squid.',
    'Mail squid.1057 @example.com today.',
  ].join('\n');
  const { output, entities } = await anonymize(ocr);
  assert.ok(output.text.endsWith('Ticket 1057 belongs to the squid.\nMail <EMAIL_ADDRESS> today.'), output.text);
  assert.ok(!/squid\.1057|example\.com|@/.test(output.text), output.text);
  assert.deepEqual(entities.entities.map((entity) => [entity.type, entity.text]), [['EMAIL_ADDRESS', 'squid.1057 @example.com']]);
});

test('overlaps keep one span: an IBAN is not also a card or phone, an e-mail domain not a URL, a URL not an IP', async () => {
  const { entities } = await anonymize(
    'IBAN GB29 NWBK 6016 1331 9268 19, mail info@presidio.site, admin at http://192.168.0.1/admin',
  );
  assert.deepEqual(entities.entities.map((entity) => [entity.type, entity.text]), [
    ['IBAN_CODE', 'GB29 NWBK 6016 1331 9268 19'],
    ['EMAIL_ADDRESS', 'info@presidio.site'],
    ['URL', 'http://192.168.0.1/admin'],
  ]);
});

test('entities limits detection to the listed types', async () => {
  const { output } = await anonymize(sentence, { entities: ['PHONE_NUMBER'] });
  assert.equal(output.text, 'Contact jane.doe@example.com or call <PHONE_NUMBER>.');
});

test('phoneRegions chooses which national formats are recognised (default: Presidio\'s eight regions)', async () => {
  const text = 'Appelle-moi au 06 12 34 56 78 ou au (415) 555-0132.';
  assert.equal((await anonymize(text)).output.text, 'Appelle-moi au <PHONE_NUMBER> ou au <PHONE_NUMBER>.');
  assert.equal((await anonymize(text, { phoneRegions: ['US'] })).output.text, 'Appelle-moi au 06 12 34 56 78 ou au <PHONE_NUMBER>.');
  assert.equal((await anonymize(text, { phoneRegions: ['fr'] })).output.text, 'Appelle-moi au <PHONE_NUMBER> ou au (415) 555-0132.');
});

test('operators overrides the operator per type', async () => {
  const { output } = await anonymize('Jane Roe paid with 4111 1111 1111 1111, mail jane@example.org.', {
    operators: { CREDIT_CARD: 'mask', EMAIL_ADDRESS: 'redact' },
  });
  assert.equal(output.text, '<PERSON> paid with ***************1111, mail .');
});

test('anonymize finds exactly what pii.detect finds (one shared analyzer)', async () => {
  const text = 'Dr. Jane Roe, 4111 1111 1111 1111, bank account 945456787654, NHS 943 476 5919, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.';
  const config = { minScore: 0.3, phoneRegions: ['GB'] };
  const detected = await runNode(detect, { config, items: [{ item: { text, meta: {} } }] });
  const detectedEntities = (detected.emitted[0]!.item as EntitiesItem).entities;
  assert.deepEqual(detectedEntities.map((entity) => entity.type), ['PERSON', 'CREDIT_CARD', 'US_BANK_NUMBER', 'ORGANIZATION', 'UK_NHS', 'CRYPTO']);
  assert.deepEqual((await anonymize(text, config)).entities.entities, detectedEntities);
});

test('text without PII passes through unchanged with piiCount 0', async () => {
  const { output, entities, attributes } = await anonymize('Version 1.2.3 shipped at 12:34:56, see README.md.', {}, { source: 'x' });
  assert.equal(output.text, 'Version 1.2.3 shipped at 12:34:56, see README.md.');
  assert.deepEqual(output.meta, { source: 'x', piiCount: 0 });
  assert.deepEqual(entities.entities, []);
  assert.deepEqual(attributes, { 'pii.count': 0, 'pii.types': {} });
});

test('bad config names the field', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ phoneRegions: ['XX'] }, 'phoneRegions'],
    [{ maskCharacter: '**' }, 'maskCharacter'],
    [{ minScore: 2 }, 'minScore'],
    [{ operator: 'scramble' }, 'operator'],
    [{ operators: { CREDIT_CARD: 'shred' } }, 'operators'],
    [{ operators: { CARD: 'mask' } }, 'operators'],
    [{ entities: ['SSN'] }, 'entities'],
    [{ keyEnv: 'my key' }, 'keyEnv'],
  ];
  for (const [config, field] of cases) {
    const parsed = node.config.safeParse(config);
    assert.equal(parsed.success, false, JSON.stringify(config));
    assert.equal(parsed.error?.issues[0]?.path[0], field, JSON.stringify(config));
  }
  assert.equal(node.config.parse({ maskCharacter: '🇬🇧' }).maskCharacter, '🇬🇧');
});

test('separators a reader does not see hide nothing: no-break and thin spaces, zero-width characters, soft hyphens, full-width digits', async () => {
  const nbsp = '\u00a0';
  const text =
    `card 4111${nbsp}1111${nbsp}1111${nbsp}1111 iban DE89${nbsp}3704${nbsp}0044${nbsp}0532${nbsp}0130${nbsp}00 ` +
    'mail ann\u200b@example.com, a\u00adnn@example.org, ４１１１ １１１１ １１１１ １１１１, 4111\u200b1111\u200b1111\u200b1111, 4111\u20091111\u20091111\u20091111 \u202eend';
  const { output, entities } = await anonymize(text);
  assert.equal(
    output.text,
    'card <CREDIT_CARD> iban <IBAN_CODE> mail <EMAIL_ADDRESS>, <EMAIL_ADDRESS>, <CREDIT_CARD>, <CREDIT_CARD>, <CREDIT_CARD> \u202eend',
  );
  // Spans are on the original text, invisible characters inside them included.
  for (const entity of entities.entities) assert.equal(entity.text, text.slice(entity.start, entity.end));
  assert.equal(entities.entities.find((entity) => entity.type === 'EMAIL_ADDRESS')?.text, 'ann\u200b@example.com');
});
