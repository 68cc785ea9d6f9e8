import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_FRAMEWORK_IDS, type AgentFrameworkId } from '../../src/agent-kit/index.js';
import { createEngine } from '../../src/engine/index.js';
import { createRegistry } from '../../src/node-kit/index.js';
import { openTraceStore, type SpanRecord, type TraceStore } from '../../src/trace/index.js';
import agentRun from '../../nodes/agent/run/node.js';
import llmChat from '../../nodes/llm/chat/node.js';
import piiAnonymize from '../../nodes/pii/anonymize/node.js';
import piiDetect from '../../nodes/pii/detect/node.js';
import sourceText from '../../nodes/source/text/node.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import type { LlmDoubleRequest, LlmDoubleServer, Reply } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';

/**
 * The agent node inside a real pipeline: source.text → agent.run, whose llm binding is an llm.chat
 * node and whose tools are a pii.detect node of the pipeline and the saved pipeline `pipe:redact`.
 * Every framework gets the same task over the wire doubles; the trace must show both tool calls
 * with their arguments and results, under one agent-step span, and never the API key.
 */

const KEY = 'sk-e2e-agent-0f9e8d7c6b5a4321';
const KEY_ENV = 'PIPELANE_AGENT_E2E_KEY';
const NOTE = 'Write to jane.doe@example.com about invoice 1234.';
const QUESTION = `Which personal data is in this note, and how does it read redacted? Note: ${NOTE}`;
const ANSWER = 'Found EMAIL_ADDRESS; redacted: Write to <EMAIL_ADDRESS> about invoice 1234.';

/** Finds the data with `find-pii`, redacts with `pipe_redact`, answers from both results. */
function script(request: LlmDoubleRequest): Reply {
  const found = request.toolResults['find-pii'];
  if (found === undefined) return { toolCalls: [{ name: 'find-pii', arguments: { text: NOTE } }] };
  const redacted = request.toolResults.pipe_redact;
  if (redacted === undefined) return { toolCalls: [{ name: 'pipe_redact', arguments: { text: NOTE } }] };
  const types = [...new Set(found.match(/EMAIL_ADDRESS|PHONE_NUMBER|PERSON/g) ?? [])].join(', ');
  const text = /Write to [^"]*? about invoice 1234\./.exec(redacted)?.[0] ?? '(no redacted text)';
  return { text: `Found ${types}; redacted: ${text}` };
}

const redactPipeline = {
  version: 1,
  name: 'redact',
  description: 'Masks personal data (e-mail addresses, phone numbers, names) in a text',
  nodes: [
    { id: 'in', type: 'source.text', config: { lane: 'text' } },
    { id: 'anon', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'in' }] },
  ],
  outputs: [{ lane: 'text', from: 'anon', as: 'text' }],
};

