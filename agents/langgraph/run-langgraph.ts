import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { GraphRecursionError } from '@langchain/langgraph';
import { assertWithinSteps, type AgentContext, type AgentTask } from '../../src/agent-kit/index.js';
import { PipelaneChatModel } from './chat-model-shim.js';
import { toLangChainTool } from './langchain-tools.js';
import { textOf } from './message-conversion.js';
import { buildToolLoop } from './tool-loop-graph.js';

export async function runLangGraph(task: AgentTask, ctx: AgentContext): Promise<{ answer: string }> {
  ctx.signal.throwIfAborted();
  const model = new PipelaneChatModel(task.llm.model, {
    signal: ctx.signal,
    ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
    ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
  });
  const graph = buildToolLoop(model, task.tools.map((tool) => toLangChainTool(tool, ctx.signal)), task.maxSteps);
  const messages: BaseMessage[] = [...(task.system ? [new SystemMessage(task.system)] : []), new HumanMessage(task.question)];
  try {
    // The step counter in the graph stops first; the recursion limit is a backstop (model + tools per step).
    const state = await graph.invoke({ messages }, { signal: ctx.signal, recursionLimit: 2 * task.maxSteps + 1 });
    ctx.signal.throwIfAborted();
    const last = state.messages.at(-1);
    return { answer: last ? textOf(last.content) : '' };
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (error instanceof GraphRecursionError) assertWithinSteps(task.maxSteps + 1, task.maxSteps);
    throw error;
  }
}
