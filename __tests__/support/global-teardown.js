export default async function globalTeardown() {
  await globalThis.__fleuronS3?.stop();
}
