export { runAgentTask, agentSetupOf, type AgentSetup } from './run-agent.js';
export { compareAgents } from './compare-agents.js';
export { replayLlmCalls } from './replay-llm-calls.js';
export { parseJudgeReply, judgeSettings, JUDGE_MODEL_ENV, type JudgeVerdict } from './judge.js';
export { buildAgentPipeline, toolNodeId } from './agent-pipeline.js';
export { withTracedRun, tracePreviewsEnabled } from './traced-run.js';
export {
  agentTaskShape,
  runAgentArgsSchema,
  agentVariantSchema,
  compareAgentsArgsSchema,
  replayArgsSchema,
  agentRunShape,
  agentRunSchema,
  agentStepSchema,
  compareRowSchema,
  compareResultShape,
  replayCallSchema,
  replayResultShape,
  type RunAgentArgs,
  type AgentVariant,
  type CompareAgentsArgs,
  type ReplayArgs,
  type AgentRunRecord,
  type AgentStepRecord,
  type CompareRow,
  type CompareResult,
  type ReplayCall,
  type ReplayResult,
} from './schemas.js';
export type { AgentServiceDeps, ServiceCallOptions } from './types.js';
