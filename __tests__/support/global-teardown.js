import { readFileSync, rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__fleuronS3?.stop();
  // Secrets never appear in any output: grep everything the CLI printed during the whole run.
  const log = process.env.FLEURON_TEST_OUTPUT_LOG;
  const secret = process.env.FLEURON_TEST_S3_SECRET_ACCESS_KEY;
  if (log && secret) {
    const outputs = readFileSync(log, 'utf8');
    if (outputs.includes(secret)) throw new Error(`the test secret appears in CLI output (${log}): secrets must never be printed`);
    process.stderr.write(`secret check: ${outputs.length} characters of CLI output, no secret in them\n`);
  }
  // After the check, which reads the outputs' log from it. A full run leaves 300-500 MB of the server's objects there.
  if (globalThis.__fleuronRunFolder) rmSync(globalThis.__fleuronRunFolder, { recursive: true, force: true });
}
