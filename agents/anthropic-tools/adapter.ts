import { defineAgent } from '../../src/agent-kit/index.js';
import { runAnthropicToolRunner } from './tool-runner.js';

export default defineAgent({
  id: 'anthropic-tools',
  title: 'Anthropic SDK tool runner',
  description:
    "The Anthropic SDK's own tool_use loop (beta.messages.toolRunner): the model calls tools until it ends its turn. Works with the anthropic provider only.",
  run: (task, ctx) => runAnthropicToolRunner(task, ctx),
});
