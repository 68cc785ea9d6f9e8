import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isPipelaneError, runNode, type Document, type QuestionItem } from '../../../src/node-kit/index.js';
import { doubleTokens, doubleVector, startEmbeddingsServer, type EmbeddingsServer } from '../../../test/doubles/openai-embeddings-server.js';
import node from './node.js';

const keyVariable = 'PIPELANE_TEST_EMBED_KEY';
const key = 'sk-test-0123456789abcdef';
let server: EmbeddingsServer;

before(async () => {
  server = await startEmbeddingsServer({ apiKey: key, echoKeyIn401: true });
  process.env[keyVariable] = key;
});
after(async () => {
  delete process.env[keyVariable];
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.forceDimensions = undefined;
});

const documentsOf = (count: number): Document[] =>
  Array.from({ length: count }, (_, index) => ({ id: `chunk-${index}`, text: `chunk number ${index} of the report`, metadata: { source: 'report.pdf', offset: index * 40 } }));
const question: QuestionItem = { text: 'what does the report say?', meta: { source: 'cli' } };

const baseConfig = () => ({ baseURL: server.baseURL, apiKeyEnv: keyVariable, model: 'text-embedding-3-small' });

async function embed(config: Record<string, unknown>, items: Array<{ lane: 'documents' | 'question'; item: unknown }>) {
  return runNode(node, { config: { ...baseConfig(), ...config }, items });
}

const close = (actual: number[], expected: number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, index) => assert.ok(Math.abs(value - expected[index]!) < 1e-6, `[${index}] ${value} vs ${expected[index]}`));
};

test('documents and a question are embedded; the request body carries model, inputs and dimensions', async () => {
  const documents = documentsOf(3);
  const result = await embed({ dimensions: 12 }, [
    { lane: 'documents', item: documents },
    { lane: 'question', item: question },
  ]);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    server.requests.map((request) => [request.method, request.path, request.headers.authorization]),
    [
      ['POST', '/v1/embeddings', `Bearer ${key}`],
      ['POST', '/v1/embeddings', `Bearer ${key}`],
    ],
  );
  assert.deepEqual(server.requests[0]!.body, { model: 'text-embedding-3-small', input: documents.map((document) => document.text), encoding_format: 'base64', dimensions: 12 });
  assert.deepEqual(server.requests[1]!.body, { model: 'text-embedding-3-small', input: [question.text], encoding_format: 'base64', dimensions: 12 });
  const embedded = result.emitted[0]!.item as Document[];
  assert.deepEqual(embedded.map(({ embedding, ...rest }) => rest), documents);
  embedded.forEach((document) => close(document.embedding!, doubleVector('text-embedding-3-small', document.text, 12)));
  close((result.emitted[1]!.item as QuestionItem).embedding!, doubleVector('text-embedding-3-small', question.text, 12));
  assert.equal(result.attributes['llm.usage.input_tokens'], doubleTokens(question.text), 'the last span: the question');
  assert.equal(result.attributes['embedding.model'], 'text-embedding-3-small');
  assert.equal(result.attributes['embedding.dim'], 12);
});

test('float responses (encodingFormat: float) give the same vectors as base64; no dimensions sent when unset', async () => {
  const documents = documentsOf(2);
  const asFloat = await embed({ encodingFormat: 'float' }, [{ lane: 'documents', item: documents }]);
  const asBase64 = await embed({}, [{ lane: 'documents', item: documents }]);
  assert.deepEqual(server.requests.map((request) => request.body.encoding_format), ['float', 'base64']);
  assert.ok(server.requests.every((request) => !('dimensions' in request.body)));
  const vectors = (result: typeof asFloat) => (result.emitted[0]!.item as Document[]).map((document) => document.embedding!);
  assert.deepEqual(vectors(asFloat), vectors(asBase64));
  assert.equal(vectors(asFloat)[0]!.length, 8, "the server's default dimension");
});

