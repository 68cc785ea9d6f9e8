import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import { createEngine } from '../../src/engine/index.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { startHttpTransport, type HttpMcpServer, type HttpTransportOptions } from '../../src/mcp/transports/http.js';
import { createRegistry, fakeNode, isPipelaneError } from '../../src/node-kit/index.js';
import { openTraceStore, type TraceStore } from '../../src/trace/index.js';
import { binPath, makeWorkspace } from '../e2e/stdio-server.js';
import { fakeNodes, linesPipeline } from '../unit/mcp/harness.js';
import { startHttpCli } from './http-cli.js';

// The Streamable HTTP transport in process, over the throwaway nodes of the MCP unit tests, with
// real SDK clients and raw HTTP requests (raw ones can set Host and reuse request ids on purpose).

/** Sleeps 120 ms per item (stops early when aborted), then passes it on: a run that takes a while and reports progress. */
const sleepy = fakeNode({
  type: 'transform.sleepy',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 120);
      ctx.signal.addEventListener('abort', () => (clearTimeout(timer), reject(ctx.signal.reason ?? new Error('aborted'))), { once: true });
    });
    await ctx.emit('text', item as never);
  },
});

const slowPipeline = linesPipeline([{ id: 'sleep', type: 'transform.sleepy', inputs: [{ lane: 'text', from: 'up' }] }], 'sleep');
const stuckPipeline = linesPipeline([{ id: 'stuck', type: 'transform.slow', inputs: [{ lane: 'text', from: 'up' }] }], 'stuck');
const eightLines = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');

let traceStore: TraceStore;
let deps: Parameters<typeof createMcpServer>[0];
const servers: HttpMcpServer[] = [];
const clients: Client[] = [];

before(() => {
  const registry = createRegistry([...fakeNodes, sleepy]);
  traceStore = openTraceStore({ file: ':memory:' });
  const logger = pino({ level: 'silent' });
  deps = { registry, traceStore, logger, workspaceRoot: process.cwd(), engine: createEngine({ registry, traceStore, logger }) };
});
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
  await Promise.allSettled(servers.splice(0).map((server) => server.close()));
});
after(() => traceStore.close());

async function startServer(options: Partial<HttpTransportOptions> = {}): Promise<HttpMcpServer> {
  const server = await startHttpTransport(() => createMcpServer(deps), { host: '127.0.0.1', port: 0, logger: deps.logger, ...options });
  servers.push(server);
  return server;
}

