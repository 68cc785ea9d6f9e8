import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { PipelaneError } from '../../node-kit/index.js';
import { accessPolicy, checkBearer, rejectHostOrOrigin, type AccessPolicy } from './http-guard.js';
import { onStopSignal } from './signals.js';
import type { McpServerFactory, ServedApp } from './types.js';

/** The one path the server answers on. */
export const MCP_HTTP_PATH = '/mcp';

export interface HttpTransportOptions {
  /** Address to listen on; loopback unless a token is given. */
  host: string;
  /** 0 picks a free port (read it from `url`). */
  port: number;
  /** Bearer token every request must carry. Required when `host` is not loopback. */
  token?: string | undefined;
  /** Host names accepted besides the loopback names (DNS-rebinding protection). */
  allowedHosts?: readonly string[] | undefined;
  /** A session with no request for this long is closed (default 30 minutes). */
  sessionIdleMs?: number;
  /** At most this many sessions at once; more answer 503 (default 256). */
  maxSessions?: number;
  /** Largest POST body read (default 4 MiB, as the SDK). */
  maxBodyBytes?: number;
  logger: Logger;
}

export interface HttpMcpServer {
  /** `http://host:port/mcp`, with the port actually bound. */
  readonly url: string;
  /** Open client sessions. */
  sessionCount(): number;
  /** Stops accepting, closes every session (aborting its in-flight requests) and the listener. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  /** HTTP requests (POSTs awaiting results, open GET streams) in flight. */
  active: number;
  lastSeen: number;
}

/**
 * Streamable HTTP with stateful sessions: each client session gets its own MCP server from
 * `createServer` and its own transport, so two clients never see each other's results or
 * notifications even when their JSON-RPC ids collide. A session ends on DELETE, on idleness, or when
 * the server closes. Every request passes the Host/Origin check (403) and, with a token, the bearer
 * check (401) before it reaches a session.
 */
