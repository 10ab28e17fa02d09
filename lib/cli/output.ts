/** Every line the CLI prints goes through here: secrets redacted, control characters escaped, one line at a time. */
import { printable } from '../text/terminal.js';
import { redact } from './redact.js';

/** Writes `text` (one line or several, split on `\n`) to `stream`, each line made printable. */
export function printLines(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.split('\n').map((line) => `${printable(redact(line))}\n`).join(''));
}

export const printOut = (text: string): void => printLines(process.stdout, text);
export const printErr = (text: string): void => printLines(process.stderr, text);
