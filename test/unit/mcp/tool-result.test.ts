import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { inBand } from '../../../src/mcp/tool-result.js';
import { PipelaneError } from '../../../src/node-kit/index.js';

const logger = pino({ level: 'silent' });

test('inBand turns a typed error into isError with code, message, hint, path and problems', async () => {
  const handler = inBand('demo', logger, () => {
    throw new PipelaneError('DEMO_BROKEN', 'It broke.', { hint: 'Fix it.', path: '/x', details: { problems: [{ code: 'P' }] } });
  });
  const result = await handler({}, { signal: new AbortController().signal });
  assert.equal(result.isError, true);
  assert.deepEqual(result.structuredContent, { code: 'DEMO_BROKEN', message: 'It broke.', hint: 'Fix it.', path: '/x', problems: [{ code: 'P' }] });
});

test('inBand turns an unexpected exception into INTERNAL_ERROR instead of a protocol error', async () => {
  const handler = inBand('demo', logger, () => {
    throw new TypeError('undefined is not a function');
  });
  const result = await handler({}, { signal: new AbortController().signal });
  assert.equal(result.isError, true);
  assert.equal((result.structuredContent as { code: string }).code, 'INTERNAL_ERROR');
});

test('inBand re-throws an abort of a cancelled request', async () => {
  const controller = new AbortController();
  controller.abort();
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  const handler = inBand('demo', logger, () => {
    throw abort;
  });
  await assert.rejects(handler({}, { signal: controller.signal }), (error) => error === abort);
});
