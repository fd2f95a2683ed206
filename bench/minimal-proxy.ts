// The floor: the smallest useful Node proxy, ten lines with fetch, no auth, no parsing, no logging.
import { createServer } from 'node:http';
const up = process.argv[2]!;
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const r = await fetch(up + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
  res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
  for await (const c of r.body!) res.write(c);
  res.end();
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
