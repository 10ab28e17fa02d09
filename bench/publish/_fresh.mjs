import { statSync } from 'node:fs';
import path from 'node:path';
import { changeAndTouch, chooseFiles, walk } from './generate.mjs';
const dir = process.argv[2]; const seed = Number(process.argv[3] ?? 7);
const list = walk(dir).map((key) => ({ key, size: statSync(path.join(dir, key)).size, large: false }));
changeAndTouch(dir, chooseFiles(list, Math.round(list.length / 100), seed), seed);
