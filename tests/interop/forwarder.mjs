// A tiny HTTP forwarder that lets the conformance suite (which cannot send credentials) reach an
// authenticated mcpcp route: it listens on 127.0.0.1 and forwards every request, path unchanged,
// to the gateway with `Authorization: Bearer <token>` added.
//
// Usage: node forwarder.mjs --target http://127.0.0.1:GATEWAY_PORT --token TOKEN [--log FILE]
// First stdout line: "forwarder listening on http://127.0.0.1:PORT".
//
// - Host and Origin are rewritten only when they name the forwarder itself (its own host:port),
//   to the same host name at the gateway's port, so a request the suite addresses to us stays
//   valid while its deliberately evil Host/Origin (dns-rebinding-protection) reach the gateway
//   untouched.
// - Responses are streamed back chunk by chunk as they arrive (SSE must not be buffered), and a
//   client that disconnects closes the gateway connection too.
// - --log FILE appends one JSON line per request (token elided) and per response chunk, to
//   capture exchanges.
import { appendFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const target = new URL(option('--target') ?? '');
const token = option('--token');
const logFile = option('--log');
if (!token || target.protocol !== 'http:') {
  console.error('usage: node forwarder.mjs --target http://HOST:PORT --token TOKEN [--log FILE]');
  process.exit(2);
}

/** Hop-by-hop headers, which a proxy must not forward (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

let exchange = 0;
const log = (entry) => {
  if (logFile) appendFileSync(logFile, `${JSON.stringify({ t: Date.now(), ...entry })}\n`);
};

const server = createServer((req, res) => {
  const id = ++exchange;
  const own = new Set(['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${server.address().port}`));
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const host = (req.headers.host ?? '').toLowerCase();
  if (own.has(host)) headers.host = `${host.slice(0, host.lastIndexOf(':'))}:${target.port}`;
  const origin = req.headers.origin?.toLowerCase();
  if (origin?.startsWith('http://') && own.has(origin.slice('http://'.length))) {
    headers.origin = `http://${origin.slice('http://'.length, origin.lastIndexOf(':'))}:${target.port}`;
  }
  headers.authorization = `Bearer ${token}`;

  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (answer) => {
      const answerHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name)) answerHeaders[name] = value;
      }
      log({ id, dir: 'response', status: answer.statusCode, headers: answer.headers });
      res.writeHead(answer.statusCode, answerHeaders);
      res.flushHeaders();
      answer.on('data', (chunk) => {
        log({ id, dir: 'response-chunk', data: chunk.toString('utf8') });
        res.write(chunk);
      });
      answer.on('end', () => res.end());
      answer.on('error', () => res.destroy());
    },
  );
  upstream.on('error', (error) => {
    log({ id, dir: 'error', error: String(error) });
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`forwarder: ${error.message}\n`);
    } else {
      res.destroy();
    }
  });
  // The client went away (e.g. it closed an SSE stream): close the gateway side too.
  res.on('close', () => upstream.destroy());

  const body = [];
  req.on('data', (chunk) => {
    body.push(chunk);
    upstream.write(chunk);
  });
  req.on('end', () => {
    const logged = { ...headers, authorization: 'Bearer <token>' };
    log({ id, dir: 'request', method: req.method, url: req.url, headers: logged, body: Buffer.concat(body).toString('utf8') });
    upstream.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`forwarder listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
