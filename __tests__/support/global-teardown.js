import { readFileSync, rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__fleuronS3?.stop();
  if (globalThis.__fleuronS3Directory) rmSync(globalThis.__fleuronS3Directory, { recursive: true, force: true });
  // Secrets never appear in any output: grep everything the CLI printed during the whole run.
  const log = process.env.FLEURON_TEST_OUTPUT_LOG;
  const secret = process.env.FLEURON_TEST_S3_SECRET_ACCESS_KEY;
  if (log && secret) {
    const outputs = readFileSync(log, 'utf8');
    if (outputs.includes(secret)) throw new Error(`the test secret appears in CLI output (${log}): secrets must never be printed`);
    process.stderr.write(`secret check: ${outputs.length} characters of CLI output, no secret in them\n`);
  }
}
