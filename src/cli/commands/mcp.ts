import type { Command } from 'commander';
import { isPipelaneError, PipelaneError } from '../../node-kit/index.js';
import { createApp } from '../app.js';
import { EXIT_USAGE, reportError } from '../output.js';

interface McpOptions {
  http?: string;
  token?: string;
  allowedHosts?: string;
}

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the Pipelane tools to MCP clients: stdio by default (logs go to stderr), or Streamable HTTP with --http')
    .option('--http <[host:]port>', 'serve Streamable HTTP at http://<host>:<port>/mcp instead of stdio; host defaults to 127.0.0.1, port 0 picks a free one (the URL is printed on stderr)')
    .option('--token <token>', 'with --http: require "Authorization: Bearer <token>" (default: $PIPELANE_MCP_TOKEN, which keeps it out of the process list); required off loopback')
    .option('--allowed-hosts <names>', 'with --http: comma-separated Host names to accept besides localhost, 127.0.0.1 and [::1]')
    .action(async (options: McpOptions) => {
      try {
        await (options.http === undefined ? serveOnStdio(options) : serveOnHttp(options.http, options));
      } catch (error) {
        const code = reportError(error);
        process.exitCode = isPipelaneError(error) && error.code === 'MCP_HTTP_TOKEN_REQUIRED' ? EXIT_USAGE : code;
      }
    });
}

async function serveOnStdio(options: McpOptions): Promise<void> {
  if (options.token !== undefined || options.allowedHosts !== undefined) {
    throw new PipelaneError('USAGE', '--token and --allowed-hosts apply to --http only.', { hint: 'Add --http [host:]port, or drop them for stdio.' });
  }
  const [{ serveStdio }, { createMcpServer }] = await Promise.all([import('../../mcp/transports/stdio.js'), import('../../mcp/server.js')]);
  const app = await createApp();
  await serveStdio(app, () => createMcpServer(app));
}

async function serveOnHttp(spec: string, options: McpOptions): Promise<void> {
  const [{ serveHttp }, { accessPolicy, parseListenAddress }, { createMcpServer }] = await Promise.all([
    import('../../mcp/transports/http.js'),
    import('../../mcp/transports/http-guard.js'),
    import('../../mcp/server.js'),
  ]);
  const { host, port } = parseListenAddress(spec);
  const token = options.token ?? (process.env.PIPELANE_MCP_TOKEN || undefined);
  const allowedHosts = options.allowedHosts?.split(',').map((name) => name.trim()).filter(Boolean);
  accessPolicy({ host, token, allowedHosts }); // refuses a non-loopback bind without a token before any start-up work
  const app = await createApp();
  await serveHttp(app, () => createMcpServer(app), {
    host,
    port,
    token,
    allowedHosts,
    onListening: (url) =>
      process.stderr.write(`Pipelane MCP server on ${url}${token === undefined ? '' : ' (bearer token required)'} (Ctrl-C stops it)\n`),
  });
}
