import { defineAgent } from '../../src/agent-kit/index.js';

export default defineAgent({
  id: 'langgraph',
  title: 'LangGraph.js StateGraph with a ToolNode',
  description:
    "A LangGraph.js StateGraph (MessagesAnnotation): a model node over Pipelane's traced model and a prebuilt ToolNode, looping while the model asks for tools. Works with every provider.",
  // LangChain and LangGraph are loaded on first use: keeps `pipelane mcp` start-up under 1 s.
  run: async (task, ctx) => (await import('./run-langgraph.js')).runLangGraph(task, ctx),
});
