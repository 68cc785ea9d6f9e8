import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binPath, makeWorkspace, repoRoot } from '../e2e/stdio-server.js';
import { startHttpCli, type HttpCli } from './http-cli.js';

// The MCP Inspector CLI (an independent client, a devDependency) over both transports. Listing over
// stdio is in test/e2e/inspector.test.ts; here it calls a tool over stdio, and lists and calls over HTTP.
const run = promisify(execFile);
const inspector = join(repoRoot, 'node_modules', '.bin', 'mcp-inspector');

interface ToolCall {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: { nodes?: Array<{ type: string; inputs: string[] }>; lanes?: Array<{ name: string }> };
  isError?: boolean;
}

let workspace: { root: string; remove(): Promise<void> };
let env: NodeJS.ProcessEnv;
let server: HttpCli | undefined;
before(async () => {
  workspace = await makeWorkspace([]);
  env = { ...process.env, PIPELANE_WORKSPACE: workspace.root, PIPELANE_HOME: join(workspace.root, '.pipelane') };
});
after(async () => {
  await server?.stop();
  await workspace?.remove();
});

async function inspect(args: string[]): Promise<unknown> {
  const { stdout } = await run(inspector, ['--cli', ...args], { cwd: workspace.root, env, timeout: 90_000 });
  return JSON.parse(stdout) as unknown;
}

function assertImageReaders(result: ToolCall): void {
  assert.notEqual(result.isError, true, JSON.stringify(result));
  const nodes = result.structuredContent?.nodes ?? [];
  // lane filters nodes that read or emit the lane: OCR reads it, the file source emits it.
  assert.ok(nodes.some((node) => node.type === 'ocr.tesseract' && node.inputs.includes('image')), JSON.stringify(nodes));
  assert.ok(!nodes.some((node) => node.type === 'chunk.text'), 'chunk.text neither reads nor emits image');
  assert.match(result.content[0]?.text ?? '', /ocr\.tesseract/);
}

test('the MCP Inspector CLI calls list_nodes over stdio', { timeout: 120_000 }, async () => {
  const result = (await inspect([process.execPath, binPath, 'mcp', '--method', 'tools/call', '--tool-name', 'list_nodes', '--tool-arg', 'lane=image'])) as ToolCall;
  assertImageReaders(result);
});

test('the MCP Inspector CLI lists and calls tools over Streamable HTTP', { timeout: 120_000 }, async () => {
  server = await startHttpCli(workspace.root);
  const listed = (await inspect([server.url, '--transport', 'http', '--method', 'tools/list'])) as { tools: Array<{ name: string; inputSchema: { type: string } }> };
  const names = listed.tools.map((tool) => tool.name);
  for (const name of ['list_lanes', 'list_nodes', 'describe_node', 'plan_path', 'validate_pipeline', 'run_pipeline', 'get_run', 'query_traces']) {
    assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
  }
  assert.ok(listed.tools.every((tool) => tool.inputSchema.type === 'object'));

  const lanes = (await inspect([server.url, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'list_lanes'])) as ToolCall;
  assert.notEqual(lanes.isError, true, JSON.stringify(lanes));
  assert.ok(lanes.structuredContent?.lanes?.some((lane) => lane.name === 'image'));
  assertImageReaders((await inspect([server.url, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'list_nodes', '--tool-arg', 'lane=image'])) as ToolCall);

  assert.equal(await server.stop('SIGINT'), 0, server.stderr());
  server = undefined;
});
