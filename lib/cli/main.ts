/** The command line: parses arguments, runs one command, turns errors into one line and an exit code. */
import yargs, { type Argv } from 'yargs';
import { closestMatch } from '../config/closest-match.js';
import { hideBin } from 'yargs/helpers';
import { ExitCode, FleuronError, formatErrorLine, isFleuronError } from '../errors/fleuron-error.js';
import { printErr } from './output.js';
import { commands } from './commands/index.js';

export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  for (const stream of [process.stdout, process.stderr]) dropOutputOnClosedPipe(stream);
  let parser = yargs(argv)
    .scriptName('fleuron')
    .usage('$0 <command> [options]\n\nBuild a folder of Markdown into a small, JavaScript-free website and publish it to an S3 bucket (Garage first).')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command: fleuron <command> --help')
    .option('debug', { type: 'boolean', describe: 'print details (never secrets) when something fails', global: true })
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok, 1 the build or publish failed, 2 usage or configuration error.')
    .fail((message, error) => {
      if (error) throw error;
      throw new FleuronError('usage', message, { exitCode: ExitCode.usage, hint: usageHint(message, parser) });
    });
  for (const command of commands) parser = parser.command(command);
  skipHelpRendering(parser);
  try {
    await parser.parseAsync();
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    return reportError(error, argv.includes('--debug'));
  }
}

/**
 * A reader that stops early (`fleuron history | head -1`) closes the pipe: what is left to print is dropped, and the
 * command finishes its work (a publish is not cut in half) with its own exit code, without a stack trace.
 */
function dropOutputOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

/**
 * yargs renders a command's whole help text every time it runs the command (cacheHelpMessage, to print it should the
 * command fail later): 0.1 s of measuring string widths on the main thread, before a publish sends its first request.
 * fleuron never prints help after a failure (fail() throws one line), so that rendering is skipped; --help is not
 * affected (it renders on its own). Reached through yargs' internal methods, which its types do not declare.
 */
function skipHelpRendering(instance: Argv): void {
  type Usage = { cacheHelpMessage?: () => void };
  const internal = (instance as unknown as { getInternalMethods?: () => { getUsageInstance?: () => Usage } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** For an unknown flag, the closest known one; else a pointer to --help. */
function usageHint(message: string, instance: Argv): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message)?.[1]?.split(', ')[0];
  if (unknown) {
    // getOptions() is not in yargs' types; at failure time it holds the running command's options.
    const options = (instance as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
    const known = Object.keys(options.key).map((key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    const suggestion = closestMatch(unknown, [...new Set(known)]);
    if (suggestion) return `did you mean --${suggestion}? (see --help)`;
  }
  return 'see fleuron --help, or fleuron <command> --help';
}

function reportError(error: unknown, debug: boolean): number {
  if (isFleuronError(error)) {
    printErr(formatErrorLine(error));
    if (debug && error.cause) printErr(String((error.cause as Error).stack ?? error.cause));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  printErr(`fleuron: unexpected error: ${message.split('\n')[0]} — run again with --debug and report it`);
  if (debug && error instanceof Error) printErr(String(error.stack));
  return ExitCode.failed;
}
