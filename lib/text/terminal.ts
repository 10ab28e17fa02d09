/** Text made safe for a terminal: a file name or an S3 key must not move the cursor, recolour or retitle it. */

/** C0 and C1 control characters (newline included: one call prints one line) and the bidirectional overrides. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A line with its control characters written as `\u001b` escapes, which read the same in JSON. */
export function printable(line: string): string {
  return line.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
