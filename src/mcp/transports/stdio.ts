import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { onStopSignal } from './signals.js';
import type { McpServerFactory, ServedApp } from './types.js';

export interface ServeStdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Listen for SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/**
 * Serves one MCP server over stdio until the client goes away (stdin ends or the transport closes)
 * or the process gets SIGINT/SIGTERM; then closes the server and the app (models, trace store).
 * Resolves once everything is closed. stdout carries only protocol messages: the app's logger must
 * write to stderr.
 */
export async function serveStdio(app: ServedApp, createServer: McpServerFactory, options: ServeStdioOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const server = createServer();
  const transport = new StdioServerTransport(stdin, stdout);

  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let closing: Promise<void> | undefined;
  let stopListening = () => {};
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      await Promise.resolve(); // let `closing` be set before server.close() re-enters through onclose
      app.logger.info({ reason }, 'mcp server shutting down');
      stdin.off('end', onEnd);
      stopListening();
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

  // Chained, not replaced: the server's own code may watch its close too.
  const { onclose, onerror } = server.server;
  server.server.onclose = () => {
    onclose?.();
    void shutdown('transport closed');
  };
  server.server.onerror = (error) => {
    onerror?.(error);
    app.logger.warn({ err: error }, 'mcp transport error');
  };
  stdin.once('end', onEnd);
  if (options.handleSignals ?? true) stopListening = onStopSignal((signal) => shutdown(signal));
  await server.connect(transport);
  app.logger.info('mcp server ready on stdio');
  return done;
}
