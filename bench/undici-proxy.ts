// A second floor: the same 10-line proxy on an undici Pool instead of fetch (what Quarry itself uses upstream), to
// show what one extra hop costs on this machine before any gateway work is done.
import { createServer } from 'node:http';
import { Pool } from 'undici';
const up = new Pool(process.argv[2]!, { connections: 128 });
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const r = await up.request({ path: req.url!, method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
  res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type']) });
  for await (const c of r.body) res.write(c);
  res.end();
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
