/** The one error type fleuron throws for problems a person can fix: a code, a one-line message and a hint. */

/** Documented exit codes: 0 ok, 1 the work failed, 2 usage or configuration. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface FleuronErrorOptions {
  /** What to do about it, shown after the message. */
  hint?: string;
  /** Exit code the CLI should use; defaults to 1 (failed). */
  exitCode?: ExitCode;
  cause?: unknown;
}

export class FleuronError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: FleuronErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FleuronError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failed;
  }
}

/** A usage or configuration mistake (exit code 2). */
export function usageError(code: string, message: string, hint?: string): FleuronError {
  return new FleuronError(code, message, { hint, exitCode: ExitCode.usage });
}

export function isFleuronError(value: unknown): value is FleuronError {
  return value instanceof FleuronError;
}

/** The single line the CLI prints: `error: message (hint)`. Newlines are folded so it stays one line. */
export function formatErrorLine(error: FleuronError): string {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  const hint = error.hint ? ` — ${oneLine(error.hint)}` : '';
  return `fleuron: ${oneLine(error.message)}${hint}`;
}
