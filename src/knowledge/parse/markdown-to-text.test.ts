import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownToText } from './markdown-to-text.js';

test('markup goes, words stay; the first heading is the title', () => {
  const { text, title } = markdownToText(
    [
      '# Quarry **Guide** #',
      '',
      'Some *emphasis*, __strong__, ~~struck~~, a [link](http://x.y "t"), ![a diagram](d.png), snake_case_name and 5 * 3.',
      'See [the spec][1] or <https://example.com>; `code *stays*` as written. Escaped \\*stars\\*.',
      '',
      'Setext heading',
      '--------------',
      '',
      '> quoted **text**',
      '',
      '* one',
      '+ two',
      '- [x] done',
      '1. first',
      '',
      '| Rock | Hardness |',
      '|:-----|---------:|',
      '| Granite | 6 |',
      '',
      '***',
      '<!-- a comment',
      'over two lines -->',
      '<div class="note">HTML <b>inside</b></div> &amp; &lt;tag&gt; &#169;',
      '',
      '[1]: http://example.com/spec',
    ].join('\n'),
  );
  assert.equal(title, 'Quarry Guide');
  assert.equal(
    text,
    [
      'Quarry Guide',
      '',
      'Some emphasis, strong, struck, a link, a diagram, snake_case_name and 5 * 3.',
      'See the spec or https://example.com; code *stays* as written. Escaped *stars*.',
      '',
      'Setext heading',
      '',
      'quoted text',
      '',
      '- one',
      '- two',
      '- done',
      '1. first',
      '',
      'Rock | Hardness',
      'Granite | 6',
      '',
      'HTML inside & <tag> ©',
    ].join('\n'),
  );
});

test('fenced code is kept verbatim, fences dropped', () => {
  const { text } = markdownToText('Before\n\n```ts\nconst x = **1**; // [not](a link)\n```\n\n~~~\n# not a heading\n~~~\nAfter');
  assert.equal(text, 'Before\n\nconst x = **1**; // [not](a link)\n\n# not a heading\nAfter');
});

test('YAML front matter is dropped and its title wins', () => {
  const { text, title } = markdownToText('---\ntitle: From Front Matter\ntags: [a, b]\n---\n# Heading\nBody');
  assert.equal(title, 'From Front Matter');
  assert.equal(text, 'Heading\n\nBody');
});

test('hostile lines cost linear time', () => {
  const n = 1_000_000;
  for (const line of ['['.repeat(n), '<!--'.repeat(n / 4), '`'.repeat(n), '*_'.repeat(n / 2), `# ${' '.repeat(n)}x`, '[a]('.repeat(n / 4), '<a '.repeat(n / 3)]) {
    const started = performance.now();
    markdownToText(`${line}\n${line}`);
    const ms = performance.now() - started;
    // Linear is ~0.2 s here; quadratic on a million characters would take hours. The bound leaves room for a loaded machine.
    assert.ok(ms < 15_000, `${JSON.stringify(line.slice(0, 8))}… took ${ms.toFixed(0)} ms`);
  }
});
