/** Pure: a publish plan sorted into what a person checks before pressing Publish, each page with its preview URL. */
import type { Plan } from '../../publish/types.js';
import { isPage } from '../../publish/page-keys.js';

export type GroupName = 'new pages' | 'changed pages' | 'deleted pages' | 'assets' | 'header updates';

export interface PlanItem {
  /** The object key, without the site's prefix. */
  path: string;
  /** Where the preview serves it (undefined for what the site no longer has). */
  previewUrl?: string;
  /** Bytes uploaded for it (0 for deletes and header updates). */
  bytes: number;
  reason: string;
}

export interface PlanGroup {
  name: GroupName;
  items: PlanItem[];
  bytes: number;
}

export interface PlanView {
  groups: PlanGroup[];
  changes: number;
  unchanged: number;
  deletes: number;
  bytes: number;
}

/** The same rule as the plan's own page/asset split (lib/publish/plan.ts): an HTML key is a page. */

/** `reunions/index.html` → `/reunions/`, `Réunion.html` → `/R%C3%A9union.html` (as the preview routes it). */
export function previewUrlOf(path: string, indexDocument = 'index.html'): string {
  const withoutIndex = path === indexDocument || path.endsWith(`/${indexDocument}`) ? path.slice(0, path.length - indexDocument.length) : path;
  return `/${withoutIndex.split('/').map(encodeURIComponent).join('/')}`;
}

export function groupPlan(plan: Plan, prefix: string, indexDocument = 'index.html'): PlanView {
  const strip = (key: string) => (key.startsWith(prefix) ? key.slice(prefix.length) : key);
  const groups = new Map<GroupName, PlanItem[]>(
    (['new pages', 'changed pages', 'deleted pages', 'assets', 'header updates'] as const).map((name) => [name, []]),
  );
  const add = (name: GroupName, item: PlanItem) => groups.get(name)!.push(item);
  for (const action of plan.uploads) {
    const path = strip(action.key);
    const item = { path, previewUrl: previewUrlOf(path, indexDocument), bytes: action.file.size, reason: action.reason };
    add(!isPage(path) ? 'assets' : action.reason === 'new' ? 'new pages' : 'changed pages', item);
  }
  for (const action of plan.deletes) {
    const path = strip(action.key);
    add(isPage(path) ? 'deleted pages' : 'assets', { path, bytes: 0, reason: action.reason });
  }
  for (const action of plan.headerUpdates) {
    const path = strip(action.key);
    add('header updates', { path, previewUrl: previewUrlOf(path, indexDocument), bytes: 0, reason: action.reason });
  }
  const byPath = (a: PlanItem, b: PlanItem) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const list = [...groups].map(([name, items]) => ({ name, items: items.sort(byPath), bytes: items.reduce((sum, item) => sum + item.bytes, 0) }));
  return {
    groups: list.filter((group) => group.items.length > 0),
    changes: plan.uploads.length + plan.deletes.length + plan.headerUpdates.length,
    unchanged: plan.unchanged,
    deletes: plan.deletes.length,
    bytes: list.reduce((sum, group) => sum + group.bytes, 0),
  };
}
