/** git as the tests run it: a fixed author, and the repository as HOME (no user's config or attributes). */
import { execFileSync } from 'node:child_process';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd } });
}

/**
 * Files written within the clock tick that git's index is written are "racily clean": git (and fleuron) trusts none
 * of their stamps. `git status` a tick later checks them and writes the index again, as a clone of thousands of files
 * has most of them older than its index anyway.
 */
export async function settle(root: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  git(root, 'status', '--porcelain');
}