test('250 documents go out in batches of 96, 96 and 58 of consecutive texts; vectors come back in order; usage adds up', async () => {
  const documents = documentsOf(250);
  const result = await embed({}, [{ lane: 'documents', item: documents }]);
  assert.deepEqual(result.errors, []);
  // Up to `embedConcurrency` requests are in flight at once, so they may reach the server in any
  // order: put them back in document order by their first text.
  const texts = documents.map((document) => document.text);
  const requests = server.requests.map((request) => request.body.input as string[]).sort((a, b) => texts.indexOf(a[0]!) - texts.indexOf(b[0]!));
  assert.deepEqual(requests.map((input) => input.length), [96, 96, 58]);
  assert.deepEqual(requests.flat(), texts);
  const embedded = result.emitted[0]!.item as Document[];
  assert.equal(embedded.length, 250);
  close(embedded[200]!.embedding!, doubleVector('text-embedding-3-small', documents[200]!.text, 8));
  assert.equal(result.attributes['llm.usage.input_tokens'], documents.reduce((sum, document) => sum + doubleTokens(document.text), 0));
  assert.equal(result.attributes['embedding.batches'], 3);
  assert.equal(result.attributes['embedding.requests'], 3);
});

test('a 429 with retry-after is waited out and retried; usage and the retry are on the span', async () => {
  server.enqueue({ status: 429, headers: { 'retry-after': '0.2' } });
  const started = performance.now();
  const result = await embed({}, [{ lane: 'question', item: question }]);
  const elapsed = performance.now() - started;
  assert.deepEqual(result.errors, []);
  assert.deepEqual(server.requests.map((request) => request.status), [429, 200]);
  assert.deepEqual(server.requests[1]!.body, server.requests[0]!.body, 'the same request again');
  assert.ok(elapsed >= 190, `waited ${elapsed} ms for retry-after: 0.2`);
  assert.equal(result.attributes['llm.usage.input_tokens'], doubleTokens(question.text));
  assert.equal(result.attributes['embedding.model'], 'text-embedding-3-small');
  assert.equal(result.attributes['embedding.requests'], 2);
  assert.equal(result.attributes['embedding.retries'], 1);
});

test('a 500 is retried; when retries run out it is EMBED_UNAVAILABLE, retryable', async () => {
  server.enqueue({ status: 500, headers: { 'retry-after-ms': '10' } });
  const recovered = await embed({}, [{ lane: 'question', item: question }]);
  assert.deepEqual(recovered.errors, []);
  assert.deepEqual(server.requests.map((request) => request.status), [500, 200]);

  server.requests.length = 0;
  server.enqueue(...Array.from({ length: 3 }, () => ({ status: 503, headers: { 'retry-after-ms': '10' } })));
  const result = await embed({ maxRetries: 2 }, [{ lane: 'question', item: question }]);
  assert.deepEqual(server.requests.map((request) => request.status), [503, 503, 503]);
  assert.equal(result.emitted.length, 0);
  const [error] = result.errors;
  assert.equal(error?.code, 'EMBED_UNAVAILABLE');
  assert.equal(error.retryable, true);
  assert.match(error.message, /answered 503 after 3 requests/);
  assert.equal(result.attributes['embedding.requests'], 3, 'failed requests are counted too');
  assert.equal(result.attributes['llm.usage.input_tokens'], 0);
});

test('a 401 is EMBED_AUTH_FAILED naming the variable, never the key, and is not retried', async () => {
  process.env[keyVariable] = 'sk-wrong-key-that-must-not-leak';
  try {
    const result = await embed({}, [{ lane: 'question', item: question }]);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.status, 401);
    const [error] = result.errors;
    assert.ok(isPipelaneError(error));
    assert.equal(error.code, 'EMBED_AUTH_FAILED');
    assert.equal(error.retryable, false);
    assert.equal(error.path, '/config/apiKeyEnv');
    assert.match(error.message, new RegExp(keyVariable));
    assert.match(error.hint, new RegExp(keyVariable));
    const everything = [error.message, error.hint, JSON.stringify(error), JSON.stringify(error.details), inspect(error, { depth: 10 }), String(error.stack)].join('\n');
    assert.doesNotMatch(everything, /sk-wrong-key-that-must-not-leak/, 'the server echoed the key; the error must not');
    assert.match(error.message, /Incorrect API key provided: \*\*\*/);
    assert.doesNotMatch(JSON.stringify(result.attributes), /sk-wrong/);
  } finally {
    process.env[keyVariable] = key;
  }
});

