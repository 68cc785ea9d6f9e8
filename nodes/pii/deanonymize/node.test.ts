import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type EntitiesItem, type TextItem } from '../../../src/node-kit/index.js';
import anonymizeNode from '../anonymize/node.js';
import { decryptToken, encryptValue, findTokens } from '../shared/encryption.js';
import node from './node.js';

const keyEnv = 'PIPELANE_TEST_PII_KEY';
const key = randomBytes(32);
process.env[keyEnv] = key.toString('base64');

async function anonymize(text: string, config: Record<string, unknown> = {}) {
  const result = await runNode(anonymizeNode, { config: { operator: 'encrypt', keyEnv, ...config }, items: [{ item: { text, meta: {} } }] });
  assert.deepEqual(result.errors, []);
  return {
    text: (result.emitted.find((emitted) => emitted.lane === 'text')!.item as TextItem).text,
    entities: (result.emitted.find((emitted) => emitted.lane === 'entities')!.item as EntitiesItem).entities,
  };
}

async function deanonymize(item: { text: string; entities?: unknown[] }, config: Record<string, unknown> = { keyEnv }) {
  const lane = item.entities === undefined ? 'text' : 'entities';
  const result = await runNode(node, { config, items: [{ lane, item: { ...item, meta: { source: 'answer.txt' } } }] });
  assert.deepEqual(result.problems, []);
  return { text: (result.emitted[0]?.item as TextItem | undefined)?.text, errors: result.errors, attributes: result.attributes };
}

const original =
  '👋🏽 Zoë Müller-Lüdenscheidt wrote from Berlin on 3 March 2024:\r\n' +
  'Mail zoe\u0308@example.com📧, call 🇬🇧+44 20 7123 4567🇬🇧,\r\n' +
  'card 4111 1111 1111 1111 ✔\uFE0F, IBAN GB29 NWBK 6016 1331 9268 19, cafe\u0301 IP 👩‍👩‍👧192.168.0.1\r\n';

test('anonymize with encrypt, then deanonymize: the original text byte for byte (emoji, combining marks, CRLF)', async () => {
  const anonymized = await anonymize(original);
  const types = anonymized.entities.map((entity) => entity.type);
  assert.deepEqual(types, ['PERSON', 'LOCATION', 'DATE_TIME', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'IP_ADDRESS']);
  for (const entity of anonymized.entities) assert.ok(!anonymized.text.includes(entity.text!), `${entity.text} left in the output`);
  assert.deepEqual(findTokens(anonymized.text).map((token) => token.type), types);
  assert.ok(anonymized.text.includes('\r\n') && anonymized.text.startsWith('👋🏽 <PERSON:'));

  const restored = await deanonymize({ text: anonymized.text });
  assert.deepEqual(restored.errors, []);
  assert.equal(restored.text, original);
  assert.deepEqual(Buffer.from(restored.text!, 'utf8'), Buffer.from(original, 'utf8'));
  assert.deepEqual(restored.attributes, { 'pii.restored': 8 });
});

test('the same value encrypts to a different token each time, and both decrypt', async () => {
  const first = encryptValue('PERSON', 'Jane Roe', key);
  const second = encryptValue('PERSON', 'Jane Roe', key);
  assert.notEqual(first, second);
  assert.match(first, /^<PERSON:[A-Za-z0-9_-]{39,}>$/);
  assert.equal((await deanonymize({ text: `${first} and ${second}` })).text, 'Jane Roe and Jane Roe');
});

test('a value with a lone surrogate (no UTF-8 form) still comes back exactly', () => {
  const value = 'ab\uD83Dcd\uDE00';
  const [token] = findTokens(encryptValue('PERSON', value, key));
  assert.equal(decryptToken(token!, key), value);
});

test('only encrypted tokens are restored: replace and hash tokens stay as they are', async () => {
  const anonymized = await anonymize('Jane Roe, jane@example.org, 4111 1111 1111 1111', { operators: { EMAIL_ADDRESS: 'hash', CREDIT_CARD: 'replace' } });
  assert.match(anonymized.text, /^<PERSON:[A-Za-z0-9_-]{39,}>, <EMAIL_ADDRESS:[0-9a-f]{16}>, <CREDIT_CARD>$/);
  assert.match((await deanonymize({ text: anonymized.text })).text!, /^Jane Roe, <EMAIL_ADDRESS:[0-9a-f]{16}>, <CREDIT_CARD>$/);
});

