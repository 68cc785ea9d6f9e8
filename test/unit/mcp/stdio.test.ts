import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createEngine } from '../../../src/engine/index.js';
import { createMcpServer } from '../../../src/mcp/server.js';
import { serveStdio } from '../../../src/mcp/transports/stdio.js';
import { createRegistry } from '../../../src/node-kit/index.js';
import { openTraceStore } from '../../../src/trace/index.js';
import { fakeNodes } from './harness.js';

test('serveStdio answers JSON-RPC on stdout only and closes the app when stdin ends', async () => {
  const registry = createRegistry(fakeNodes);
  const traceStore = openTraceStore({ file: ':memory:' });
  const logger = pino({ level: 'silent' });
  let closed = 0;
  const app = { registry, traceStore, logger, workspaceRoot: process.cwd(), engine: createEngine({ registry, traceStore, logger }), close: async () => void (closed += 1) };
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const serving = serveStdio(app, () => createMcpServer(app), { stdin, stdout, handleSignals: false });
  const send = (message: unknown) => stdin.write(JSON.stringify(message) + '\n');
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'describe_node', arguments: { type: 'nope.node' } } });
  const deadline = Date.now() + 5000;
  while (output.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

  const messages = output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: number; result: Record<string, any> });
  assert.equal(messages[0]!.result.serverInfo.name, 'pipelane');
  assert.equal(messages[1]!.result.isError, true, 'a bad argument is answered in-band, not as a JSON-RPC error');
  assert.equal(messages[1]!.result.structuredContent.code, 'UNKNOWN_NODE_TYPE');

  stdin.end();
  await serving;
  assert.equal(closed, 1, 'the app is closed exactly once');
  traceStore.close();
});
