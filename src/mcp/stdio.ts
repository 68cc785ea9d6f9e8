import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { createMcpServer, type McpDeps } from './server.js';

/** What `serveStdio` needs: the composition root's `App` (src/cli/app.ts) has this shape. */
export interface StdioApp extends McpDeps {
  /** Releases models and the trace store. */
  close(): Promise<void>;
}

export interface ServeStdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Listen for SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/**
 * Serves the Pipelane tools over stdio until the client goes away (stdin ends or the transport
 * closes) or the process gets SIGINT/SIGTERM; then closes the server and the app (models, trace
 * store). Resolves once everything is closed. stdout carries only protocol messages: the app's
 * logger must write to stderr.
 */
export async function serveStdio(app: StdioApp, options: ServeStdioOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const server = createMcpServer(app);
  const transport = new StdioServerTransport(stdin, stdout);

  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      await Promise.resolve(); // let `closing` be set before server.close() re-enters through onclose
      app.logger.info({ reason }, 'mcp server shutting down');
      stdin.off('end', onEnd);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await server.close();
      } catch (error) {
        app.logger.warn({ err: error }, 'closing the MCP server failed');
      }
      try {
        await app.close();
      } catch (error) {
        app.logger.warn({ err: error }, 'closing the app failed');
      }
      finished();
    })();
    return closing;
  };
  const onEnd = () => void shutdown('stdin ended');
  const onSignal = (signal: NodeJS.Signals) => {
    void shutdown(signal).then(() => {
      process.exitCode ??= 0;
      // Anything still holding the event loop (a stuck worker) must not keep a stopped server alive.
      setTimeout(() => process.exit(), 2000).unref();
    });
  };

  server.server.onclose = () => void shutdown('transport closed');
  server.server.onerror = (error) => app.logger.warn({ err: error }, 'mcp transport error');
  stdin.once('end', onEnd);
  if (options.handleSignals ?? true) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  await server.connect(transport);
  app.logger.info({ workspaceRoot: app.workspaceRoot }, 'mcp server ready on stdio');
  return done;
}
