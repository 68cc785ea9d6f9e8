import type { RunnableConfig } from '@langchain/core/runnables';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import { assertWithinSteps } from '../../src/agent-kit/index.js';
import type { PipelaneChatModel } from './chat-model-shim.js';

/**
 * model → (tool calls? tools → model : end). Built and compiled per run: the step counter and the
 * bound model belong to this run only, so concurrent runs share no graph state.
 */
export function buildToolLoop(model: PipelaneChatModel, tools: StructuredToolInterface[], maxSteps: number) {
  const boundModel = tools.length > 0 ? model.bindTools(tools) : model;
  let modelCalls = 0;
  const callModel = async (state: typeof MessagesAnnotation.State, config: RunnableConfig) => {
    modelCalls += 1;
    assertWithinSteps(modelCalls, maxSteps);
    const reply = await boundModel.invoke(state.messages, config);
    // Tools whose results no allowed model call would read are not run.
    if ((reply.tool_calls?.length ?? 0) > 0) assertWithinSteps(modelCalls + 1, maxSteps);
    return { messages: [reply] };
  };
  return new StateGraph(MessagesAnnotation)
    .addNode('model', callModel)
    .addNode('tools', new ToolNode(tools))
    .addEdge(START, 'model')
    .addConditionalEdges('model', toolsCondition, ['tools', END])
    .addEdge('tools', 'model')
    .compile();
}
