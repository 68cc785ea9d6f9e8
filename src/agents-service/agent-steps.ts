import type { SpanRecord } from '../trace/index.js';
import type { AgentStepRecord } from './schemas.js';

/**
 * The steps of an agent as its run's spans show them: every `llm` and `tool` span that is not inside
 * a tool call (a node used as a tool may make model calls of its own), in start order. Read from the
 * trace rather than from the framework, so every framework is reported the same way.
 */
export function agentStepsOf(spans: readonly SpanRecord[]): AgentStepRecord[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const insideTool = (span: SpanRecord): boolean => {
    const seen = new Set<string>();
    for (let parent = span.parentSpanId; parent && !seen.has(parent); parent = byId.get(parent)?.parentSpanId) {
      seen.add(parent);
      if (byId.get(parent)?.kind === 'tool') return true;
    }
    return false;
  };
  return spans
    .filter((span) => (span.kind === 'llm' || span.kind === 'tool') && !insideTool(span))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((span) => toStep(span));
}

function toStep(span: SpanRecord): AgentStepRecord {
  const attributes = span.attributes ?? {};
  const number = (key: string): number | undefined => (typeof attributes[key] === 'number' ? (attributes[key] as number) : undefined);
  const inputTokens = number('gen_ai.usage.input_tokens');
  const outputTokens = number('gen_ai.usage.output_tokens');
  const cost = attributes['cost.usd'];
  const name = span.kind === 'llm' ? String(attributes['gen_ai.request.model'] ?? '') : String(attributes['tool.name'] ?? span.nodeId);
  return {
    spanId: span.spanId,
    kind: span.kind as 'llm' | 'tool',
    name,
    status: span.status,
    input: span.inputPreview ?? '',
    output: span.outputPreview ?? '',
    durationMs: span.durationMs,
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
    ...(span.kind === 'llm' ? { costUsd: typeof cost === 'number' ? cost : null } : {}),
    ...(span.error ? { error: `${span.error.code}: ${span.error.message}` } : {}),
  };
}

/** Tokens and cost of the agent from its agent-step span (measured around the framework), or zeros before it started. */
export function agentTotalsOf(spans: readonly SpanRecord[]): { inputTokens: number; outputTokens: number; costUsd: number | null; latencyMs: number | undefined } {
  const agentSpan = spans.find((span) => span.kind === 'agent-step');
  if (!agentSpan) return { inputTokens: 0, outputTokens: 0, costUsd: null, latencyMs: undefined };
  const attributes = agentSpan.attributes ?? {};
  const cost = attributes['cost.usd'];
  return {
    inputTokens: Number(attributes['gen_ai.usage.input_tokens'] ?? 0),
    outputTokens: Number(attributes['gen_ai.usage.output_tokens'] ?? 0),
    costUsd: typeof cost === 'number' ? cost : null,
    latencyMs: agentSpan.durationMs,
  };
}