/** An SDK client on `url`; `sent` records the JSON-RPC requests it put on the wire. */
async function connectClient(url: string, headers: Record<string, string> = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport; sent: Array<{ id: unknown; method: string }> }> {
  const sent: Array<{ id: unknown; method: string }> = [];
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
    fetch: async (input, init) => {
      if (typeof init?.body === 'string') {
        const message = JSON.parse(init.body) as { id?: unknown; method?: string };
        if (message.method && message.id !== undefined) sent.push({ id: message.id, method: message.method });
      }
      return fetch(input, init);
    },
  });
  const client = new Client({ name: 'pipelane-http-test', version: '0.0.0' });
  clients.push(client);
  await client.connect(transport);
  return { client, transport, sent };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One HTTP request with full control of the headers (fetch cannot set Host). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(url, {
      method: options.method ?? 'POST',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json, text/event-stream',
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON-RPC messages of an SSE body (or of a plain JSON body). */
type WireMessage = { jsonrpc: '2.0'; id?: unknown; method?: string; params?: any; result?: any; error?: { code: number; message: string } };

function messagesOf(response: RawResponse): WireMessage[] {
  if (!String(response.headers['content-type']).includes('text/event-stream')) return response.text ? [JSON.parse(response.text)] : [];
  return response.text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 6)
    .map((line) => JSON.parse(line.slice(6)));
}

const initialize = (id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

/** A session opened by hand: initialize + initialized; `post` sends on it. */
async function rawSession(url: string, headers: Record<string, string> = {}): Promise<{ id: string; post(body: unknown): Promise<RawResponse> }> {
  const opened = await raw(url, { body: initialize(), headers });
  assert.equal(opened.status, 200, opened.text);
  const id = opened.headers['mcp-session-id'];
  assert.ok(typeof id === 'string' && id.length > 0, 'initialize answers with a session id');
  const sessionHeaders = { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  const notified = await raw(url, { body: { jsonrpc: '2.0', method: 'notifications/initialized' }, headers: sessionHeaders });
  assert.equal(notified.status, 202);
  return { id, post: (body) => raw(url, { body, headers: sessionHeaders }) };
}

test('two SDK clients on one server get only their own results and progress, with the same request ids', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const a = await connectClient(server.url);
  const b = await connectClient(server.url);
  assert.notEqual(a.transport.sessionId, b.transport.sessionId);
  assert.equal(server.sessionCount(), 2);
  const strays: unknown[] = [];
  b.client.fallbackNotificationHandler = async (notification) => void strays.push(notification);
  b.client.onerror = (error) => strays.push(error.message);

  const progress: Array<{ progress: number; message?: string }> = [];
  const running = a.client.callTool({ name: 'run_pipeline', arguments: { pipeline: slowPipeline, text: eightLines } }, undefined, {
    onprogress: (notification) => progress.push(notification),
  }) as Promise<CallToolResult>;
  const listed = (await b.client.callTool({ name: 'list_nodes', arguments: { lane: 'documents' } })) as CallToolResult;
  const ran = await running;

  const runCall = a.sent.find((entry) => entry.method === 'tools/call');
  const listCall = b.sent.find((entry) => entry.method === 'tools/call');
  assert.ok(runCall && listCall);
  assert.equal(runCall.id, listCall.id, 'both calls went out with the same JSON-RPC id');

  const run = ran.structuredContent as { status: string; runId: string; outputs: { out: Array<{ text: string }> } };
  assert.equal(run.status, 'succeeded', JSON.stringify(ran));
  assert.deepEqual(run.outputs.out.map((item) => item.text), ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
  const nodes = (listed.structuredContent as { nodes: Array<{ type: string }> }).nodes.map((node) => node.type);
  assert.deepEqual(nodes, ['chunk.fake']);
  assert.ok(!('runId' in (listed.structuredContent ?? {})) && !('nodes' in run), 'no result crossed sessions');

  assert.ok(progress.length >= 9, `A got ${progress.length} progress notifications`);
  assert.equal(progress[0]!.message, `run ${run.runId} started`);
  for (let index = 1; index < progress.length; index++) assert.ok(progress[index]!.progress > progress[index - 1]!.progress);
  assert.deepEqual(strays, [], 'B saw nothing of A');
});

test('raw JSON-RPC: the same id and progress token in two sessions at once gets each session its own answer and progress', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const a = await rawSession(server.url);
  const b = await rawSession(server.url);
  const meta = { _meta: { progressToken: 'p' } };
  const [ran, listed] = await Promise.all([
    a.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'run_pipeline', arguments: { pipeline: slowPipeline, text: eightLines }, ...meta } }),
    b.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'list_nodes', arguments: {}, ...meta } }),
  ]);

  const fromA = messagesOf(ran);
  const fromB = messagesOf(listed);
  const resultA = fromA.filter((message) => message.id === 7);
  const resultB = fromB.filter((message) => message.id === 7);
  assert.equal(resultA.length, 1);
  assert.equal(resultB.length, 1);
  assert.equal(resultA[0]!.result.structuredContent.status, 'succeeded');
  assert.ok(Array.isArray(resultB[0]!.result.structuredContent.nodes));
  assert.equal(resultB[0]!.result.structuredContent.runId, undefined);

  const progressA = fromA.filter((message) => message.method === 'notifications/progress');
  assert.ok(progressA.length >= 9, `A's stream carried ${progressA.length} progress notifications`);
  assert.ok(progressA.every((message) => message.params.progressToken === 'p'));
  assert.deepEqual(fromB.filter((message) => message.method !== undefined), [], "B's stream carried no notification");
});

