import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { packageVersion } from '../package-info.js';
import { registerDescribeNode } from './tools/describe-node.js';
import { registerGetRun } from './tools/get-run.js';
import { registerListLanes } from './tools/list-lanes.js';
import { registerListNodes } from './tools/list-nodes.js';
import { registerPlanPath } from './tools/plan-path.js';
import { registerQueryTraces } from './tools/query-traces.js';
import { registerRunPipeline } from './tools/run-pipeline.js';
import { registerValidatePipeline } from './tools/validate-pipeline.js';
import { registerPipelineTools } from './tools/pipeline-tools.js';
import { registerResources } from './resources/index.js';
import { registerPrompts } from './prompts.js';
import { createMcpServices } from './services.js';
import { registerRunAgent } from './tools/run-agent.js';
import { registerCompareAgents } from './tools/compare-agents.js';
import { registerReplayLlmCalls } from './tools/replay-llm-calls.js';
import type { McpDeps } from './types.js';
import { typeArgumentErrors } from './argument-errors.js';

export type { McpDeps } from './types.js';

/**
 * The Pipelane MCP server: every tool, no transport. The caller connects it to stdio, HTTP or an
 * in-memory pair (src/mcp/transports/ take it as a factory; HTTP makes one per client session); tools
 * receive the registry, engine and trace store and never import a node.
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const services = createMcpServices(deps);
  const server = new McpServer(
    { name: 'pipelane', title: 'Pipelane', version: packageVersion },
    {
      // Declaring resources and prompts installs their list/read/get handlers now, so resources/list
      // and prompts/list answer (empty until some are registered) and registering later still works.
      capabilities: { tools: {}, resources: {}, prompts: {} },
      // Saving or deleting an exposed pipeline may change several tools at once: one list_changed each time.
      debouncedNotificationMethods: ['notifications/tools/list_changed'],
      instructions:
        'Pipelane composes, validates, runs and traces lane-typed processing pipelines. Typical flow: list_nodes or ' +
        'plan_path to find nodes, describe_node for a config schema, validate_pipeline until valid, run_pipeline on a ' +
        'file, then get_run / query_traces to inspect. Errors come back as isError results with {code, message, hint, ' +
        `path}. File paths are relative to the workspace root ${deps.workspaceRoot} and cannot leave it.`,
    },
  );
  typeArgumentErrors(server);
  registerListLanes(server, deps);
  registerListNodes(server, deps);
  registerDescribeNode(server, deps);
  registerPlanPath(server, deps);
  registerValidatePipeline(server, services);
  registerRunPipeline(server, services);
  registerPipelineTools(server, services);
  registerGetRun(server, deps);
  registerQueryTraces(server, deps);
  registerRunAgent(server, deps);
  registerCompareAgents(server, deps);
  registerReplayLlmCalls(server, deps);
  registerResources(server, services);
  registerPrompts(server, services);
  return server;
}
