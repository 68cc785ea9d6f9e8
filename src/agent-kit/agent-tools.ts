import type { ToolCall, ToolSpec } from '../providers/spec.js';
import type { AgentTool, ToolOutput } from './spec.js';

/** What every framework shows a model of its tools: name, description, JSON Schema of the arguments. */
export function frameworkToolSpecs(tools: readonly AgentTool[]): ToolSpec[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }));
}

/**
 * A tool result as text for frameworks whose tool message has no error flag: the model must still
 * see that the call failed, so it can fix its arguments.
 */
export function toolResultText(output: ToolOutput): string {
  return output.isError ? `Error: ${output.content}` : output.content;
}

/**
 * Calls the tool a model asked for. A name the model made up is answered in-band (listing the
 * tools that exist) instead of failing the agent, so the model can correct itself; a cancelled
 * run still throws from `invoke`.
 */
export async function callTool(tools: readonly AgentTool[], call: ToolCall, signal: AbortSignal): Promise<ToolOutput> {
  signal.throwIfAborted();
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    const names = tools.map((candidate) => candidate.name).join(', ') || 'none';
    return { content: `There is no tool "${call.name}". Available tools: ${names}.`, isError: true };
  }
  return tool.invoke(call.arguments, { signal, toolCallId: call.id });
}