function agentPipeline(framework: AgentFrameworkId, provider: 'openai' | 'anthropic', server: LlmDoubleServer) {
  return {
    version: 1,
    name: `agent-${framework}`,
    nodes: [
      { id: 'in', type: 'source.text' },
      {
        id: 'gpt',
        type: 'llm.chat',
        config: { provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', baseUrl: server.url, apiKeyEnv: KEY_ENV, maxRetries: 0 },
      },
      { id: 'find-pii', type: 'pii.detect' },
      {
        id: 'agent',
        type: 'agent.run',
        config: { framework, maxSteps: 5 },
        inputs: [{ lane: 'question', from: 'in' }],
        uses: { llm: 'gpt', tools: ['find-pii', 'pipe:redact'] },
      },
    ],
    outputs: [{ lane: 'answer', from: 'agent', as: 'answer' }],
  };
}

const variants: Array<{ framework: AgentFrameworkId; provider: 'openai' | 'anthropic' }> = [
  ...AGENT_FRAMEWORK_IDS.filter((id) => id !== 'anthropic-tools').map((framework) => ({ framework, provider: 'openai' as const })),
  { framework: 'anthropic-tools', provider: 'anthropic' },
  { framework: 'native', provider: 'anthropic' },
];

describe('agent.run in a pipeline, with a node and a saved pipeline as tools', () => {
  let workspace: string;
  let store: TraceStore;
  const servers: Record<'openai' | 'anthropic', LlmDoubleServer | undefined> = { openai: undefined, anthropic: undefined };
  const env = { ...process.env, [KEY_ENV]: KEY };

  before(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'pipelane-agent-e2e-'));
    await mkdir(join(workspace, 'pipelines'));
    await writeFile(join(workspace, 'pipelines', 'redact.pipe.json'), JSON.stringify(redactPipeline, null, 2));
    store = openTraceStore({ dir: join(workspace, '.pipelane') });
    servers.openai = await startOpenAIChatServer({ apiKey: KEY, respond: script });
    servers.anthropic = await startAnthropicMessagesServer({ apiKey: KEY, respond: script });
  });
  after(async () => {
    store.close();
    await servers.openai?.close();
    await servers.anthropic?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  for (const { framework, provider } of variants) {
    test(`${framework} over ${provider}: answers from both tool results, and the trace shows both calls with arguments and results`, async () => {
      const server = servers[provider]!;
      const engine = createEngine({
        registry: createRegistry([sourceText, llmChat, agentRun, piiDetect, piiAnonymize]),
        traceStore: store,
        workspaceRoot: workspace,
      });
      const result = await engine.run({ pipeline: agentPipeline(framework, provider, server), inputs: [{ text: QUESTION }], env });
      assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
      const answer = result.outputs.answer?.[0] as { text: string; usage: { inputTokens: number } };
      assert.equal(answer.text, ANSWER);

      const spans = store.querySpans({ runId: result.runId, limit: 1000 });
      const nodeSpan = only(spans, (span) => span.kind === 'node' && span.nodeId === 'agent');
      const agentSpan = only(spans, (span) => span.kind === 'agent-step');
      assert.equal(agentSpan.parentSpanId, nodeSpan.spanId);
      assert.equal(agentSpan.attributes?.['agent.framework'], framework);
      assert.equal(nodeSpan.attributes?.['agent.framework'], framework);

      const llmSpans = spans.filter((span) => span.kind === 'llm');
      assert.ok(llmSpans.length >= 3, `${llmSpans.length} llm spans`);
      for (const span of llmSpans) assert.equal(span.parentSpanId, agentSpan.spanId);
      assert.equal(answer.usage.inputTokens, llmSpans.reduce((sum, span) => sum + Number(span.attributes?.['gen_ai.usage.input_tokens']), 0));

      const tools = spans.filter((span) => span.kind === 'tool');
      assert.deepEqual(tools.map((span) => span.attributes?.['tool.name']), ['find-pii', 'pipe_redact']);
      for (const span of tools) {
        assert.equal(span.parentSpanId, agentSpan.spanId);
        assert.equal(span.status, 'ok');
        assert.ok(span.inputPreview?.includes('jane.doe@example.com'), `arguments of ${span.attributes?.['tool.name']}: ${span.inputPreview}`);
      }
      assert.match(tools[0]!.outputPreview ?? '', /EMAIL_ADDRESS/);
      assert.match(tools[1]!.outputPreview ?? '', /Write to <EMAIL_ADDRESS> about invoice 1234\./);
      // The pii.detect node ran inside its tool call; the saved pipeline ran as a run of its own.
      assert.equal(only(spans, (span) => span.kind === 'node' && span.nodeId === 'find-pii').parentSpanId, tools[0]!.spanId);
      const nestedRunId = String(tools[1]!.attributes?.['pipeline.runId']);
      assert.equal(store.getRun(nestedRunId)?.pipeline, 'redact');
      assert.equal(store.getRun(nestedRunId)?.status, 'succeeded');

      const everything = JSON.stringify([store.getRun(result.runId), spans, store.getRun(nestedRunId), store.querySpans({ runId: nestedRunId, limit: 1000 })]);
      assert.ok(!everything.includes(KEY), 'the API key reached the trace');
    });
  }

  test('cancelling the run during a model call ends it within one second, with no model or tool call after', async () => {
    const server = servers.openai!;
    const controller = new AbortController();
    let abortedAt = 0;
    const first = server.requests.length;
    server.respond = (request) => {
      if (server.requests.length === first + 1) return script(request);
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort();
      }, 100);
      return { delayMs: 5_000, text: 'too late' };
    };
    try {
      const engine = createEngine({ registry: createRegistry([sourceText, llmChat, agentRun, piiDetect, piiAnonymize]), traceStore: store, workspaceRoot: workspace });
      const result = await engine.run({ pipeline: agentPipeline('native', 'openai', server), inputs: [{ text: QUESTION }], env, signal: controller.signal });
      const endedAfter = Date.now() - abortedAt;
      assert.equal(result.status, 'cancelled');
      assert.ok(endedAfter < 1_000, `the run ended ${endedAfter} ms after the cancel`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(server.requests.length - first, 2, 'no model call after the cancel');
      const spans = store.querySpans({ runId: result.runId, limit: 1000 });
      assert.equal(spans.filter((span) => span.kind === 'tool').length, 1, 'no tool call after the cancel');
      assert.equal(only(spans, (span) => span.kind === 'agent-step').status, 'cancelled');
    } finally {
      server.respond = script;
    }
  });

  test('the API key is nowhere in the trace database files', async () => {
    store.close();
    const folder = join(workspace, '.pipelane');
    for (const file of await readdir(folder)) {
      const bytes = await readFile(join(folder, file));
      assert.equal(bytes.indexOf(KEY), -1, `the key is in ${file}`);
    }
  });
});

function only(spans: SpanRecord[], predicate: (span: SpanRecord) => boolean): SpanRecord {
  const found = spans.filter(predicate);
  assert.equal(found.length, 1, `expected one span, found ${found.length}`);
  return found[0]!;
}