test('a session ends on DELETE (its id answers 404 afterwards), and an idle session is closed', { timeout: 30_000 }, async () => {
  const server = await startServer({ sessionIdleMs: 150 });
  const session = await rawSession(server.url);
  const pinged = messagesOf(await session.post({ jsonrpc: '2.0', id: 2, method: 'ping' }));
  assert.deepEqual(pinged[0], { jsonrpc: '2.0', id: 2, result: {} });
  const deleted = await raw(server.url, { method: 'DELETE', headers: { 'mcp-session-id': session.id, 'mcp-protocol-version': '2025-11-25' } });
  assert.equal(deleted.status, 200);
  assert.equal(server.sessionCount(), 0);
  const after = await session.post({ jsonrpc: '2.0', id: 3, method: 'ping' });
  assert.equal(after.status, 404);
  assert.equal(messagesOf(after)[0]!.error?.code, -32001);

  const idle = await rawSession(server.url);
  assert.equal(server.sessionCount(), 1);
  const deadline = Date.now() + 5000;
  while (server.sessionCount() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(server.sessionCount(), 0, 'the idle session was closed');
  assert.equal((await idle.post({ jsonrpc: '2.0', id: 2, method: 'ping' })).status, 404);
});

test('a client that drops the response stream cancels the run it carried', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const session = await rawSession(server.url);
  const url = new URL(server.url);
  const runId = await new Promise<string>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session.id, 'mcp-protocol-version': '2025-11-25' },
    });
    let dropped = false;
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const found = /run (\S+) started/.exec(text);
        if (found && !dropped) {
          dropped = true;
          req.destroy(); // the client goes away mid-run
          resolve(found[1]!);
        }
      });
      res.on('end', () => reject(new Error(`the response ended before the run started:\n${text}`)));
    });
    req.on('error', (error) => (dropped ? undefined : reject(error)));
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'run_pipeline', arguments: { pipeline: stuckPipeline, text: 'x' }, _meta: { progressToken: 1 } } }));
  });
  const deadline = Date.now() + 10_000;
  while (traceStore.getRun(runId)?.status !== 'cancelled' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(traceStore.getRun(runId)?.status, 'cancelled', 'the run stopped when its stream closed, not after the 30 s node timer');
  const pinged = messagesOf(await session.post({ jsonrpc: '2.0', id: 2, method: 'ping' }));
  assert.deepEqual(pinged[0], { jsonrpc: '2.0', id: 2, result: {} }, 'the session keeps serving');
});

test('closing the server ends open sessions and aborts their runs', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const { client } = await connectClient(server.url);
  let runId: string | undefined;
  const started = new Promise<void>((resolve, reject) => {
    client
      .callTool({ name: 'run_pipeline', arguments: { pipeline: stuckPipeline, text: 'x' } }, undefined, {
        onprogress: (notification) => {
          runId ??= /run (\S+) started/.exec(notification.message ?? '')?.[1];
          resolve();
        },
      })
      .then((result) => reject(new Error(`the run ended before the server closed: ${JSON.stringify(result)}`)), () => undefined);
  });
  await started;
  const closing = Date.now();
  await server.close();
  assert.ok(Date.now() - closing < 5000, 'close() did not wait for the run');
  assert.equal(server.sessionCount(), 0);
  assert.ok(runId);
  const deadline = Date.now() + 5000;
  while (traceStore.getRun(runId)?.status !== 'cancelled' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(traceStore.getRun(runId)?.status, 'cancelled');
  await assert.rejects(raw(server.url, { body: initialize() }), 'the port no longer accepts connections');
});

test('with a token, a request without it or with a wrong one gets 401 and WWW-Authenticate; the right one is served', { timeout: 30_000 }, async () => {
  const server = await startServer({ token: 'right-token-0123456789' });
  const missing = await raw(server.url, { body: initialize() });
  assert.equal(missing.status, 401);
  assert.equal(missing.headers['www-authenticate'], 'Bearer realm="pipelane"');
  const wrong = await raw(server.url, { body: initialize(), headers: { authorization: 'Bearer wrong-token' } });
  assert.equal(wrong.status, 401);
  assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
  const basic = await raw(server.url, { body: initialize(), headers: { authorization: 'Basic cmlnaHQtdG9rZW4=' } });
  assert.equal(basic.status, 401);
  assert.equal(server.sessionCount(), 0, 'refused requests open no session');

  const { client } = await connectClient(server.url, { authorization: 'Bearer right-token-0123456789' });
  const lanes = (await client.callTool({ name: 'list_lanes', arguments: {} })) as CallToolResult;
  assert.notEqual(lanes.isError, true);
  // An established session still needs the token on every request.
  const session = (await rawSession(server.url, { authorization: 'Bearer right-token-0123456789' })).id;
  const hijack = await raw(server.url, { body: { jsonrpc: '2.0', id: 2, method: 'ping' }, headers: { 'mcp-session-id': session } });
  assert.equal(hijack.status, 401);
});

