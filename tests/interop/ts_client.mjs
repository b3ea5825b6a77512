// Interop checks 2 and 3: the official TypeScript SDK 1.x client (StreamableHTTPClientTransport
// with an Authorization header) talks to an upstream through mcpcp.
//
// Usage: node ts_client.mjs fixture|everything URL TOKEN
//   fixture:    the rmcp stdio fixture (fixture-stdio): tools, echo, a resource, sampling,
//               elicitation and progress round trips.
//   everything: @modelcontextprotocol/server-everything over stdio: tools/list and its echo and
//               get-sum tools.
// Prints one `PASS name` or `FAIL name: why` line per assertion; exits 1 if any failed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const [mode, url, token] = process.argv.slice(2);
if (!['fixture', 'everything'].includes(mode) || !url || !token) {
  console.error('usage: node ts_client.mjs fixture|everything URL TOKEN');
  process.exit(2);
}
const tag = `ts-${mode}`;
let failures = 0;

/** Records one assertion. */
function check(name, ok, detail) {
  if (ok) {
    console.log(`PASS ${tag}: ${name}`);
  } else {
    failures += 1;
    console.log(`FAIL ${tag}: ${name}: ${JSON.stringify(detail)}`);
  }
}

/** The concatenated text blocks of a tool result. */
const textOf = (result) =>
  (result.content ?? []).filter((block) => block.type === 'text').map((block) => block.text).join('');

/** The fixture checks (rmcp `fixture-stdio` upstream). */
async function fixture(client, seen) {
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  check(
    'tools/list has the fixture tools',
    ['echo', 'add', 'progress', 'sample', 'elicit'].every((name) => names.includes(name)),
    names,
  );

  const echo = await client.callTool({ name: 'echo', arguments: { text: 'hello from ts' } });
  check(
    'tools/call echo',
    !echo.isError && textOf(echo) === 'hello from ts' && echo.structuredContent?.echo === 'hello from ts',
    echo,
  );

  const resource = await client.readResource({ uri: 'fixture://static' });
  const first = resource.contents?.[0];
  check(
    'resources/read fixture://static',
    first?.uri === 'fixture://static' && first?.text === 'static resource' && first?.mimeType === 'text/plain',
    resource,
  );

  const sampled = await client.callTool({ name: 'sample', arguments: { prompt: 'ping from ts' } });
  check('sampling round trip (tool result)', textOf(sampled) === 'sampled: pong from ts', sampled);
  check(
    'sampling request reached the client intact',
    seen.sampling.length === 1 &&
      seen.sampling[0].maxTokens === 100 &&
      seen.sampling[0].messages?.[0]?.content?.text === 'ping from ts',
    seen.sampling,
  );

  const elicited = await client.callTool({ name: 'elicit', arguments: { message: 'Name?' } });
  check('elicitation round trip', textOf(elicited) === 'elicited: accept {"name":"Grace"}', elicited);

  const progress = [];
  const done = await client.callTool({ name: 'progress', arguments: { steps: 3 } }, undefined, {
    onprogress: (p) => progress.push(p),
  });
  check(
    '3 progress notifications with the request token',
    textOf(done) === 'done' && JSON.stringify(progress.map((p) => [p.progress, p.total])) === '[[1,3],[2,3],[3,3]]',
    progress,
  );
}

/** The server-everything checks (its stdio server as the upstream). */
async function everything(client) {
  const info = client.getServerVersion();
  check('serverInfo is server-everything', /everything/i.test(info?.name ?? ''), info);
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  check('tools/list has echo and get-sum', names.includes('echo') && names.includes('get-sum'), names);
  const echo = await client.callTool({ name: 'echo', arguments: { message: 'hi everything' } });
  check('tools/call echo', !echo.isError && textOf(echo) === 'Echo: hi everything', echo);
  const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
  check('tools/call get-sum', textOf(sum) === 'The sum of 2 and 3 is 5.', sum);
}

async function main() {
  const client = new Client(
    { name: 'mcpcp-interop-ts', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  const seen = { sampling: [] };
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    seen.sampling.push(request.params);
    return {
      role: 'assistant',
      content: { type: 'text', text: 'pong from ts' },
      model: 'interop-model',
      stopReason: 'endTurn',
    };
  });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Grace' } }));

  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  check('initialize through mcpcp', typeof transport.sessionId === 'string', transport.sessionId);
  try {
    if (mode === 'fixture') await fixture(client, seen);
    else await everything(client);
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
}

try {
  await main();
} catch (error) {
  check('client session ran to the end', false, String(error?.stack ?? error));
}
process.exit(failures ? 1 : 0);
