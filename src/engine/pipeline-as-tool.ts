import { randomUUID } from 'node:crypto';
import type { AgentTool } from '../agent-kit/spec.js';
import { PipelaneError, isSourceNode, type Registry, type RunInput } from '../node-kit/index.js';
import { boundOnlyNodeIds, PIPE_PREFIX, type PipelineLibrary } from '../pipeline/index.js';
import { confinePath } from '../mcp/workspace.js';
import type { RunContext } from './run-context.js';
import type { SpanScope } from './span-scope.js';
import { invalidArguments } from './tool-input.js';
import { toolResultJson } from './tool-result.js';
import { tracedTool } from './traced-tool.js';
import type { RunRequest, RunResult } from './types.js';

/** A saved pipeline loaded for use as a tool: its document and what its source takes. */
export interface SavedPipelineTarget {
  name: string;
  pipeline: unknown;
  description: string | undefined;
  /** source.file takes a workspace path; any other source (source.text) takes text. */
  input: 'text' | 'path';
}

export async function loadSavedPipeline(library: PipelineLibrary, name: string, registry: Registry): Promise<SavedPipelineTarget> {
  const pipeline = await library.get(name);
  const document = (pipeline ?? {}) as { nodes?: unknown; description?: unknown };
  const boundOnly = boundOnlyNodeIds(pipeline);
  const nodes = Array.isArray(document.nodes) ? (document.nodes as Array<{ id?: unknown; type?: unknown }>) : [];
  const source = nodes.find((node) => {
    const definition = typeof node?.type === 'string' ? registry.find(node.type) : undefined;
    return definition !== undefined && isSourceNode(definition) && !boundOnly.has(String(node.id));
  });
  return {
    name,
    pipeline,
    description: typeof document.description === 'string' ? document.description : undefined,
    input: source?.type === 'source.file' ? 'path' : 'text',
  };
}

export interface PipelineAsToolOptions {
  target: SavedPipelineTarget;
  run: RunContext;
  scope: SpanScope | undefined;
  workspaceRoot: string;
  env: NodeJS.ProcessEnv;
  /** Saved pipelines the current run was called through, outermost first. */
  pipeChain: readonly string[];
  startRun(request: RunRequest): Promise<RunResult>;
}

/** Tool name of `pipe:<name>`: providers accept no colon in a tool name. */
export function pipeToolName(name: string): string {
  return `pipe_${name}`;
}

/**
 * A saved pipeline as a tool: one call is a nested run (its own run id, on the tool span as
 * `pipeline.runId`) under the caller's signal and deadline; the result is the run's outputs.
 */
export function pipelineAsTool(options: PipelineAsToolOptions): AgentTool {
  const { target, run } = options;
  const name = pipeToolName(target.name);
  const inputSchema =
    target.input === 'path'
      ? { type: 'object', properties: { path: { type: 'string', description: 'Path of a file inside the workspace (relative to its root)' } }, required: ['path'] }
      : { type: 'object', properties: { text: { type: 'string', description: 'The text to run the pipeline on' } }, required: ['text'] };
  return tracedTool({
    name,
    description: `Runs the saved pipeline "${target.name}"${target.description ? `: ${target.description}` : ''}. Takes ${target.input === 'path' ? 'a file path' : 'text'}; returns the pipeline's outputs as JSON.`,
    inputSchema,
    run,
    scope: options.scope,
    attributes: { 'tool.kind': 'pipeline', 'pipeline.name': target.name },
    async work(args, { signal, setAttributes }) {
      if (options.pipeChain.includes(target.name)) {
        throw new PipelaneError('TOOL_FAILED', `Saved pipeline "${target.name}" would call itself (${[...options.pipeChain, target.name].map((entry) => PIPE_PREFIX + entry).join(' -> ')}).`, {
          hint: `Remove "${PIPE_PREFIX}${target.name}" from the tools of the pipelines on that chain.`,
        });
      }
      const input = await runInput(name, target, args, options.workspaceRoot);
      const runId = randomUUID();
      setAttributes({ 'pipeline.runId': runId });
      const result = await options.startRun({
        pipeline: target.pipeline,
        inputs: [input],
        signal,
        runId,
        env: options.env,
        parentRun: run,
        pipeChain: [...options.pipeChain, target.name],
        ...(run.deadline !== undefined ? { timeoutMs: Math.max(1, run.deadline - Date.now()) } : {}),
        inputSummary: input.text !== undefined ? input.text.slice(0, 200) : String(args.path),
      });
      if (result.status === 'cancelled') {
        signal.throwIfAborted();
        throw new PipelaneError('RUN_CANCELLED', `The run of "${target.name}" was cancelled.`, { hint: 'Call the tool again.' });
      }
      if (result.status === 'failed') {
        const error = result.error!;
        throw new PipelaneError(error.code, `Pipeline "${target.name}" failed: ${error.message}`, { hint: error.hint ?? '', ...(error.path ? { path: error.path } : {}) });
      }
      return toolResultJson({ outputs: result.outputs, ...(result.warnings.length ? { warnings: result.warnings } : {}) });
    },
  });
}

async function runInput(toolName: string, target: SavedPipelineTarget, args: Record<string, unknown>, workspaceRoot: string): Promise<RunInput> {
  if (target.input === 'text') {
    if (typeof args.text !== 'string' || args.text.trim() === '') throw invalidArguments(toolName, 'text: give the text to run the pipeline on');
    return { text: args.text };
  }
  if (typeof args.path !== 'string' || args.path === '') throw invalidArguments(toolName, 'path: give the path of a file in the workspace');
  return { path: await confinePath(workspaceRoot, args.path, { argument: 'path' }) };
}
