/**
 * The publish page's settings form → the project's `.env` (mode 0600, git-ignored): validation and the
 * text edit are pure; writing is the last step. `.env` is where `fleuron publish` reads keys from.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';

export interface KeysForm {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  /** Empty: keep the secret `.env` already has. */
  secretAccessKey: string;
}

export type FormCheck = { ok: true; values: Record<string, string> } | { ok: false; errors: string[] };

// Characters that need no quoting in .env and cannot start a comment or a second line.
const PLAIN_VALUE = /^[A-Za-z0-9+/=_.:-]+$/;

/** The variables to set, or one line per field to fix. `current` is the `.env` as it is (for the kept secret and the endpoint's name). */
export function checkKeysForm(form: KeysForm, current: Record<string, string>): FormCheck {
  const errors: string[] = [];
  const endpoint = form.endpoint.trim();
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) errors.push('S3 endpoint: give the URL of the S3 API, e.g. https://garage.example.org');
  else if (url.username || url.password) errors.push('S3 endpoint: no user name or password in the URL; the keys go in their own fields');
  else if (!PLAIN_VALUE.test(endpoint)) errors.push('S3 endpoint: only a scheme, host name, port and path, e.g. https://garage.example.org');
  const region = form.region.trim() || 'garage';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(region)) errors.push('region: letters, digits and dashes, e.g. garage');
  const bucket = form.bucket.trim();
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) errors.push('bucket: 3 to 63 lower-case letters, digits, dots and dashes, as your bucket admin gave it');
  const accessKeyId = form.accessKeyId.trim();
  if (!PLAIN_VALUE.test(accessKeyId)) errors.push('access key id: paste the key id your bucket admin gave you (e.g. GK…)');
  const secret = form.secretAccessKey.trim();
  if (secret === '' && !current.AWS_SECRET_ACCESS_KEY) errors.push('secret key: paste the secret key your bucket admin gave you');
  else if (secret !== '' && !PLAIN_VALUE.test(secret)) errors.push('secret key: it has characters a secret key does not have; paste it again');
  if (errors.length > 0) return { ok: false, errors };
  // The environment variable `fleuron publish` reads first wins: keep using it if .env has it.
  const endpointName = current.AWS_ENDPOINT_URL_S3 !== undefined ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
  return {
    ok: true,
    values: {
      [endpointName]: endpoint,
      AWS_REGION: region,
      FLEURON_BUCKET: bucket,
      AWS_ACCESS_KEY_ID: accessKeyId,
      ...(secret !== '' ? { AWS_SECRET_ACCESS_KEY: secret } : {}),
    },
  };
}

/** `.env` text with `values` set: a variable's existing line is replaced in place, new ones are appended; other lines are kept. */
export function setDotEnvValues(text: string, values: Record<string, string>): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const left = new Map(Object.entries(values));
  const edited = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !left.has(name)) return line;
    const value = left.get(name)!;
    left.delete(name);
    return `${name}=${value}`;
  });
  for (const [name, value] of left) edited.push(`${name}=${value}`);
  return `${edited.join('\n')}\n`;
}

/** Whether a .gitignore already keeps `.env` out of git. */
export function ignoresDotEnv(gitignore: string): boolean {
  return gitignore.split(/\r?\n/).some((line) => ['.env', '/.env', '.env*', '/.env*', '*.env'].includes(line.trim()));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** The `.env` of `projectDir` as variables (missing file → none). */
export async function readDotEnvValues(projectDir: string): Promise<Record<string, string>> {
  return parseEnv(await readText(path.join(projectDir, '.env'))) as Record<string, string>;
}

/** Writes the variables into `projectDir/.env` (created 0600, replaced atomically) and makes sure .gitignore lists it. */
export async function saveToDotEnv(projectDir: string, values: Record<string, string>): Promise<void> {
  const file = path.join(projectDir, '.env');
  const next = setDotEnvValues(await readText(file), values);
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, next, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600); // the umask may have narrowed it further, never widened: be exact
  await rename(temporary, file);
  const gitignore = path.join(projectDir, '.gitignore');
  const ignored = await readText(gitignore);
  if (!ignoresDotEnv(ignored)) await writeFile(gitignore, `${ignored}${ignored === '' || ignored.endsWith('\n') ? '' : '\n'}.env\n`);
}
