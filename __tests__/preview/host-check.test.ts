/**
 * DNS rebinding: a page on evil.example whose name later resolves to 127.0.0.1 can make the browser
 * send requests to the preview with `Host: evil.example`. The preview answers only its own names.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isOwnHost } from '../../lib/preview/host-check.js';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { makeFolder } from '../support/run-cli.js';
import { fetchRaw } from './support/http.js';

describe('isOwnHost (pure)', () => {
  const port = 8123;
  it.each(['127.0.0.1:8123', 'localhost:8123', 'LOCALHOST:8123', '[::1]:8123'])('accepts %s', (host) => {
    expect(isOwnHost(host, port)).toBe(true);
  });
  it.each([
    'evil.example:8123',
    'evil.example',
    '127.0.0.1',
    '127.0.0.1:8124',
    'localhost',
    'localhost.:8123',
    '127.0.0.1.evil.example:8123',
    '127.0.0.2:8123',
    '0.0.0.0:8123',
    '[::1]',
    '',
    'localhost:8123 ',
    'localhost:8123@evil.example',
  ])('refuses %j', (host) => {
    expect(isOwnHost(host, port)).toBe(false);
  });
  it('refuses a request without Host', () => {
    expect(isOwnHost(undefined, port)).toBe(false);
  });
  it('on port 80 the browser sends no port: the bare names are the own address', () => {
    expect(isOwnHost('localhost', 80)).toBe(true);
    expect(isOwnHost('127.0.0.1:80', 80)).toBe(true);
    expect(isOwnHost('evil.example', 80)).toBe(false);
  });
});

describe('the preview answers only requests addressed to itself', () => {
  let root: string;
  let preview: Preview;
  let port: string;

  beforeAll(async () => {
    root = await makeFolder({ 'src/index.md': '# Brouillon privé\n\nTexte.\n' });
    preview = await startPreview({ sourceDir: path.join(root, 'src'), outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), port: 0, reload: true, watch: false });
    port = String(preview.port);
  });
  afterAll(async () => {
    await preview?.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('serves the site to Host %s:PORT', async (name) => {
    const response = await fetchRaw(preview.url, '/', { headers: { host: `${name}:${port}` } });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toContain('Brouillon privé');
  });

  it.each(['evil.example', `evil.example:PORT`, '127.0.0.1:1'])('answers 403 without the content to Host %s', async (host) => {
    for (const target of ['/', '/index.html', '/__fleuron/version', '/missing']) {
      const response = await fetchRaw(preview.url, target, { headers: { host: host.replace('PORT', port) } });
      expect({ target, status: response.status }).toEqual({ target, status: 403 });
      expect(response.body.toString()).not.toContain('Brouillon');
    }
  });
});
