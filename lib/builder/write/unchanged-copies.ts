/**
 * Finds the copied files (images, the theme's CSS…) whose copy in the output folder already holds the source's
 * bytes: trusted from the stamps of both when unchanged since an earlier build compared them, else compared now
 * (and their stamps remembered for the next build). A site of many images is then not read again at each build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileStats, stampOf, trustedStamp, type StampKey } from '../../files/file-stamp.js';

/** A copied file whose copy was found to hold the source's bytes, with the stamps both had then. */
export interface RememberedCopy {
  source: StampKey;
  output: StampKey;
}

export interface CopyMemory {
  getCopy(outputPath: string): RememberedCopy | undefined;
  setCopy(outputPath: string, copy: RememberedCopy | undefined): void;
}

/** Output paths of the copies (output path → absolute source path) that need no copying. */
export function unchangedCopies(copies: ReadonlyMap<string, string>, outDir: string, memory: CopyMemory): Set<string> {
  const unchanged = new Set<string>();
  for (const [outputPath, sourceFile] of copies) {
    const stampedAt = Date.now();
    const source = fileStats(sourceFile);
    const output = fileStats(path.join(outDir, outputPath));
    const known = memory.getCopy(outputPath);
    if (known && source && output && known.source === stampOf(source) && known.output === stampOf(output)) {
      unchanged.add(outputPath);
      continue;
    }
    if (!source || !output || source.size !== output.size || !sameBytes(sourceFile, path.join(outDir, outputPath))) {
      memory.setCopy(outputPath, undefined);
      continue;
    }
    unchanged.add(outputPath);
    const trusted = { source: trustedStamp(source, stampedAt), output: trustedStamp(output, stampedAt) };
    memory.setCopy(outputPath, trusted.source && trusted.output ? { source: trusted.source, output: trusted.output } : undefined);
  }
  return unchanged;
}

/** Synchronous, like the loader's reads. */
function sameBytes(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}
