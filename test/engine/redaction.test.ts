import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, currentRun, recordChildSpan } from '../../src/engine/index.js';
import { PipelaneError } from '../../src/node-kit/index.js';
import { openTraceStore } from '../../src/trace/index.js';
import { agentBehaviour, agentPipeline, registry } from './binding-fixtures.js';

const TOKEN = 'tok-placeholder-secret-1';
const KEY = 'sk-provider-key-98765';
const env = { TOKEN, FAKE_KEY: KEY };

function pipelineWithSecrets(): Record<string, unknown> {
  const document = agentPipeline({ llm: 'gpt', tools: ['up'] }, { token: '${TOKEN}' });
  (document.nodes as Array<Record<string, unknown>>)[2]!.config = { apiKeyEnv: 'FAKE_KEY' };
  return document;
}

function span(kind: 'llm' | 'agent-step', extra: Record<string, unknown>): void {
  const now = new Date().toISOString();
  recordChildSpan({ kind, status: 'ok', startedAt: now, endedAt: now, durationMs: 0, ...extra });
}

test('placeholder values and API keys a provider registers are masked in every span, the run record and the result', async () => {
  const store = openTraceStore({ file: ':memory:' });
  agentBehaviour.process = async (item, ctx) => {
    const token = ctx.config.token as string;
    assert.equal(token, TOKEN, 'the node itself sees the real value');
    ctx.llm('llm'); // the provider registers the key with the run here
    assert.ok(currentRun()?.secrets.includes(KEY));
    ctx.setAttributes({ note: `token ${token}`, nested: { deep: [KEY], [KEY]: 1 } });
    ctx.warn(`saw ${KEY}`);
    span('llm', { inputPreview: `key=${KEY}`, attributes: { 'llm.request': { messages: [{ role: 'user', content: token }] } } });
    span('agent-step', { inputPreview: 'a'.repeat(490) + KEY.slice(0, 10) + '…(+50 chars)', error: { code: 'X', message: `bad ${KEY}`, hint: TOKEN } });
    const [tool] = ctx.tools('tools');
    await tool!.invoke({ text: `call with ${token}` }, { signal: ctx.signal });
    if (item.text === 'fail') throw new PipelaneError('LEAKY', `failed with ${KEY}`, { hint: `not ${TOKEN}` });
    await ctx.emit('text', { text: 'done', meta: {} });
  };
  const engine = createEngine({ registry, traceStore: store });
  const ok = await engine.run({ pipeline: pipelineWithSecrets(), inputs: [{ text: 'go' }], env, inputSummary: `input ${TOKEN}` });
  assert.equal(ok.status, 'succeeded', JSON.stringify(ok.error));
  const failed = await engine.run({ pipeline: pipelineWithSecrets(), inputs: [{ text: 'fail' }], env });
  assert.equal(failed.error?.code, 'LEAKY');

  for (const result of [ok, failed]) {
    const stored = JSON.stringify([store.getRun(result.runId), store.querySpans({ runId: result.runId, limit: 1000 })]);
    const returned = JSON.stringify({ ...result, outputs: undefined });
    for (const secret of [TOKEN, KEY]) {
      assert.equal(stored.includes(secret), false, `trace store holds ${secret}`);
      assert.equal(returned.includes(secret), false, `result holds ${secret}`);
    }
  }
  const agentSpan = ok.spans.find((entry) => entry.kind === 'node' && entry.nodeId === 'agent')!;
  assert.deepEqual(agentSpan.attributes?.nested, { deep: ['***'], '***': 1 });
  assert.equal(agentSpan.attributes?.note, 'token ***');
  const llm = ok.spans.find((entry) => entry.kind === 'llm')!;
  assert.equal(llm.inputPreview, 'key=***');
  assert.deepEqual(llm.attributes?.['llm.request'], { messages: [{ role: 'user', content: '***' }] });
  const step = ok.spans.find((entry) => entry.kind === 'agent-step')!;
  assert.equal(step.inputPreview, 'a'.repeat(490) + '***…(+50 chars)', 'a secret cut in half by a preview is masked too');
  assert.deepEqual(step.error, { code: 'X', message: 'bad ***', hint: '***' });
  assert.equal(ok.spans.find((entry) => entry.kind === 'tool')!.inputPreview, '{"text":"call with ***"}');
  assert.equal(store.getRun(ok.runId)?.input, 'input ***');
  assert.equal(failed.error?.message, 'failed with ***');
  store.close();
});

test('with previews off no span keeps a payload: previews and the LLM request/response are dropped centrally', async () => {
  let previews: boolean | undefined;
  agentBehaviour.process = async (item, ctx) => {
    previews = currentRun()?.previews;
    span('llm', { inputPreview: 'prompt text', outputPreview: 'answer text', attributes: { 'llm.request': { messages: [] }, 'llm.response': { text: 'x' }, 'gen_ai.usage.input_tokens': 3 } });
    const [tool] = ctx.tools('tools');
    await tool!.invoke({ text: 'private' }, { signal: ctx.signal });
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry, tracePreviews: false }).run({ pipeline: agentPipeline(), inputs: [{ text: 'personal data' }] });
  assert.equal(result.status, 'succeeded');
  assert.equal(previews, false);
  assert.ok(result.spans.length >= 4);
  for (const entry of result.spans) {
    assert.equal(entry.inputPreview, undefined, `${entry.kind} ${entry.nodeId} input preview`);
    assert.equal(entry.outputPreview, undefined, `${entry.kind} ${entry.nodeId} output preview`);
  }
  assert.deepEqual(result.spans.find((entry) => entry.kind === 'llm')!.attributes, { 'gen_ai.usage.input_tokens': 3 });
  assert.equal(JSON.stringify(result.spans).includes('private'), false);
});
