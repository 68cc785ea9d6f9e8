import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { runAgent, type AgentFramework, type AgentResult, type AgentTask, type AgentTool, type ToolOutput } from '../../src/agent-kit/index.js';
import { createRunContext, withRunContext } from '../../src/engine/run-context.js';
import { meterCall, recordChildSpan, withSpanScope } from '../../src/engine/span-scope.js';
import { createLlmBinding } from '../../src/providers/index.js';
import type { LlmBinding } from '../../src/providers/spec.js';
import type { SpanRecord } from '../../src/trace/index.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import type { LlmDoubleRequest, LlmDoubleServer, Reply, Responder } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';

/**
 * What every agent adapter test needs: an OpenAI or Anthropic wire double, a real LlmBinding
 * pointed at it, tools traced the way the engine traces node tools (a `tool` span plus a metered
 * call), and a run context that collects spans, so a test can check answers, counts and span
 * parents for any framework. Adapter tests share it through `agent-contract.ts`.
 */

export type DoubleProvider = 'openai' | 'anthropic';

export const TEST_API_KEY = 'sk-test-agent-harness-0123456789';
const KEY_ENV = 'PIPELANE_AGENT_TEST_KEY';
const silent = pino({ level: 'silent' });

export interface ToolInvocation {
  name: string;
  args: Record<string, unknown>;
  at: number;
}

export interface HarnessRun {
  result: AgentResult;
  spans: SpanRecord[];
  /** The span the agent ran under (stands for the agent node's span). */
  nodeSpanId: string;
}

/** Spans of the latest run, also after it rejected (a cancel). */
export interface RunSpans {
  spans: SpanRecord[];
  nodeSpanId: string;
}

export interface AgentHarness {
  provider: DoubleProvider;
  server: LlmDoubleServer;
  binding: LlmBinding;
  /** Every tool call made through `tools`, in order. */
  invocations: ToolInvocation[];
  /** The two tools of the standard task: `weather` and `pipe_convert` (stands for a saved pipeline). */
  tools: AgentTool[];
  /** How long each tool call takes (default 0; cancellation tests raise it). */
  toolDelayMs: number;
  /** The spans and node span of the latest `run`, kept when it rejects. */
  latest: RunSpans;
  task(overrides?: Partial<AgentTask>): AgentTask;
  /** Runs the framework under a fresh run context and node span; a cancel rejects, as in a node. */
  run(framework: AgentFramework, task?: AgentTask, options?: { signal?: AbortSignal }): Promise<HarnessRun>;
  close(): Promise<void>;
}

export const TWO_TOOL_QUESTION = 'How warm is it in Paris right now, in Fahrenheit?';
export const TWO_TOOL_ANSWER = 'It is 69.8 °F in Paris.';

/**
 * The standard scripted model: asks `weather` for Paris, then `pipe_convert` with the Celsius
 * value the weather tool returned, then answers with what the conversion returned. The answer can
 * only be right if both tool results really reached the model.
 */
export const twoToolScript: Responder = (request: LlmDoubleRequest): Reply => {
  const weather = request.toolResults.weather;
  if (weather === undefined) return { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
  const converted = request.toolResults.pipe_convert;
  if (converted === undefined) {
    const celsius = (JSON.parse(weather) as { celsius: number }).celsius;
    return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius } }] };
  }
  return { text: `It is ${converted} in Paris.` };
};

/** A model that never stops asking for the weather (for AGENT_MAX_STEPS and cancellation). */
export const endlessToolScript: Responder = () => ({ toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] });

