import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { withRunContext, type RunContext } from '../../src/engine/run-context.js';
import { CallMeter, withSpanScope } from '../../src/engine/span-scope.js';
import type { SpanRecord } from '../../src/trace/index.js';

export const OPENAI_KEY = 'sk-test-openai-5f1c9e2a7b';
export const ANTHROPIC_KEY = 'sk-ant-test-8d3a1b6c4e';
export const ENV = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY };

export const LOOKUP_TOOL = {
  name: 'lookup',
  description: 'Looks up facts about an animal.',
  inputSchema: { type: 'object', properties: { animal: { type: 'string' } }, required: ['animal'] },
};

export interface TestRun {
  run: RunContext;
  /** Spans exactly as the providers recorded them (no central redaction here). */
  spans: SpanRecord[];
  secrets: string[];
  meter: CallMeter;
  controller: AbortController;
  /** Runs `fn` under the run and a node span `node-span`, with `meter` open. */
  within<T>(fn: () => Promise<T>): Promise<T>;
}

/** A run context that collects spans, as the engine gives one to a node. */
export function testRun(options: { previews?: boolean } = {}): TestRun {
  const spans: SpanRecord[] = [];
  const secrets: string[] = [];
  const controller = new AbortController();
  const meter = new CallMeter();
  const run = {
    runId: randomUUID(),
    pipeline: 'providers-test',
    signal: controller.signal,
    deadline: undefined,
    logger: pino({ level: 'silent' }),
    previews: options.previews ?? true,
    secrets,
    addSecret(value: string) {
      secrets.push(value);
    },
    recordSpan(span: SpanRecord) {
      spans.push(span);
    },
    nodeState: new Map(),
  } as unknown as RunContext;
  return {
    run,
    spans,
    secrets,
    meter,
    controller,
    within: (fn) => withRunContext(run, () => withSpanScope({ spanId: 'node-span', nodeId: 'chat', nodeType: 'llm.chat', meter }, fn)),
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of iterable) parts.push(part);
  return parts;
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
