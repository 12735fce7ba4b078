import { describe, expect, it } from 'vitest';
import { markdownText, renderMarkdown } from '../../src/library/markdown.js';

describe('library Markdown', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script>', /<script/i],
    ['an event handler', '<img src=x onerror="alert(1)">', /<[a-z]+[^>]*\sonerror=/i],
    ['a javascript: link', '[click me](javascript:alert(1))', /href="javascript:/i],
    ['a javascript: link in angle brackets', '<javascript:alert(1)>', /href="javascript:/i],
    ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', /href="data:/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>', /<[a-z]+[^>]*\sstyle=/i],
    ['an autolinked vbscript: url', 'vbscript:msgbox(1)', /href="vbscript/i],
  ])('removes %s', (_what, source, forbidden) => {
    expect(renderMarkdown(source)).not.toMatch(forbidden);
    // Whatever is left is inert text, shown escaped.
    expect(renderMarkdown(source)).not.toMatch(/<(img|script|iframe|object|embed|svg|style)\b/i);
  });

  it('keeps ordinary formatting, shifts headings below the page title and makes links safe', () => {
    const html = renderMarkdown('# Title\n\n## Part\n\n* **one**\n* [NHS](https://www.nhs.uk)');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<h3>Part</h3>');
    expect(html).toContain('<strong>one</strong>');
    expect(html).toContain('<a href="https://www.nhs.uk" rel="noopener noreferrer">NHS</a>');
  });

  it('gives plain text for the search index', () => {
    expect(markdownText('## Coping\n\n* plan **ahead**')).toBe('Coping plan ahead');
  });
});
