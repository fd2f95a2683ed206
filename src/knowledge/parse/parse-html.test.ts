import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from './parse-document.js';

const html = (s: string) => ({ name: 'page.html', bytes: new TextEncoder().encode(s) });

const ARTICLE = `<!doctype html>
<html lang="en"><head><title>Granite | Quarry Docs</title><meta name="author" content="Ada Stone">
<script>var tracking = "SCRIPTNOISE";</script><style>.nav { color: red } /* STYLENOISE */</style></head>
<body>
  <nav><a href="/">Home</a> <a href="/about">About NAVNOISE</a></nav>
  <header><div class="site-banner">Quarry Docs HEADERNOISE</div></header>
  <main><article>
    <h1>Granite basics</h1>
    <p>Granite is a coarse-grained igneous rock composed mostly of quartz, alkali feldspar and plagioclase. It forms
       from magma with a high content of silica and alkali metal oxides that slowly cools and solidifies underground.</p>
    <p>Granite is common in the continental crust of Earth, where it is <em>found</em> in igneous intrusions. These range
       in size from dikes only a few centimeters across to batholiths exposed over hundreds of square kilometers.</p>
    <h2>Uses</h2>
    <ul><li>Countertops</li><li>Monuments &amp; buildings</li></ul>
    <table><tr><th>Mineral</th><th>Share</th></tr><tr><td>Quartz</td><td>30%</td></tr></table>
    <script>console.log("INLINESCRIPT")</script>
  </article></main>
  <footer><p>Copyright 2026 FOOTERNOISE</p><a href="/privacy">Privacy</a></footer>
</body></html>`;

test('the article is read without navigation, header, footer, scripts or styles', async () => {
  const [doc] = await parseDocument(html(ARTICLE));
  for (const noise of ['NAVNOISE', 'HEADERNOISE', 'FOOTERNOISE', 'SCRIPTNOISE', 'STYLENOISE', 'INLINESCRIPT']) {
    assert.ok(!doc.text.includes(noise), `${noise} leaked into: ${doc.text}`);
  }
  assert.match(doc.text, /^Granite basics\n\nGranite is a coarse-grained igneous rock/);
  assert.match(doc.text, /in igneous intrusions/);
  assert.match(doc.text, /\n\nUses\n\n- Countertops\n- Monuments & buildings\n\nMineral \| Share\nQuartz \| 30%$/);
  assert.equal(doc.title, 'Granite | Quarry Docs');
  assert.deepEqual(doc.metadata, { author: 'Ada Stone', language: 'en' });
});

test('a page Readability finds nothing in falls back to the body text, still without scripts and navigation', async () => {
  const [doc] = await parseDocument(html('<nav>Menu</nav><p>Opening hours: <b>9–5</b></p><script>x()</script>'));
  assert.equal(doc.text, 'Opening hours: 9–5');
  const [bare] = await parseDocument({ name: 'page', contentType: 'text/html', bytes: new TextEncoder().encode('just text') });
  assert.equal(bare.text, 'just text');
});

test('pre keeps its whitespace; br breaks a line', async () => {
  const [doc] = await parseDocument(html('<p>line one<br>line two</p><pre>  indented\n    more</pre>'));
  assert.equal(doc.text, 'line one\nline two\n\n  indented\n    more');
});

test('the charset comes from the content type, else from a <meta> tag', async () => {
  const latin1 = Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 cr\xe8me</p></body></html>', 'latin1');
  assert.equal((await parseDocument({ name: 'a.html', bytes: latin1 }))[0].text, 'Café crème');
  const declared = Buffer.from('<p>\x93quoted\x94</p>', 'latin1');
  const [doc] = await parseDocument({ name: 'b', contentType: 'text/html; charset=windows-1252', bytes: declared });
  assert.equal(doc.text, '“quoted”');
});

test('hostile nesting is read as plain text, quickly, instead of hanging the parser', async () => {
  const warnings: string[] = [];
  const started = performance.now();
  const [deep] = await parseDocument(html(`${'<div>'.repeat(200_000)}deep text<script>bad()</script>`), {
    onWarning: (w) => warnings.push(w),
  });
  assert.equal(deep.text, 'deep text');
  const [wide] = await parseDocument(html(`<body>${'<div><span>cell</span></div>'.repeat(40_000)}</body>`), {
    onWarning: (w) => warnings.push(w),
  });
  assert.equal(wide.text.split('\n').length, 40_000);
  const ms = performance.now() - started;
  // A guard against the parser hanging (quadratic or unbounded work on such input), not a speed target: on a quiet
  // machine this takes about a second, and a bound that tight fails on a loaded CI host.
  assert.ok(ms < 30_000, `took ${ms.toFixed(0)} ms`);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /^page\.html: markup nested over 2000 deep/);
  assert.match(warnings[1], /too large for reader view/);
});