export async function startHttpTransport(createServer: McpServerFactory, options: HttpTransportOptions): Promise<HttpMcpServer> {
  const policy = accessPolicy(options);
  const { logger } = options;
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = options.maxSessions ?? 256;
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<string, Session>();
  let closing = false;

  const openSession = async (): Promise<Session> => {
    const server = createServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        logger.info({ session: id, sessions: sessions.size }, 'mcp http session opened');
      },
    });
    const session: Session = { transport, active: 0, lastSeen: Date.now() };
    // Set before connect(): the server chains its own close handling (aborting in-flight requests) after this.
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && sessions.delete(id)) logger.info({ session: id, sessions: sessions.size }, 'mcp http session closed');
    };
    const { onerror } = server.server;
    server.server.onerror = (error) => {
      onerror?.(error);
      logger.debug({ err: error, session: transport.sessionId }, 'mcp http transport error');
    };
    await server.connect(transport);
    return session;
  };

  const serve = async (session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    session.active += 1;
    session.lastSeen = Date.now();
    res.once('close', () => {
      session.active -= 1;
      session.lastSeen = Date.now();
      // The client dropped the response stream before its results came: treat it as a cancel of
      // every request the POST carried, so their runs stop now instead of finishing for no one.
      if (!res.writableFinished && body !== undefined) cancelRequests(session, body);
    });
    await session.transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = rejectHostOrOrigin(req.headers, policy);
    if (refused) return sendError(res, 403, -32000, `Forbidden: ${refused}`);
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_HTTP_PATH) {
      return sendError(res, 404, -32000, `Not found: the MCP endpoint is ${MCP_HTTP_PATH}`);
    }
    const unauthorized = checkAuthorization(req, policy);
    if (unauthorized) {
      res.setHeader('WWW-Authenticate', unauthorized);
      return sendError(res, 401, -32000, 'Unauthorized: send "Authorization: Bearer <token>" with the server\'s token');
    }
    if (closing) return sendError(res, 503, -32000, 'The server is shutting down');

    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJsonBody(req, maxBodyBytes);
      if ('error' in read) return sendError(res, read.status, read.code, read.error);
      body = read.value;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendError(res, 404, -32001, 'Session not found');
      return serve(session, req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return sendError(res, 400, -32000, 'Bad Request: no valid Mcp-Session-Id header; start with an initialize request');
    }
    if (sessions.size >= maxSessions) return sendError(res, 503, -32000, `Too many sessions (${maxSessions}); close one with DELETE`);
    const session = await openSession();
    await serve(session, req, res, body);
    // A refused initialize (bad headers, unsupported version) never got a session id: drop it.
    if (session.transport.sessionId === undefined) await session.transport.close();
  };

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that hangs up mid-body is not a server fault.
      if (req.destroyed && !req.complete) logger.debug({ err: error }, 'mcp http client went away');
      else logger.error({ err: error }, 'mcp http request failed');
      if (!res.headersSent && !res.destroyed) sendError(res, 500, -32603, 'Internal error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new PipelaneError('MCP_HTTP_LISTEN_FAILED', `Cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}.`, {
          hint: error.code === 'EADDRINUSE' ? 'Another process uses that port: pick another one, or 0 for any free port.' : 'Check the host name and that this user may bind the port.',
          cause: error,
        }),
      );
    });
    httpServer.listen(options.port, options.host.replace(/^\[(.*)\]$/, '$1'), () => resolve());
  });
  httpServer.on('error', (error) => logger.warn({ err: error }, 'mcp http server error'));

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.active === 0 && now - session.lastSeen > idleMs) void session.transport.close();
    }
  }, Math.min(Math.max(idleMs / 2, 10), 60_000));
  sweep.unref();

  const address = httpServer.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}${MCP_HTTP_PATH}`;
  logger.info({ url, token: policy.token !== undefined, allowedHosts: policy.allowedHostnames ? [...policy.allowedHostnames] : 'any' }, 'mcp http listening');

  let closed: Promise<void> | undefined;
  return {
    url,
    sessionCount: () => sessions.size,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(sweep);
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // Closing a transport ends its open SSE streams and aborts the requests its server still runs.
        await Promise.allSettled([...sessions.values()].map((session) => session.transport.close()));
        httpServer.closeIdleConnections();
        const forced = setTimeout(() => httpServer.closeAllConnections(), 2000);
        await stopped;
        clearTimeout(forced);
      })();
      return closed;
    },
  };
}

export interface ServeHttpOptions extends Omit<HttpTransportOptions, 'logger'> {
  /** Listen for SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Called once listening, with the URL (the CLI prints it on stderr). */
  onListening?: (url: string) => void;
}

/**
 * Serves over Streamable HTTP until SIGINT/SIGTERM, then closes every session, the listener and the
 * app. Resolves once everything is closed. If listening fails, closes the app and rethrows.
 */
export async function serveHttp(app: ServedApp, createServer: McpServerFactory, options: ServeHttpOptions): Promise<void> {
  let server: HttpMcpServer;
  try {
    server = await startHttpTransport(createServer, { ...options, logger: app.logger });
  } catch (error) {
    await app.close().catch((closeError: unknown) => app.logger.warn({ err: closeError }, 'closing the app failed'));
    throw error;
  }
  options.onListening?.(server.url);
  if (options.handleSignals === false) return;
  await new Promise<void>((resolve) => {
    onStopSignal(async (signal) => {
      app.logger.info({ reason: signal }, 'mcp server shutting down');
      try {
        await server.close();
      } catch (error) {
        app.logger.warn({ err: error }, 'closing the HTTP server failed');
      }
      try {
        await app.close();
      } catch (error) {
        app.logger.warn({ err: error }, 'closing the app failed');
      }
      resolve();
    });
  });
}

function checkAuthorization(req: IncomingMessage, policy: AccessPolicy): string | undefined {
  if (policy.token === undefined) return undefined;
  const verdict = checkBearer(req.headers.authorization, policy.token);
  if (verdict === 'ok') return undefined;
  return verdict === 'missing' ? 'Bearer realm="pipelane"' : 'Bearer realm="pipelane", error="invalid_token"';
}

/** Delivers the client's own cancel notification for each request in a POST body, as if it had sent one. */
function cancelRequests(session: Session, body: unknown): void {
  for (const message of Array.isArray(body) ? body : [body]) {
    if (typeof message !== 'object' || message === null) continue;
    const { id, method } = message as { id?: unknown; method?: unknown };
    if (typeof method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) continue;
    const cancel: JSONRPCMessage = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason: 'The HTTP response stream closed before the result was sent.' },
    };
    session.transport.onmessage?.(cancel);
  }
}

type BodyRead = { value: unknown } | { error: string; status: number; code: number };

async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return tooLarge(limit);
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { error: 'Parse error: Invalid JSON', status: 400, code: -32700 };
  }
}

function tooLarge(limit: number): BodyRead {
  return { error: `Payload too large: the body exceeds ${limit} bytes`, status: 413, code: -32000 };
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
