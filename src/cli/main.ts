import { Command, CommanderError } from 'commander';
import { registerAgentCommands } from './commands/agent.js';
import { registerChromaCommand } from './commands/chroma.js';
import { registerDescribeCommand } from './commands/describe.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerNodesCommand } from './commands/nodes.js';
import { registerRunCommand } from './commands/run.js';
import { registerTracesCommand } from './commands/traces.js';
import { registerValidateCommand } from './commands/validate.js';
import { packageVersion } from '../package-info.js';
import { EXIT_USAGE, reportError } from './output.js';


const program = new Command('pipelane')
  .description('Compose, validate, run and trace lane-typed AI pipelines (CLI and MCP server).')
  .version(packageVersion)
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerValidateCommand(program);
registerNodesCommand(program);
registerDescribeCommand(program);
registerTracesCommand(program);
registerMcpCommand(program);
registerChromaCommand(program);
registerAgentCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.exitCode = reportError(error);
  }
}
