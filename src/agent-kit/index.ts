export {
  AGENT_FRAMEWORK_IDS,
  defineAgent,
  type AgentFrameworkId,
  type AgentFramework,
  type AgentTask,
  type AgentTool,
  type AgentContext,
  type AgentResult,
  type AgentStep,
  type ToolOutput,
} from './spec.js';
export { runAgent, agentFailure } from './run-agent.js';
export { frameworkToolSpecs, toolResultText, callTool } from './agent-tools.js';
export { assertWithinSteps, agentFailedError, findFramework } from './agent-errors.js';
