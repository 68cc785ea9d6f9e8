import { defineAgent } from '../../src/agent-kit/index.js';
import { runOpenAiToolRunner } from './tool-runner.js';

export default defineAgent({
  id: 'openai-tools',
  title: 'OpenAI SDK tool runner',
  description:
    "The OpenAI SDK's own tool loop (chat.completions.runTools): the model calls tools until it answers. Works with the openai and openai-compatible providers (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter).",
  run: (task, ctx) => runOpenAiToolRunner(task, ctx),
});
