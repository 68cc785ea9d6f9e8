import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LlmDoubleServer } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';
import { API_KEY, KEY_ENV, QUESTION, REDACTED, redactPipeline, twoToolScript } from './agents-app.js';

/** `pipelane agent` and `pipelane compare-agents`: the same services as the MCP tools, from the shell. */

const root = fileURLToPath(new URL('../..', import.meta.url));
let workspace: string;
let server: LlmDoubleServer;

before(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'pipelane-agent-cli-'));
  await mkdir(join(workspace, 'pipelines'));
  await writeFile(join(workspace, 'pipelines', 'redact.pipe.json'), JSON.stringify(redactPipeline));
  server = await startOpenAIChatServer({ apiKey: API_KEY, respond: twoToolScript });
});
after(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args],
      { cwd: root, env: { ...process.env, PIPELANE_WORKSPACE: workspace, PIPELANE_HOME: join(workspace, '.pipelane'), [KEY_ENV]: API_KEY }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('pipelane agent --json prints the run_agent result; an unknown tool type exits 2 with the problem at /tools/<i>', async () => {
  const model = ['--model', 'gpt-4o-mini', '--base-url', server.url, '--api-key-env', KEY_ENV];
  const answered = await cli(['agent', QUESTION, '--framework', 'openai-tools', ...model, '--tools', 'pipe:redact,chunk.text', '--json']);
  assert.equal(answered.code, 0, answered.stderr);
  const record = JSON.parse(answered.stdout) as { answer: string; steps: unknown[]; runId: string };
  assert.equal(record.answer, `Redacted: ${REDACTED} Chunks: 1.`);
  assert.equal(record.steps.length, 5);
  assert.ok(!answered.stdout.includes(API_KEY) && !answered.stderr.includes(API_KEY));

  const refused = await cli(['agent', QUESTION, '--framework', 'native', ...model, '--tools', 'chunk.txt']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /AGENT_SETUP_INVALID/);
  assert.match(refused.stderr, /UNKNOWN_NODE_TYPE at \/tools\/0/);
});

test('pipelane compare-agents prints one row per variant with tokens, cost and the answer', async () => {
  const file = join(workspace, 'compare.json');
  const variant = (framework: string, model: string) => ({ framework, provider: 'openai', model, baseUrl: server.url, apiKeyEnv: KEY_ENV });
  await writeFile(file, JSON.stringify({ question: QUESTION, tools: ['pipe:redact', 'chunk.text'], variants: [variant('native', 'gpt-4o-mini'), variant('langgraph', 'gpt-4.1-nano')] }));
  const { code, stdout, stderr } = await cli(['compare-agents', file]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^label\s+steps\s+tokens in→out\s+cost\s+latency\s+answer or error$/);
  assert.match(lines[1]!, /^native openai:gpt-4o-mini\s+5\s+\d+→\d+\s+\$0\.\d{6}\s+\d+ ms\s+Redacted: Write to <EMAIL_ADDRESS>/);
  assert.match(lines[2]!, /^langgraph openai:gpt-4\.1-nano\s+5\s+/);
});