test('on the entities lane only the listed spans of the anonymized text are restored', async () => {
  const anonymized = await anonymize('Jane Roe met John Smith.');
  const tokens = findTokens(anonymized.text);
  assert.equal(tokens.length, 2);
  const second = tokens[1]!;
  const restored = await deanonymize({ text: anonymized.text, entities: [{ type: 'PERSON', start: second.start, end: second.end, score: 1 }] });
  assert.equal(restored.text, `${anonymized.text.slice(0, tokens[0]!.end)} met John Smith.`);
});

test('an entity span that is not a token fails with PII_TOKEN_NOT_FOUND naming the entity', async () => {
  const anonymized = await anonymize('Jane Roe met John Smith.');
  const { errors } = await deanonymize({ text: anonymized.text, entities: [{ type: 'LOCATION', start: 0, end: 4, score: 1 }] });
  assert.deepEqual(errors.map((error) => [error.code, error.path]), [['PII_TOKEN_NOT_FOUND', '/entities/0']]);
  assert.match(errors[0]!.message, /Entity 0 \(LOCATION, 0-4\)/);
});

test('a wrong key, an altered token or a relabelled token fails with PII_DECRYPT_FAILED, naming the variable only', async () => {
  const token = encryptValue('EMAIL_ADDRESS', 'jane@example.org', key);
  const otherKey = randomBytes(32).toString('hex');
  process.env.PIPELANE_TEST_OTHER_KEY = otherKey;
  const payload = token.slice('<EMAIL_ADDRESS:'.length, -1);
  const flipped = payload.slice(0, 20) + (payload[20] === 'A' ? 'B' : 'A') + payload.slice(21);
  const attempts: Array<[string, Record<string, unknown>]> = [
    [`mail ${token}`, { keyEnv: 'PIPELANE_TEST_OTHER_KEY' }],
    [`mail <EMAIL_ADDRESS:${flipped}>`, { keyEnv }],
    [`mail <PERSON:${payload}>`, { keyEnv }],
  ];
  for (const [text, config] of attempts) {
    const { errors, text: output } = await deanonymize({ text }, config);
    assert.equal(output, undefined);
    assert.deepEqual(errors.map((error) => error.code), ['PII_DECRYPT_FAILED']);
    assert.match(errors[0]!.message, /^Token <(EMAIL_ADDRESS|PERSON):\S{8}…> at offset 5 cannot be decrypted with the key in (PIPELANE_TEST_PII_KEY|PIPELANE_TEST_OTHER_KEY)\.$/);
    assert.ok(!errors[0]!.message.includes(otherKey) && !errors[0]!.message.includes(key.toString('base64')));
  }
});

test('a missing or malformed key fails at open, naming the variable and never its value', async () => {
  delete process.env.PIPELANE_TEST_MISSING_KEY;
  await assert.rejects(runNode(node, { config: { keyEnv: 'PIPELANE_TEST_MISSING_KEY' }, items: [] }), (error: unknown) => {
    assert.equal((error as { code?: string }).code, 'MISSING_ENV_VARIABLE');
    assert.equal((error as { path?: string }).path, '/config/keyEnv');
    assert.match((error as Error).message, /PIPELANE_TEST_MISSING_KEY/);
    return true;
  });
  process.env.PIPELANE_TEST_SHORT_KEY = 'hunter2-is-not-a-key';
  for (const definition of [node, anonymizeNode]) {
    await assert.rejects(runNode(definition, { config: { keyEnv: 'PIPELANE_TEST_SHORT_KEY', operator: 'encrypt' }, items: [] }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'PII_KEY_INVALID');
      assert.match((error as Error).message, /PIPELANE_TEST_SHORT_KEY/);
      assert.ok(!JSON.stringify(error).includes('hunter2') && !(error as Error).message.includes('hunter2'));
      return true;
    });
  }
});

test('pii.anonymize reads the key only when some type is encrypted', async () => {
  const result = await runNode(anonymizeNode, { config: { keyEnv: 'PIPELANE_TEST_MISSING_KEY' }, items: [{ item: { text: 'Jane Roe', meta: {} } }] });
  assert.deepEqual(result.errors, []);
  await assert.rejects(runNode(anonymizeNode, { config: { keyEnv: 'PIPELANE_TEST_MISSING_KEY', operators: { PERSON: 'encrypt' } }, items: [] }), /PIPELANE_TEST_MISSING_KEY/);
});
