import { ToolMessage } from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import type { AgentTool } from '../../src/agent-kit/index.js';

/**
 * An AgentTool as a LangChain tool for ToolNode. A failed call (`isError`) comes back as an error
 * ToolMessage, which the model sees as a failed tool result it can fix. Made per run: the tool
 * closes over the run's signal.
 */
export function toLangChainTool(agentTool: AgentTool, signal: AbortSignal): StructuredToolInterface {
  return tool(
    async (input: Record<string, unknown>, config) => {
      const toolCallId = config.toolCall?.id;
      const output = await agentTool.invoke(input, { signal, ...(toolCallId ? { toolCallId } : {}) });
      if (!output.isError) return output.content;
      return new ToolMessage({ content: output.content, tool_call_id: toolCallId ?? '', name: agentTool.name, status: 'error' });
    },
    {
      name: agentTool.name,
      description: agentTool.description,
      schema: agentTool.inputSchema,
      // LangChain checks arguments against the schema before calling: say what was wrong, not just that.
      verboseParsingErrors: true,
    },
  );
}
