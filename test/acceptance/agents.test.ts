import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_FRAMEWORK_IDS } from '../../src/agent-kit/index.js';
import { API_KEY, KEY_ENV, QUESTION, REDACTED, modelFor, startAgentsApp, structured, twoToolScript, type AgentsApp } from './agents-app.js';

/**
 * Issue 5 acceptance, through the MCP client: every framework completes a task that needs two tool
 * calls (the saved pipeline `pipe:redact`, then the node `chunk.text` on what it returned), the
 * trace shows both calls with arguments and results, and the API key the doubles demand is found
 * in none of the trace database's bytes nor in the debug log.
 */

describe('run_agent: four frameworks, a node and a saved pipeline as tools', () => {
  let app: AgentsApp;
  before(async () => {
    app = await startAgentsApp(twoToolScript);
  });
  after(async () => {
    await app.close();
    await app.remove();
  });

  for (const framework of AGENT_FRAMEWORK_IDS) {
    test(`${framework} completes a two-tool task and the trace shows both calls with arguments and results`, async () => {
      const result = await app.call('run_agent', { question: QUESTION, framework, ...modelFor(app, framework), tools: ['pipe:redact', 'chunk.text'], maxSteps: 5 });
      const record = structured(result);
      assert.equal(result.isError, undefined, JSON.stringify(record));
      assert.equal(record.answer, `Redacted: ${REDACTED} Chunks: 1.`);
      assert.equal(record.framework, framework);
      const steps = record.steps as Array<{ kind: string; name: string; input: string; output: string }>;
      assert.deepEqual(steps.map((step) => `${step.kind}:${step.kind === 'tool' ? step.name : ''}`), ['llm:', 'tool:pipe_redact', 'llm:', 'tool:chunk_text', 'llm:']);

      const run = structured(await app.call('get_run', { runId: record.runId }));
      assert.equal((run.run as { pipeline: string; status: string }).pipeline, `agent-${framework}`);
      assert.equal((run.run as { status: string }).status, 'succeeded');
      const spans = run.spans as Array<{ spanId: string; kind: string; inputPreview?: string; outputPreview?: string; attributes?: Record<string, unknown>; parentSpanId?: string }>;
      const agentSpan = spans.find((span) => span.kind === 'agent-step')!;
      const tools = spans.filter((span) => span.kind === 'tool');
      assert.deepEqual(tools.map((span) => span.attributes?.['tool.name']), ['pipe_redact', 'chunk_text']);
      for (const span of tools) assert.equal(span.parentSpanId, agentSpan.spanId);
      // Arguments and results of both calls.
      assert.ok(tools[0]!.inputPreview?.includes('jane.doe@example.com'), tools[0]!.inputPreview);
      assert.ok(tools[0]!.outputPreview?.includes(REDACTED), tools[0]!.outputPreview);
      assert.ok(tools[1]!.inputPreview?.includes(REDACTED), tools[1]!.inputPreview);
      assert.match(tools[1]!.outputPreview ?? '', /"documents"/);
      assert.ok(tools[1]!.outputPreview?.includes('invoice 1234'), tools[1]!.outputPreview);
      // The saved pipeline ran as a run of its own, named after it.
      const nested = app.traceStore.getRun(String(tools[0]!.attributes?.['pipeline.runId']));
      assert.equal(nested?.pipeline, 'redact');
      assert.equal(nested?.status, 'succeeded');
      // Tokens in the result are the sum of the llm spans'.
      const llmInput = spans.filter((span) => span.kind === 'llm').reduce((sum, span) => sum + Number(span.attributes?.['gen_ai.usage.input_tokens']), 0);
      assert.equal((record.usage as { inputTokens: number }).inputTokens, llmInput);
      assert.ok(!JSON.stringify(result).includes(API_KEY));
    });
  }

  test('a server that echoes the key in its 401 message gets it masked in the result, the trace and the logs', async () => {
    const previous = process.env[KEY_ENV];
    // The doubles accept API_KEY only; this key is refused and echoed back by a double made for it.
    const { startOpenAIChatServer } = await import('../doubles/openai-chat-server.js');
    const echoing = await startOpenAIChatServer({ apiKey: 'sk-some-other-key', echoKeyIn401: true });
    try {
      const result = await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), baseUrl: echoing.url });
      const record = structured(result);
      assert.equal(result.isError, true);
      assert.equal(record.code, 'LLM_AUTH_FAILED');
      assert.equal(echoing.requests.length, 1);
      assert.ok(!JSON.stringify(result).includes(API_KEY), 'the key is in the tool result');
      const spans = app.spans(String(record.runId));
      const llm = spans.find((span) => span.kind === 'llm');
      assert.equal(llm?.error?.code, 'LLM_AUTH_FAILED');
      assert.ok(!JSON.stringify(spans).includes(API_KEY));
    } finally {
      process.env[KEY_ENV] = previous;
      await echoing.close();
    }
  });

  test('the API key is nowhere in the trace database files (main file and WAL) nor in the debug log', async () => {
    const logs = app.logs();
    assert.match(logs, /agent run finished/, 'the debug log recorded the runs');
    assert.match(logs, new RegExp(KEY_ENV), 'the log names the key variable');
    assert.equal(logs.indexOf(API_KEY), -1, 'the key is in the log');
    const files = await readdir(app.traceDir);
    assert.ok(files.some((file) => file.endsWith('-wal')), `no WAL file among ${files.join(', ')}`);
    const scan = async () => {
      let sawTraces = false;
      for (const file of await readdir(app.traceDir)) {
        const bytes = await readFile(join(app.traceDir, file));
        assert.equal(bytes.indexOf(API_KEY), -1, `the key is in ${file}`);
        sawTraces ||= bytes.indexOf('pipe_redact') !== -1;
      }
      // The files really hold the runs' spans, so a miss is not an unreadable or empty store.
      assert.ok(sawTraces, 'no trace file holds the tool spans');
    };
    await scan();
    await app.close();
    await scan();
  });
});
