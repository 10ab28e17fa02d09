// Ends a finished `fleuron publish` as soon as its output is written, instead of letting Node tear its heap down.
//
// After the last request of a publish of 10,000 files, Node took another 80-160 ms to end the process (freeing a heap
// of 150 MB or so, with nothing left to do); process.exit() ends it in 50-70 ms (a script that prints one line: 25 ms;
// measured from the child's last line to its 'close' in the parent, 4 runs each). Everything a publish writes is done
// by then: requests awaited, the lock released, the hash cache written (publish() awaits it), the S3 client's
// sockets closed. What is still buffered in stdout or stderr is flushed first, and the exit code is kept.

import { commandOf } from './command.js';

const COMMANDS = new Set(['publish']);

/** Ends the process with `code` once stdout and stderr are flushed, when the command is one that may; else returns. */
export async function endOnceFlushed(code, argv = process.argv.slice(2)) {
  if (!COMMANDS.has(commandOf(argv))) return;
  await Promise.all([process.stdout, process.stderr].map(flushed));
  // Node 22.10+: the compiled code kept between runs (see fleuron.js) is written at a normal exit; write it now.
  const { default: nodeModule } = await import('node:module');
  nodeModule.flushCompileCache?.();
  process.exit(code);
}

/** Resolves once what was written to `stream` before is handed to the system (or the stream cannot take more). */
function flushed(stream) {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    stream.write('', () => resolve());
  });
}
