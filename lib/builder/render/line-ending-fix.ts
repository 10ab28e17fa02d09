/**
 * A micromark HTML extension that keeps the line endings of a code or HTML block micromark 4.0.3 would drop.
 *
 * micromark's compiler swallows line endings while its `slurpAllLineEndings` flag is set: between the link
 * reference definitions of a paragraph-like block until its paragraph starts, and after a paragraph in a tight list
 * item. When that block holds only definitions (`[x]: /url`), or the tight paragraph is followed by code in the
 * same item, no paragraph clears the flag, and every line ending of the next fenced or indented code block, `<pre>`
 * or HTML comment is lost (`<pre><code>ab</code></pre>` for two lines). The flag never has a reason to be set inside
 * such a block, so it is cleared at the block's first token, before its first line ending. Reported upstream: see
 * "Markdown conformance" in the README.
 */
import type { Options } from 'micromark';

type HtmlExtension = NonNullable<Options['htmlExtensions']>[number];

function keepLineEndings(this: { setData: (key: 'slurpAllLineEndings', value?: boolean) => void }): undefined {
  this.setData('slurpAllLineEndings');
  return undefined;
}

/**
 * The tokens chosen have no handler of micromark's own to replace: a fenced block's fence (before the
 * `slurpOneLineEnding` it sets for the line ending after the opening fence), the first value of an indented block,
 * the first data of an HTML block.
 */
export const lineEndingFix: HtmlExtension = {
  enter: {
    codeFencedFence: keepLineEndings,
    codeFlowValue: keepLineEndings,
    htmlFlowData: keepLineEndings,
  },
};
