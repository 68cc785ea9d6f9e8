import type { AgentFrameworkId } from '../agent-kit/spec.js';
import type { Problem } from '../node-kit/index.js';
import { pipeName } from '../pipeline/index.js';
import { modelSettingsSchema, type ModelSettingsInput } from '../providers/spec.js';

export interface AgentSetup {
  question: string;
  framework: AgentFrameworkId;
  model: ModelSettingsInput;
  tools?: readonly string[] | undefined;
  system?: string | undefined;
  maxSteps?: number | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
}

export interface AgentPipeline {
  document: Record<string, unknown>;
  /** Pipeline JSON Pointer prefix → the argument it came from, for problems the validator finds. */
  origins: Array<{ prefix: string; argument: string }>;
}

const SOURCE_ID = 'question';
const AGENT_ID = 'agent';
const LLM_ID = 'llm';
const RESERVED = new Set([SOURCE_ID, AGENT_ID, LLM_ID]);
const settingKeys = Object.keys(modelSettingsSchema.shape);

/** Node id of a tool given as a node type: `chunk.text` → `chunk_text` (the tool name the model sees). */
export function toolNodeId(type: string): string {
  const id = type.replace(/[^A-Za-z0-9_-]/g, '_');
  const lettered = /^[A-Za-z]/.test(id) ? id : `t_${id}`;
  return RESERVED.has(lettered) ? `${lettered}_tool` : lettered.slice(0, 64);
}

/**
 * The pipeline a run_agent call stands for: source.text puts the question on the question lane,
 * agent.run answers it with `uses: {llm: "llm", tools: [...]}`, an llm.chat node holds the model
 * settings, and each node-type tool is a node of its own (saved pipelines stay `pipe:<name>`).
 * Running it through the engine makes an agent run an ordinary, traced, validated run.
 */
export function buildAgentPipeline(setup: AgentSetup): AgentPipeline {
  const origins: AgentPipeline['origins'] = [];
  const toolNodes: Array<Record<string, unknown>> = [];
  const bindings: string[] = [];
  for (const [index, entry] of (setup.tools ?? []).entries()) {
    if (pipeName(entry) !== undefined) {
      origins.push({ prefix: `/nodes/1/uses/tools/${bindings.length}`, argument: `/tools/${index}` });
      bindings.push(entry);
      continue;
    }
    const id = toolNodeId(entry);
    if (bindings.includes(id)) continue;
    origins.push({ prefix: `/nodes/${3 + toolNodes.length}`, argument: `/tools/${index}` });
    origins.push({ prefix: `/nodes/1/uses/tools/${bindings.length}`, argument: `/tools/${index}` });
    toolNodes.push({ id, type: entry });
    bindings.push(id);
  }
  const llmConfig = Object.fromEntries(Object.entries(setup.model).filter(([key, value]) => settingKeys.includes(key) && value !== undefined));
  const agentConfig = {
    framework: setup.framework,
    ...(setup.system !== undefined ? { system: setup.system } : {}),
    ...(setup.maxSteps !== undefined ? { maxSteps: setup.maxSteps } : {}),
    ...(setup.temperature !== undefined ? { temperature: setup.temperature } : {}),
    ...(setup.maxTokens !== undefined ? { maxTokens: setup.maxTokens } : {}),
  };
  origins.push({ prefix: '/nodes/0', argument: '/question' });
  origins.push({ prefix: '/nodes/1/config/framework', argument: '/framework' });
  origins.push({ prefix: '/nodes/1/config', argument: '' });
  origins.push({ prefix: '/nodes/2/config', argument: '' });
  const document = {
    version: 1,
    name: `agent-${setup.framework}`,
    description: `run_agent: ${setup.framework} with ${String(setup.model.provider ?? 'openai')}:${setup.model.model}`,
    nodes: [
      { id: SOURCE_ID, type: 'source.text', config: { lane: 'question' } },
      {
        id: AGENT_ID,
        type: 'agent.run',
        config: agentConfig,
        inputs: [{ lane: 'question', from: SOURCE_ID }],
        uses: { llm: LLM_ID, tools: bindings },
      },
      { id: LLM_ID, type: 'llm.chat', config: llmConfig },
      ...toolNodes,
    ],
    outputs: [{ lane: 'answer', from: AGENT_ID, as: 'answer' }],
  };
  return { document, origins };
}

/**
 * A problem of the generated pipeline, pointed at the argument that caused it (`/tools/1`,
 * `/maxSteps`, `/model`); its fix patches the generated document, so it is left out.
 */
export function toArgumentProblem(problem: Problem, origins: AgentPipeline['origins']): Problem {
  const { fix: _fix, ...rest } = problem;
  const origin = origins.find(({ prefix }) => problem.path === prefix || problem.path.startsWith(`${prefix}/`));
  if (!origin) return { ...rest, path: '' };
  const tail = problem.path.slice(origin.prefix.length);
  // Config fields of the agent and llm nodes are run_agent arguments of the same name.
  const path = origin.argument === '' ? tail : origin.argument;
  return { ...rest, path };
}
