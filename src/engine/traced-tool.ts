import { randomUUID } from 'node:crypto';
import type { AgentTool, ToolOutput } from '../agent-kit/spec.js';
import { PipelaneError, isPipelaneError } from '../node-kit/index.js';
import { previewOf, redactSecrets, type SpanRecord } from '../trace/index.js';
import { withRunContext, type RunContext } from './run-context.js';
import { currentSpanScope, meterCall, withSpanScope, type SpanScope } from './span-scope.js';

export interface ToolWorkContext {
  /** Aborted when the run or the caller gives up. */
  signal: AbortSignal;
  /** The id of this call's `tool` span: work nested in it (a node span, a nested run) points here. */
  spanId: string;
  setAttributes(attributes: Record<string, unknown>): void;
}

export interface TracedToolOptions {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  run: RunContext;
  /** Scope of the node that asked for the tools, used when the caller's async chain lost its own. */
  scope: SpanScope | undefined;
  attributes?: Record<string, unknown>;
  /** Returns the result content; throws a PipelaneError for a failure the model should see. */
  work(args: Record<string, unknown>, context: ToolWorkContext): Promise<string>;
}

const PREVIEW_CHARS = 500;

/**
 * An AgentTool whose every call is one `tool` span (arguments in, result out) under the caller's
 * span, metered for the agent around it. Failures come back in-band so the model can correct its
 * call; only a cancelled run throws, and a call made after the cancel never starts its work.
 */
export function tracedTool(options: TracedToolOptions): AgentTool {
  const { run, name } = options;
  return {
    name,
    description: options.description,
    inputSchema: options.inputSchema,
    async invoke(args, { signal, toolCallId }) {
      run.signal.throwIfAborted();
      signal.throwIfAborted();
      const combined = AbortSignal.any([run.signal, signal]);
      const parent = currentSpanScope() ?? options.scope;
      const spanId = randomUUID();
      const started = Date.now();
      const attributes: Record<string, unknown> = { 'tool.name': name, ...(toolCallId ? { 'tool.call_id': toolCallId } : {}), ...options.attributes };
      let output: ToolOutput;
      let failure: PipelaneError | undefined;
      let status: SpanRecord['status'] = 'ok';
      try {
        const scope = { spanId, nodeId: parent?.nodeId ?? '', nodeType: parent?.nodeType ?? '', toolCall: true };
        const content = await withRunContext(run, () =>
          withSpanScope(scope, () => options.work(args ?? {}, { signal: combined, spanId, setAttributes: (extra) => Object.assign(attributes, extra) })),
        );
        combined.throwIfAborted();
        output = { content: redactSecrets(content, run.secrets) };
      } catch (error) {
        if (combined.aborted) {
          record({ status: 'cancelled', content: '' });
          throw combined.reason;
        }
        failure = isPipelaneError(error)
          ? error
          : new PipelaneError('TOOL_FAILED', `Tool "${name}" failed: ${error instanceof Error ? error.message : String(error)}`, {
              hint: 'This looks like a bug in the tool; the trace shows its span.',
              cause: error,
            });
        status = 'error';
        const body = { code: failure.code, message: failure.message, hint: failure.hint };
        output = { isError: true, content: redactSecrets(JSON.stringify(body), run.secrets) };
      }
      record({ status, content: output.content });
      return output;

      function record(result: { status: SpanRecord['status']; content: string }): void {
        const ended = Date.now();
        const input = previewOf(args, PREVIEW_CHARS, { secrets: run.secrets });
        const shown = previewOf(result.content, PREVIEW_CHARS, { secrets: run.secrets });
        run.recordSpan({
          spanId,
          runId: run.runId,
          ...(parent ? { parentSpanId: parent.spanId } : {}),
          nodeId: parent?.nodeId ?? '',
          nodeType: parent?.nodeType ?? '',
          kind: 'tool',
          status: result.status,
          startedAt: new Date(started).toISOString(),
          endedAt: new Date(ended).toISOString(),
          durationMs: ended - started,
          ...(failure ? { error: failure.toJSON() } : {}),
          ...(run.previews ? { inputPreview: input, ...(result.status === 'cancelled' ? {} : { outputPreview: shown }) } : {}),
          itemsIn: 1,
          itemsOut: result.status === 'ok' ? 1 : 0,
          attributes,
        });
        meterCall({ kind: 'tool', name, input, output: shown, durationMs: ended - started, ...(failure ? { error: `${failure.code}: ${redactSecrets(failure.message, run.secrets)}` } : {}) });
      }
    },
  };
}
