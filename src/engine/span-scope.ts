import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { SpanKind, SpanRecord } from '../trace/index.js';
import { currentRun } from './run-context.js';

/**
 * The span that the current async call chain works under. Library code (the traced fetch of a
 * provider, a tool wrapper, an agent) reads it to parent its own spans, and adds what it measured
 * to every meter open around it, so an agent node learns its own tokens, cost and steps without
 * the framework telling it.
 */
export interface SpanScope {
  readonly spanId: string;
  readonly nodeId: string;
  readonly nodeType: string;
  /** Meters opened by this scope and its ancestors, innermost last. */
  readonly meters: readonly CallMeter[];
  /**
   * Meters before this index were opened outside the innermost tool call: what happens inside a
   * tool (a node calling a model, a nested pipeline) counts for their tokens and cost, not their steps.
   */
  readonly directFrom: number;
}

export interface MeteredCall {
  kind: 'llm' | 'tool';
  name: string;
  input: string;
  output: string;
  durationMs: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Null when the model's price is unknown. */
  costUsd?: number | null;
  error?: string;
  /** Made inside a tool call of the meter's owner (set by the meter, not by callers). */
  nested?: boolean;
}

export class CallMeter {
  readonly calls: MeteredCall[] = [];

  add(call: MeteredCall): void {
    this.calls.push(call);
  }

  /** The owner's own steps: calls it made itself, not those made inside its tools. */
  get directCalls(): MeteredCall[] {
    return this.calls.filter((call) => !call.nested);
  }

  get inputTokens(): number {
    return this.calls.reduce((sum, call) => sum + (call.inputTokens ?? 0), 0);
  }

  get outputTokens(): number {
    return this.calls.reduce((sum, call) => sum + (call.outputTokens ?? 0), 0);
  }

  /** Sum of LLM call costs; null when any call's price is unknown. */
  get costUsd(): number | null {
    let total = 0;
    for (const call of this.calls) {
      if (call.kind !== 'llm') continue;
      if (call.costUsd === null || call.costUsd === undefined) return null;
      total += call.costUsd;
    }
    return total;
  }
}

const storage = new AsyncLocalStorage<SpanScope>();

export function currentSpanScope(): SpanScope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` under a new span (id given by the caller), inheriting the meters of the enclosing scope.
 * `toolCall` marks the work of a tool: calls made inside it are nested for the meters around it.
 */
export function withSpanScope<T>(
  scope: { spanId: string; nodeId: string; nodeType: string; meter?: CallMeter; toolCall?: boolean },
  fn: () => Promise<T>,
): Promise<T> {
  const outer = storage.getStore();
  const inherited = outer?.meters ?? [];
  const meters = scope.meter ? [...inherited, scope.meter] : inherited;
  const directFrom = scope.toolCall ? inherited.length : (outer?.directFrom ?? 0);
  return storage.run({ spanId: scope.spanId, nodeId: scope.nodeId, nodeType: scope.nodeType, meters, directFrom }, fn);
}

/** Adds a measured call to every meter open around the current call chain. */
export function meterCall(call: MeteredCall): void {
  const scope = storage.getStore();
  (scope?.meters ?? []).forEach((meter, index) => meter.add({ ...call, nested: index < scope!.directFrom }));
}

export type ChildSpan = Omit<SpanRecord, 'runId' | 'parentSpanId' | 'nodeId' | 'nodeType' | 'spanId' | 'itemsIn' | 'itemsOut'> & {
  spanId?: string;
  kind: SpanKind;
  itemsIn?: number;
  itemsOut?: number;
};

/**
 * Records a span under the current run and scope (LLM call, tool call, agent step). Outside a run
 * (a unit test calling a provider directly) it is dropped. Returns the span id.
 */
export function recordChildSpan(span: ChildSpan): string {
  const spanId = span.spanId ?? randomUUID();
  const run = currentRun();
  const scope = currentSpanScope();
  if (!run) return spanId;
  run.recordSpan({
    itemsIn: 0,
    itemsOut: 0,
    ...span,
    spanId,
    runId: run.runId,
    ...(scope ? { parentSpanId: scope.spanId } : {}),
    nodeId: scope?.nodeId ?? '',
    nodeType: scope?.nodeType ?? '',
  });
  return spanId;
}
