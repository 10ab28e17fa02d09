import { codeRanges, findTemplateTags, replaceTemplateTags } from '../../lib/builder/load/template-tags.js';

const names = (text: string) => findTemplateTags(text).map((tag) => `${tag.syntax}:${tag.name}:${tag.line}`);

describe('findTemplateTags', () => {
  it('finds each generator\'s tags with their lines', () => {
    const text = [
      'Intro {{< note kind="tip" >}}inside{{< /note >}}', // 1
      '{{% details title="More" %}}', // 2
      'hidden', // 3
      '{{% /details %}}', // 4
      '{% include "partials/signup.njk" %}', // 5
      '{{#playground example.rs}}', // 6
      '{{ youtube(id="abc") }}', // 7
      '{% aside(kind="warn") %}careful{% end %}', // 8
    ].join('\n');
    expect(names(text)).toEqual([
      'hugo:note:1', 'hugo:note:1', 'hugo:details:2', 'hugo:details:4', 'liquid:include:5', 'mdbook:playground:6', 'zola:youtube:7', 'zola:aside:8', 'zola:end:8',
    ]);
  });

  it('leaves tags in fenced code and inline code alone, and mdBook includes to the loader', () => {
    const text = ['`{{< inline >}}` and ``{% a %}``', '```', '{{< fenced >}}', '```', '~~~~', '{% also %}', '~~~~', '{{#include x.rs}}', 'then {{< real >}}'].join('\n');
    expect(names(text)).toEqual(['hugo:real:9']);
    expect(codeRanges('a\n```\nb\n```\nc').length).toBe(1);
  });

  it('keeps an unmatched backtick from hiding the tags after it', () => {
    expect(names('a ` b {{< x >}}')).toEqual(['hugo:x:1']);
  });
});

describe('replaceTemplateTags', () => {
  it('removes tags and keeps the text between a pair, keeping line numbers', () => {
    expect(replaceTemplateTags('A {{< note >}}kept{{< /note >}} B')).toBe('A kept B');
    expect(replaceTemplateTags('{{< gallery\n  dir="photos" >}}\nnext')).toBe('\n\nnext');
    expect(replaceTemplateTags('{{< figure\n  src="a.png" >}}\nnext')).toBe('![](<a.png>)\n\nnext');
  });

  it('turns ref and relref into links, highlight into a code fence, URL filters into their path, escapes into text', () => {
    expect(replaceTemplateTags('[a]({{< ref "docs/x.md#y" >}}) [b]({{< relref "x" >}})')).toBe('[a](@ref/docs/x.md#y) [b](@ref/x)');
    expect(replaceTemplateTags('{{< highlight go >}}\nx := 1\n{{< /highlight >}}')).toBe('```go\nx := 1\n```');
    expect(replaceTemplateTags('{% highlight ruby %}\nputs 1\n{% endhighlight %}')).toBe('```ruby\nputs 1\n```');
    expect(replaceTemplateTags("[About]({{ '/about/' | url }}) [Docs]({{ site.baseurl }}/docs/)")).toBe('[About](/about/) [Docs](/docs/)');
    expect(replaceTemplateTags('{{</* note */>}}')).toBe('{{< note >}}');
    expect(replaceTemplateTags('{{< figure src="/img/hive [1].jpg" caption="A top-bar hive" >}}')).toBe('![A top-bar hive](</img/hive [1].jpg>)');
    expect(replaceTemplateTags("{{< figure src=frames.png alt='Bars [48 mm]' >}}")).toBe('![Bars \\[48 mm\\]](<frames.png>)');
  });
});
