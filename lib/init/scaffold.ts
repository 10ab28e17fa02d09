/** `fleuron init`: the files of a new site project. The content is pure data; writing refuses to overwrite. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { usageError } from '../errors/fleuron-error.js';

export interface ScaffoldOptions {
  title: string;
  /** `fr` or `en`: the first page's words and the site language. */
  language: 'fr' | 'en';
}

export interface ScaffoldFile {
  path: string;
  content: string;
}

const WORDS = {
  fr: {
    welcome: 'Bienvenue',
    intro: 'Ceci est la première page de votre site. Modifiez `site-src/index.md`, puis publiez avec `fleuron publish`.',
    next: 'Pour voir le site sur votre machine : `fleuron publish --local`.',
    description: 'Un petit site, léger et sans JavaScript.',
    planetTitle: 'Les blogs des membres',
  },
  en: {
    welcome: 'Welcome',
    intro: 'This is the first page of your site. Edit `site-src/index.md`, then publish with `fleuron publish`.',
    next: 'To see the site on your machine: `fleuron publish --local`.',
    description: 'A small, light, JavaScript-free site.',
    planetTitle: "Our members' blogs",
  },
} as const;

export function scaffoldFiles(options: ScaffoldOptions): ScaffoldFile[] {
  const words = WORDS[options.language];
  const yamlTitle = JSON.stringify(options.title);
  return [
    {
      path: 'site-src/fleuron.yaml',
      content: `# The site: see the README of fleuron for every key.
title: ${yamlTitle}
baseUrl: https://example.org/
language: ${options.language}
description: ${JSON.stringify(words.description)}

# Where to publish (no secrets here: keys go in .env, or in your CI's secret store).
publish:
  # bucket: my-site.example.org
  # endpoint: https://garage.example.org
  region: garage

# A planet: your members' blogs gathered into planet/ at each build (their feeds are fetched then).
# Remove the leading "# " of the lines below to use it.
# planet:
#   path: planet/
#   title: ${JSON.stringify(words.planetTitle)}
#   feeds:
#     - { url: https://blog.example.org/feed.xml, name: Camille, site: https://blog.example.org/ }
#     - { url: https://notes.example.net/atom.xml, name: Dominique }
`,
    },
    {
      path: 'site-src/index.md',
      content: `---
title: ${yamlTitle}
description: ${JSON.stringify(words.description)}
---

# ${words.welcome}

${words.intro}

${words.next}
`,
    },
    {
      path: '.env.example',
      content: `# Copy to .env (never committed) and fill in the keys your bucket admin gave you.
AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=
AWS_ENDPOINT_URL=https://garage.example.org
AWS_REGION=garage
FLEURON_BUCKET=my-site.example.org
`,
    },
    { path: '.gitignore', content: '.env\n.env.*\n!.env.example\npublic/\n.fleuron/\nnode_modules/\n' },
  ];
}

/** The CI pipeline examples shipped with fleuron (examples/ci at the package root). */
function examplesDir(): string {
  // dist/init/scaffold.js and lib/init/scaffold.ts are both two levels below the package root.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/ci');
}

export async function ciExampleFiles(): Promise<ScaffoldFile[]> {
  const dir = examplesDir();
  const names = (await readdir(dir)).filter((name) => name.endsWith('.yml')).sort();
  return Promise.all(names.map(async (name) => ({ path: `ci-examples/${name}`, content: await readFile(path.join(dir, name), 'utf8') })));
}

/** Writes the files under `dir`; refuses before writing anything if one exists already. */
export async function writeScaffold(dir: string, files: readonly ScaffoldFile[]): Promise<void> {
  const clash = files.find((file) => existsSync(path.join(dir, file.path)));
  if (clash) {
    throw usageError('init-exists', `${path.join(dir, clash.path)} already exists; nothing was written`, 'choose a new folder: fleuron init my-site');
  }
  for (const file of files) {
    const target = path.join(dir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}
