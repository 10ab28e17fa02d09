/**
 * Bundles the compiled CLI (dist/, from tsc) into dist/bundle/ with esbuild, for start-up time: Node
 * resolves, reads and compiles ~600 separate modules for a publish otherwise (the AWS SDK alone is
 * hundreds), about 0.4 s of CPU before any work. Code loaded on demand (the builder, the embedded
 * server, credential providers) stays in chunks of its own, loaded only when used.
 *
 * dist/bundle/ sits one level under dist/, like dist/cli/, so paths a module computes from its own
 * location (the theme, examples/ci, dist/local-server/s3rver-process.js) resolve the same bundled or
 * not. The render and hash workers are entries of their own, next to the chunks that start them.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * `string-width` (three copies: yargs', cliui's, wrap-ansi's; they measure text for yargs' help layout) builds an ICU
 * segmenter and Unicode-property regular expressions when it is imported: 40-55 ms of every command's start on Node
 * 20 and 24 alike (`new Intl.Segmenter()` 14-17 ms, `/^\p{RGI_Emoji}$/v` 25 ms, measured alone), for widths that
 * only --help and usage errors need (a publish never renders help: lib/cli/main.ts). Each import of it gets a
 * function that requires it on first call instead: esbuild runs a module that is required, not imported, only when
 * the require runs.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      args.kind === 'require-call' ? undefined : { path: `string-width (lazy, for ${path.relative(dist, args.resolveDir)})`, namespace: 'lazy-string-width', pluginData: args.resolveDir },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: "let loaded;\nexport default function stringWidth(text, options) {\n  loaded ??= require('string-width');\n  return loaded.default(text, options);\n}\n",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { main: `${dist}cli/main.js`, 'render-worker': `${dist}builder/render/render-worker.js`, 'hash-worker': `${dist}publish/hash-worker.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // Runs in its own process, from dist/local-server/ (s3rver reads files next to its own sources).
  external: ['s3rver'],
  // CommonJS dependencies (the AWS SDK) call require(); ESM output has none of its own.
  banner: { js: "import { createRequire as __fleuronRequire } from 'node:module'; const require = __fleuronRequire(import.meta.url);" },
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [lazyStringWidth],
});
