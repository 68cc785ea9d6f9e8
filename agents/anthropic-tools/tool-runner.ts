import type { BetaRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type { BetaMessage, BetaTool } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { fromSdkError } from './sdk-errors.js';
import { assertWithinSteps, type AgentContext, type AgentTask, type AgentTool } from '../../src/agent-kit/index.js';
import { anthropicToolError } from '../../src/providers/sdks.js';

type ToolArguments = Record<string, unknown>;

/** Anthropic requires max_tokens on every request. */
const DEFAULT_MAX_TOKENS = 4096;

/**
 * One agent run through `beta.messages.toolRunner`: the SDK loops (request, run the tools of every
 * `tool_use` block, send their `tool_result`s) and we only supply the tools' `run` functions.
 * `thread: false` makes each turn resend the whole history, as the plain Messages API expects.
 */
export async function runAnthropicToolRunner(task: AgentTask, ctx: AgentContext): Promise<{ answer: string }> {
  ctx.signal.throwIfAborted();
  const client = task.llm.anthropicClient();
  const runner = client.beta.messages.toolRunner(
    {
      model: task.llm.settings.model,
      max_tokens: task.maxTokens ?? DEFAULT_MAX_TOKENS,
      ...(task.system ? { system: task.system } : {}),
      ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
      messages: [{ role: 'user', content: task.question }],
      tools: task.tools.map((tool) => runnableTool(tool, ctx)),
      max_iterations: task.maxSteps,
      thread: false,
    },
    { signal: ctx.signal },
  );
  let last: BetaMessage | undefined;
  let modelCalls = 0;
  try {
    // The body runs after each reply and before its tools: the place to stop a reply whose tool
    // results no allowed model call would read.
    for await (const message of runner) {
      modelCalls += 1;
      last = message;
      ctx.signal.throwIfAborted();
      if (message.stop_reason === 'tool_use') assertWithinSteps(modelCalls + 1, task.maxSteps);
    }
  } catch (error) {
    throw fromSdkError(error, task.llm, client, ctx.signal);
  }
  ctx.signal.throwIfAborted();
  return { answer: textOf(last) };
}

function runnableTool(tool: AgentTool, ctx: AgentContext): BetaRunnableTool<ToolArguments> {
  return {
    type: 'custom',
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as BetaTool.InputSchema,
    parse: (content: unknown) => (typeof content === 'object' && content !== null ? (content as ToolArguments) : {}),
    run: async (args, context) => {
      const output = await tool.invoke(args, { signal: ctx.signal, ...(context ? { toolCallId: context.toolUse.id } : {}) });
      // A ToolError (of the SDK copy the client comes from) is how the runner sends a tool_result with is_error: true.
      if (output.isError) throw new (anthropicToolError())(output.content);
      return output.content;
    },
  };
}

function textOf(message: BetaMessage | undefined): string {
  if (!message) return '';
  return message.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('');
}
