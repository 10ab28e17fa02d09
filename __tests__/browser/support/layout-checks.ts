/** Measurements of an open page's layout (through page.evaluate: the pages themselves run no JavaScript). */
import type { Page } from 'playwright-core';

/** The dates (`<time>`) laid out on more than one line, as their text. */
export async function datesOnSeveralLines(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('time')].filter((time) => time.getClientRects().length > 1).map((time) => time.textContent)`)) as string[];
}

export interface BoxWidths {
  tag: string;
  /** Right edge in the viewport, in CSS pixels. */
  right: number;
  clientWidth: number;
  scrollWidth: number;
}

/** The width of every element matching `selector`: its box, and what it holds. */
export async function boxWidths(page: Page, selector: string): Promise<BoxWidths[]> {
  return (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => ({
    tag: element.tagName.toLowerCase(),
    right: Math.round(element.getBoundingClientRect().right),
    clientWidth: element.clientWidth,
    scrollWidth: element.scrollWidth,
  }))`)) as BoxWidths[];
}
