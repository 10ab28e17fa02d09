// Which fleuron command a command line runs, read before the CLI loads (bin/ runs ahead of the bundle, without yargs).

/**
 * The first argument that is not an option: the command as it is typed (`fleuron publish DIR …`, `fleuron --debug
 * build`). An option with a value written before the command would be taken for it; the command is then not
 * recognised, which only costs the start-up shortcuts that ask (young-generation.js, end-once-flushed.js).
 */
export function commandOf(argv = process.argv.slice(2)) {
  return argv.find((arg) => !arg.startsWith('-'));
}
