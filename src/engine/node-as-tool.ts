import type { AgentTool } from '../agent-kit/spec.js';
import type { LaneName } from '../lanes/index.js';
import { emittedLanes } from '../pipeline/index.js';
import { attemptOnce, type InvokeEnvironment, type NodeInstance } from './node-instance.js';
import type { SpanScope } from './span-scope.js';
import { nodeToolInputSchema, nodeToolItem } from './tool-input.js';
import { toolResultJson } from './tool-result.js';
import { tracedTool } from './traced-tool.js';

export interface NodeAsToolOptions {
  instance: NodeInstance;
  environment: InvokeEnvironment;
  /** Scope of the node the tool is given to. */
  scope: SpanScope | undefined;
  /** Paths a model passes are confined to this folder. */
  workspaceRoot: string;
}

/**
 * A node of the pipeline as a tool: one call runs its `process` once on the item the arguments
 * describe, under its resolved config and per-item timeout, and returns what it emitted (checked
 * against the lane schemas) as JSON. Its node span sits under the tool span; what it emits goes to
 * the caller only, never downstream.
 */
export function nodeAsTool({ instance, environment, scope, workspaceRoot }: NodeAsToolOptions): AgentTool {
  const { spec, definition } = instance;
  const lanes = new Set<LaneName>(emittedLanes(definition, instance.config));
  return tracedTool({
    name: spec.id,
    description: `${definition.title}. ${definition.description}`,
    inputSchema: nodeToolInputSchema(definition),
    run: environment.run,
    scope,
    attributes: { 'tool.kind': 'node', 'tool.node_type': definition.type },
    async work(args, { signal, spanId }) {
      const { item, lane } = await nodeToolItem(spec.id, definition, args, workspaceRoot);
      const emitted: Array<{ lane: LaneName; item: unknown }> = [];
      const timeoutMs = spec.timeoutMs ?? definition.timeoutMs ?? environment.defaultTimeoutMs;
      await attemptOnce(instance, environment, item, lane, 'process', timeoutMs, 1, {
        sink: async (outLane, payload) => void emitted.push({ lane: outLane, item: payload }),
        signal,
        parentSpanId: spanId,
        subscribedLanes: lanes,
      });
      return toolResultJson({ emitted });
    },
  });
}
