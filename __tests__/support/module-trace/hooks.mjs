// Module hooks (they run in Node's loader thread): each file URL loaded is appended to $FLEURON_MODULE_TRACE.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && process.env.FLEURON_MODULE_TRACE) appendFileSync(process.env.FLEURON_MODULE_TRACE, `${url}\n`);
  return nextLoad(url, context);
}