test('a Host or Origin outside the allowed names gets 403; loopback names and --allowed-hosts names are served', { timeout: 30_000 }, async () => {
  const server = await startServer({ allowedHosts: ['pipelane.test'] });
  const port = new URL(server.url).port;
  const evilHost = await raw(server.url, { body: initialize(), headers: { host: 'evil.example' } });
  assert.equal(evilHost.status, 403);
  assert.match(messagesOf(evilHost)[0]!.error?.message ?? '', /Invalid Host/);
  const evilHostWithPort = await raw(server.url, { body: initialize(), headers: { host: `evil.example:${port}` } });
  assert.equal(evilHostWithPort.status, 403);
  const evilOrigin = await raw(server.url, { body: initialize(), headers: { origin: 'http://evil.example' } });
  assert.equal(evilOrigin.status, 403);
  assert.match(messagesOf(evilOrigin)[0]!.error?.message ?? '', /Invalid Origin/);
  assert.equal((await raw(server.url, { body: initialize(), headers: { origin: 'null' } })).status, 403);
  assert.equal(server.sessionCount(), 0);

  const accepted: Array<Record<string, string>> = [
    { host: `localhost:${port}` },
    { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
    { host: `[::1]:${port}`, origin: 'http://localhost:6274' },
    { host: `pipelane.test:${port}`, origin: 'https://pipelane.test' },
  ];
  for (const headers of accepted) {
    const served = await raw(server.url, { body: initialize(), headers });
    assert.equal(served.status, 200, `${JSON.stringify(headers)}: ${served.text}`);
  }
});

test('outside /mcp is 404, a request without a session that is not initialize is 400, an unknown session 404', { timeout: 30_000 }, async () => {
  const server = await startServer();
  assert.equal((await raw(server.url.replace(/\/mcp$/, '/other'), { body: initialize() })).status, 404);
  assert.equal((await raw(server.url, { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } })).status, 400);
  assert.equal((await raw(server.url, { method: 'GET' })).status, 400);
  const unknown = await raw(server.url, { body: { jsonrpc: '2.0', id: 1, method: 'ping' }, headers: { 'mcp-session-id': 'no-such-session' } });
  assert.equal(unknown.status, 404);
  const notJson = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } });
    req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('error', reject);
    req.end('{not json');
  });
  assert.equal(notJson, 400);
  const tooBig = await startServer({ maxBodyBytes: 64 });
  assert.equal((await raw(tooBig.url, { body: initialize() })).status, 413);
  assert.equal(server.sessionCount(), 0);
});

test('a non-loopback address without a token refuses to start with MCP_HTTP_TOKEN_REQUIRED', { timeout: 90_000 }, async () => {
  for (const host of ['0.0.0.0', '::', '192.0.2.10', 'example.com']) {
    await assert.rejects(
      startHttpTransport(() => createMcpServer(deps), { host, port: 0, logger: deps.logger }),
      (error: unknown) => isPipelaneError(error) && error.code === 'MCP_HTTP_TOKEN_REQUIRED' && error.hint.includes('PIPELANE_MCP_TOKEN'),
    );
  }
  const workspace = await makeWorkspace([]);
  try {
    const refused = await promisify(execFile)(process.execPath, [binPath, 'mcp', '--http', '0.0.0.0:0'], {
      cwd: workspace.root,
      env: { ...process.env, PIPELANE_WORKSPACE: workspace.root, PIPELANE_MCP_TOKEN: '' },
      timeout: 60_000,
    }).then(
      () => assert.fail('the CLI started on 0.0.0.0 without a token'),
      (error: { code?: number; stderr?: string }) => error,
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr ?? '', /MCP_HTTP_TOKEN_REQUIRED/);
  } finally {
    await workspace.remove();
  }
});

test('pipelane mcp --http takes its token from PIPELANE_MCP_TOKEN and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
  const workspace = await makeWorkspace([]);
  const cli = await startHttpCli(workspace.root, [], { PIPELANE_MCP_TOKEN: 'env-token-abcdef' });
  try {
    assert.match(cli.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.ok(!cli.stderr().includes('env-token-abcdef'), 'the token is never printed');
    assert.equal((await raw(cli.url, { body: initialize() })).status, 401);
    const { client } = await connectClient(cli.url, { authorization: 'Bearer env-token-abcdef' });
    const lanes = (await client.callTool({ name: 'list_lanes', arguments: {} })) as CallToolResult;
    assert.ok((lanes.structuredContent as { lanes: unknown[] }).lanes.length >= 10);
    assert.equal(await cli.stop('SIGTERM'), 0, cli.stderr());
  } finally {
    await cli.stop('SIGKILL');
    await workspace.remove();
  }
});