test('an unset key variable fails at open, naming it', async () => {
  await assert.rejects(embed({ apiKeyEnv: 'PIPELANE_TEST_UNSET_KEY' }, []), { code: 'MISSING_ENV_VARIABLE', message: /PIPELANE_TEST_UNSET_KEY/ });
  assert.equal(server.requests.length, 0);
});

test('another 4xx is EMBED_REQUEST_FAILED with the server message', async () => {
  server.enqueue({ status: 400, body: { error: { message: "This model does not support specifying dimensions.", type: 'invalid_request_error', param: null, code: null } } });
  const result = await embed({ model: 'text-embedding-ada-002', dimensions: 256 }, [{ lane: 'question', item: question }]);
  assert.equal(server.requests.length, 1, 'a 400 is not retried');
  const [error] = result.errors;
  assert.equal(error?.code, 'EMBED_REQUEST_FAILED');
  assert.equal(error.retryable, false);
  assert.match(error.message, /text-embedding-ada-002.*400.*does not support specifying dimensions/);
});

test('a response with another dimension than configured is EMBED_DIMENSION_MISMATCH', async () => {
  server.forceDimensions = 10;
  const result = await embed({ dimensions: 12 }, [{ lane: 'documents', item: documentsOf(2) }]);
  assert.equal(result.emitted.length, 0);
  const [error] = result.errors;
  assert.ok(isPipelaneError(error));
  assert.equal(error.code, 'EMBED_DIMENSION_MISMATCH');
  assert.equal(error.path, '/config/dimensions');
  assert.match(error.message, /"text-embedding-3-small" gives 10-dimension vectors .*dimensions: 12/);
  assert.deepEqual(error.details, { model: 'text-embedding-3-small', expected: 12, actual: 10 });
});

test('without dimensions configured, a batch that changes dimension mid-run is EMBED_DIMENSION_MISMATCH', async () => {
  server.enqueue({ status: 200, body: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }], model: 'm', usage: { prompt_tokens: 1, total_tokens: 1 } } });
  const result = await embed({ batchSize: 1 }, [{ lane: 'documents', item: documentsOf(2) }]);
  assert.deepEqual(server.requests.map((request) => request.status), [200, 200]);
  assert.equal(result.errors[0]?.code, 'EMBED_DIMENSION_MISMATCH');
  assert.match(result.errors[0]!.message, /gives 8-dimension vectors .*it gave 2 dimensions earlier in this run/);
});

test('an empty documents list is passed on without a request', async () => {
  const result = await embed({}, [{ lane: 'documents', item: [] }]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.emitted, [{ lane: 'documents', item: [] }]);
  assert.equal(server.requests.length, 0);
});

test('a cancel during a retry wait stops at once', async () => {
  server.enqueue({ status: 429, headers: { 'retry-after': '30' } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
  const started = performance.now();
  await assert.rejects(runNode(node, { config: baseConfig(), items: [{ lane: 'question', item: question }], signal: controller.signal }), /cancelled by test/);
  assert.ok(performance.now() - started < 5000);
  assert.equal(server.requests.length, 1);
});

test('attributes: dimension and model when dimensions is configured, nothing claimed otherwise', () => {
  const embedding = { embedding: { dim: 256, model: 'text-embedding-3-large' } };
  assert.deepEqual(node.attributes!(node.config.parse({ model: 'text-embedding-3-large', dimensions: 256 }), {}), { documents: embedding, question: embedding });
  assert.deepEqual(node.attributes!(node.config.parse({}), {}), {});
});
