import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { readSavedPipeline } from '../pipeline-argument.js';
import { exposedToolName, summarizePipeline, type PipelineSummary } from '../pipeline-view.js';
import type { ProgressExtra } from '../run-progress.js';
import type { McpServices } from '../services.js';
import { inBand } from '../tool-result.js';
import { isInsideWorkspace } from '../workspace.js';
import { registerDeletePipeline } from './delete-pipeline.js';
import { registerGetPipeline } from './get-pipeline.js';
import { registerListPipelines } from './list-pipelines.js';
import { executeRun, fileInput, RUN_RESULT_SUMMARY, runOutputSchema, textInput } from './run-pipeline.js';
import { registerSavePipeline } from './save-pipeline.js';

/**
 * Saved pipelines with `"expose": true` as tools of their own (`pipe_<name>`). Each MCP server keeps
 * its set in step with the library: at start, after save_pipeline / delete_pipeline in any server of
 * the process on the same workspace (HTTP runs one server per session), and on list_pipelines. Adding,
 * changing or removing a tool makes the SDK send notifications/tools/list_changed to the client.
 */

const changes = new Map<string, EventEmitter>();

function changesOf(dir: string): EventEmitter {
  let emitter = changes.get(dir);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    changes.set(dir, emitter);
  }
  return emitter;
}

export interface ExposedTools {
  /** Brings the exposed tools in line with the saved pipelines. */
  sync(): void;
  /** After a save or delete: every MCP server of this process on the same library syncs (this one included). */
  announce(): void;
  /** The tool a saved pipeline appears as, if it is exposed and its name is not taken. */
  toolOf(name: string): string | undefined;
}

interface Exposed {
  pipeline: string;
  signature: string;
  tool: RegisteredTool;
}

/** save_pipeline, list_pipelines, get_pipeline, delete_pipeline and the exposed pipelines' own tools. */
export function registerPipelineTools(server: McpServer, deps: McpServices): ExposedTools {
  const exposed = registerExposedPipelines(server, deps);
  registerSavePipeline(server, deps, exposed);
  registerListPipelines(server, deps, exposed);
  registerGetPipeline(server, deps, exposed);
  registerDeletePipeline(server, deps, exposed);
  return exposed;
}

export function registerExposedPipelines(server: McpServer, deps: McpServices): ExposedTools {
  const exposed = new Map<string, Exposed>();

  const desired = (): Map<string, { pipeline: string; summary: PipelineSummary }> => {
    const wanted = new Map<string, { pipeline: string; summary: PipelineSummary }>();
    for (const name of deps.library.names()) {
      const file = deps.library.pathOf(name);
      // A file linked from outside the workspace is not served (its tool would be refused anyway).
      if (!isInsideWorkspace(deps.workspaceRoot, file)) continue;
      let document: unknown;
      try {
        document = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // list_pipelines reports unreadable files
      }
      const summary = summarizePipeline(document, deps.registry);
      const tool = exposedToolName(name);
      // Names that differ only in case or punctuation map to one tool: the first (sorted) keeps it.
      if (summary.expose && !wanted.has(tool)) wanted.set(tool, { pipeline: name, summary });
    }
    return wanted;
  };

  const sync = () => {
    const wanted = desired();
    for (const [tool, entry] of exposed) {
      if (wanted.has(tool)) continue;
      entry.tool.remove();
      exposed.delete(tool);
    }
    for (const [tool, { pipeline, summary }] of wanted) {
      const config = toolConfig(pipeline, summary);
      const signature = JSON.stringify([pipeline, summary.input, config.description]);
      const current = exposed.get(tool);
      if (current?.signature === signature) continue;
      current?.tool.remove();
      exposed.set(tool, { pipeline, signature, tool: server.registerTool(tool, config, handler(deps, tool, pipeline, summary.input)) });
    }
  };

  sync();
  let connected = false;
  const onChange = () => {
    // A closed server stops listening at the next change (HTTP sessions come and go).
    if (server.isConnected()) connected = true;
    else if (connected) return void changesOf(deps.library.dir).off('change', onChange);
    try {
      sync();
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not update the exposed pipeline tools');
    }
  };
  changesOf(deps.library.dir).on('change', onChange);
  return {
    sync,
    announce: () => void changesOf(deps.library.dir).emit('change'),
    toolOf: (name) => [...exposed].find(([, entry]) => entry.pipeline === name)?.[0],
  };
}

function toolConfig(pipeline: string, summary: PipelineSummary) {
  const inputSchema =
    summary.input === 'path'
      ? z.object({ path: z.string().min(1).describe('Input file: a path relative to the workspace root (or absolute inside it)') })
      : z.object({ text: z.string().describe(`The text to run the pipeline on${summary.inputLane.length ? ` (read as ${summary.inputLane.join(', ')})` : ''}`) });
  const outputs = summary.outputs.map((output) => `${output.name} (${output.lane})`).join(', ');
  return {
    title: `Run the saved pipeline ${pipeline}`,
    description:
      `Runs the saved pipeline "${pipeline}"${summary.description ? ` — ${summary.description}` : ''} on ${summary.input === 'path' ? 'one workspace file (`path`)' : '`text`'}` +
      ` (nodes: ${summary.nodes.join(' -> ')}; outputs: ${outputs || 'none'}). It is exposed because the file sets "expose": true; get_pipeline {"name": "${pipeline}"} shows it. ` +
      RUN_RESULT_SUMMARY,
    inputSchema,
    outputSchema: runOutputSchema,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  };
}

function handler(deps: McpServices, tool: string, pipeline: string, input: 'path' | 'text') {
  return inBand(tool, deps.logger, async (args: { path?: string; text?: string }, extra: ProgressExtra & { signal: AbortSignal }) => {
    // Read at call time: the file may have been edited since the tool was listed.
    const document = await readSavedPipeline(pipeline, deps);
    const given = input === 'path' ? await fileInput(deps, args.path!, 'path') : textInput(deps, args.text!, 'text');
    return executeRun(deps, { document, ...given }, extra);
  });
}