/** An AgentTool traced like the engine's node tools: one `tool` span and one metered call per invoke. */
export function tracedTool(
  name: string,
  description: string,
  inputSchema: Record<string, unknown>,
  execute: (args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolOutput>,
  invocations: ToolInvocation[],
): AgentTool {
  return {
    name,
    description,
    inputSchema,
    async invoke(args, { signal }) {
      signal.throwIfAborted();
      invocations.push({ name, args, at: Date.now() });
      const started = Date.now();
      const output = await execute(args, signal);
      const ended = Date.now();
      const input = JSON.stringify(args);
      recordChildSpan({
        kind: 'tool',
        status: output.isError ? 'error' : 'ok',
        startedAt: new Date(started).toISOString(),
        endedAt: new Date(ended).toISOString(),
        durationMs: ended - started,
        inputPreview: input,
        outputPreview: output.content,
        attributes: { 'tool.name': name, 'tool.arguments': args, 'tool.result': output.content },
      });
      meterCall({ kind: 'tool', name, input, output: output.content, durationMs: ended - started, ...(output.isError ? { error: output.content } : {}) });
      return output;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** The standard task's tools; each call takes `delayMs()` (cancellation tests raise it). */
export function standardTools(invocations: ToolInvocation[], delayMs: () => number = () => 0): AgentTool[] {
  const object = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: false });
  return [
    tracedTool('weather', 'Current weather of a city, in degrees Celsius', object({ city: { type: 'string' } }, ['city']), async (args, signal) => {
      await sleep(delayMs(), signal);
      return { content: JSON.stringify({ city: args.city, celsius: args.city === 'Paris' ? 21 : 10 }) };
    }, invocations),
    tracedTool('pipe_convert', 'Saved pipeline "convert": Celsius to Fahrenheit', object({ celsius: { type: 'number' } }, ['celsius']), async (args, signal) => {
      await sleep(delayMs(), signal);
      if (typeof args.celsius !== 'number') return { content: 'celsius must be a number', isError: true };
      return { content: `${Math.round((args.celsius * 9) / 5 * 10 + 320) / 10} °F` };
    }, invocations),
  ];
}

export interface HarnessOptions {
  respond?: Responder;
  model?: string;
}

export async function startAgentHarness(provider: DoubleProvider, options: HarnessOptions = {}): Promise<AgentHarness> {
  const start = provider === 'openai' ? startOpenAIChatServer : startAnthropicMessagesServer;
  const server = await start({ apiKey: TEST_API_KEY, respond: options.respond ?? twoToolScript });
  const env = { ...process.env, [KEY_ENV]: TEST_API_KEY };
  const binding = createLlmBinding(
    {
      provider,
      model: options.model ?? (provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5'),
      baseUrl: provider === 'openai' ? server.url : server.origin,
      apiKeyEnv: KEY_ENV,
      maxRetries: 0,
      timeoutMs: 10_000,
      price: { inputPerMillion: 1, outputPerMillion: 2 },
    },
    { env },
  );
  const invocations: ToolInvocation[] = [];
  const delay = { ms: 0 };
  const tools = standardTools(invocations, () => delay.ms);
  const task = (overrides: Partial<AgentTask> = {}): AgentTask => ({
    question: TWO_TOOL_QUESTION,
    system: 'You answer weather questions with the tools.',
    tools,
    llm: binding,
    maxSteps: 6,
    ...overrides,
  });
  const latest: RunSpans = { spans: [], nodeSpanId: '' };
  return {
    provider,
    server,
    latest,
    binding,
    invocations,
    tools,
    get toolDelayMs() {
      return delay.ms;
    },
    set toolDelayMs(ms: number) {
      delay.ms = ms;
    },
    task,
    async run(framework, runTask = task(), runOptions = {}) {
      const spans: SpanRecord[] = [];
      const nodeSpanId = randomUUID();
      Object.assign(latest, { spans, nodeSpanId });
      const signal = runOptions.signal ?? new AbortController().signal;
      const runId = randomUUID();
      // The run's own signal never aborts: only the agent's signal does (as when the agent node's item
      // times out), so a framework that ignores ctx.signal fails the cancellation tests.
      const runSignal = new AbortController().signal;
      const context = createRunContext({ runId, pipeline: 'agent-harness', signal: runSignal, deadline: undefined, logger: silent, previews: true, sink: (span) => spans.push(span) });
      const result = await withRunContext(context, () =>
        withSpanScope({ spanId: nodeSpanId, nodeId: 'agent', nodeType: 'agent.run' }, () => runAgent(framework, runTask, { runId, signal, logger: silent })),
      );
      return { result, spans, nodeSpanId };
    },
    close: () => server.close(),
  };
}
