// The upstream MCP server for the conformance suite (@modelcontextprotocol/conformance, `server`
// command): mcpcp's own implementation of every tool, resource and prompt the suite's server
// scenarios call by name, written against the TypeScript SDK 1.x low-level `Server` so every
// payload is exactly what the scenario descriptions ask for.
//
// Usage:
//   node conformance_fixture.mjs [--port N]   Streamable HTTP at http://127.0.0.1:N/mcp (N=0: any
//                                             free port). First stdout line:
//                                             "conformance fixture listening on http://127.0.0.1:PORT/mcp"
//   node conformance_fixture.mjs --stdio      the same server over stdio (one session)
//
// Over HTTP it is stateful (one Server per session, Mcp-Session-Id), answers server→client
// traffic (progress, logging, sampling, elicitation) on the SSE stream of the related POST, keeps
// its streams resumable (an event store: priming events, `retry`, GET with Last-Event-ID; the
// tool test_reconnection closes its stream before answering), and refuses a Host or Origin that
// is not its own loopback address (dns-rebinding-protection).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  LoggingLevelSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js';

/** A 1x1 red pixel PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
/** A WAV file: 8 silent 8-bit mono samples at 8 kHz. */
const WAV_BASE64 = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==';
/** MCP error code for an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value) => ({ type: 'text', text: value });
const noArgs = { type: 'object', properties: {} };

/** The tools every session lists; `handler(args, extra, session)` returns a CallToolResult. */
const TOOLS = [
  {
    name: 'test_simple_text',
    description: 'Returns one text block',
    inputSchema: noArgs,
    handler: () => ({ content: [text('This is a simple text response for testing.')] }),
  },
  {
    name: 'test_image_content',
    description: 'Returns a PNG image block',
    inputSchema: noArgs,
    handler: () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns a WAV audio block',
    inputSchema: noArgs,
    handler: () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource',
    inputSchema: noArgs,
    handler: () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource blocks',
    inputSchema: noArgs,
    handler: () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications about 50 ms apart',
    inputSchema: noArgs,
    handler: async (_args, extra, session) => {
      const messages = ['Tool execution started', 'Tool processing data', 'Tool execution completed'];
      for (const [i, data] of messages.entries()) {
        if (i > 0) await sleep(50);
        if (session.logs('info')) {
          await extra.sendNotification({
            method: 'notifications/message',
            params: { level: 'info', logger: 'conformance-fixture', data },
          });
        }
      }
      return { content: [text('Tool with logging executed successfully')] };
    },
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100 about 50 ms apart',
    inputSchema: noArgs,
    handler: async (_args, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (const [i, progress] of [0, 50, 100].entries()) {
        if (i > 0) await sleep(50);
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100 },
          });
        }
      }
      return { content: [text('Tool with progress executed successfully')] };
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails with isError: true',
    inputSchema: noArgs,
    handler: () => ({ isError: true, content: [text('This tool intentionally returns an error for testing')] }),
  },
  {
    name: 'test_reconnection',
    description:
      'Closes its SSE stream before answering (SEP-1699 polling; over HTTP, whose transport keeps an event store), ' +
      'then answers after 100 ms: the answer reaches a client that resumes with GET and Last-Event-ID',
    inputSchema: noArgs,
    handler: async (_args, extra) => {
      extra.closeSSEStream?.();
      await sleep(100);
      return { content: [text('Reconnection test completed successfully: the answer came after the stream was resumed')] };
    },
  },
  {
    name: 'test_sampling',
    description: 'Asks the client to sample (sampling/createMessage) and returns its reply',
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
    handler: async (args, extra, session) => {
      if (!session.client()?.sampling) return errorResult('The client does not support sampling');
      const reply = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: text(String(args.prompt ?? '')) }], maxTokens: 100 },
        },
        CreateMessageResultSchema,
      );
      const replyText = reply.content?.type === 'text' ? reply.content.text : JSON.stringify(reply.content);
      return { content: [text(`LLM response: ${replyText}`)] };
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the client for a username and email (elicitation/create)',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
    },
    handler: (args, extra, session) =>
      elicit(extra, session, 'User response', String(args.message ?? ''), {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      }),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicits a form whose primitive fields all have defaults (SEP-1034)',
    inputSchema: noArgs,
    handler: (_args, extra, session) =>
      elicit(extra, session, 'Elicitation completed', 'Please review the defaults', {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Name', default: 'John Doe' },
          age: { type: 'integer', description: 'Age', default: 30 },
          score: { type: 'number', description: 'Score', default: 95.5 },
          status: {
            type: 'string',
            description: 'Status',
            enum: ['active', 'inactive', 'pending'],
            default: 'active',
          },
          verified: { type: 'boolean', description: 'Verified', default: true },
        },
      }),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicits a form with the five enum schema variants (SEP-1330)',
    inputSchema: noArgs,
    handler: (_args, extra, session) =>
      elicit(extra, session, 'Elicitation completed', 'Please choose', {
        type: 'object',
        properties: {
          untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          titledSingle: {
            type: 'string',
            oneOf: [
              { const: 'value1', title: 'First Option' },
              { const: 'value2', title: 'Second Option' },
              { const: 'value3', title: 'Third Option' },
            ],
          },
          legacyEnum: {
            type: 'string',
            enum: ['opt1', 'opt2', 'opt3'],
            enumNames: ['Option One', 'Option Two', 'Option Three'],
          },
          untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
          titledMulti: {
            type: 'array',
            items: {
              anyOf: [
                { const: 'value1', title: 'First Choice' },
                { const: 'value2', title: 'Second Choice' },
                { const: 'value3', title: 'Third Choice' },
              ],
            },
          },
        },
      }),
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
    handler: (args) => ({ content: [text(`Received: ${JSON.stringify(args)}`)] }),
  },
  {
    name: 'test_dynamic_tool',
    description: 'Adds the tool test_dynamic_tool_added to this session and sends notifications/tools/list_changed',
    inputSchema: noArgs,
    handler: async (_args, _extra, session) => {
      session.dynamicToolAdded = true;
      await session.server.sendToolListChanged();
      return { content: [text('Tool test_dynamic_tool_added is now available')] };
    },
  },
];

/** The tool `test_dynamic_tool` makes appear. */
const ADDED_TOOL = {
  name: 'test_dynamic_tool_added',
  description: 'Exists once test_dynamic_tool was called',
  inputSchema: noArgs,
  handler: () => ({ content: [text('dynamic tool called')] }),
};

function errorResult(message) {
  return { isError: true, content: [text(message)] };
}

/** Sends `elicitation/create` on the request's stream and reports the user's answer. */
async function elicit(extra, session, label, message, requestedSchema) {
  if (!session.client()?.elicitation) return errorResult('The client does not support elicitation');
  const reply = await extra.sendRequest(
    { method: 'elicitation/create', params: { message, requestedSchema } },
    ElicitResultSchema,
  );
  return { content: [text(`${label}: action=${reply.action}, content=${JSON.stringify(reply.content ?? {})}`)] };
}

const RESOURCES = [
  { uri: 'test://static-text', name: 'static-text', description: 'A static text resource', mimeType: 'text/plain' },
  { uri: 'test://static-binary', name: 'static-binary', description: 'A static PNG image', mimeType: 'image/png' },
  {
    uri: 'test://watched-resource',
    name: 'watched-resource',
    description: 'A resource that can be subscribed to',
    mimeType: 'text/plain',
  },
];

const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;

function readResource(uri) {
  if (uri === 'test://static-text') {
    return { uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' };
  }
  if (uri === 'test://static-binary') return { uri, mimeType: 'image/png', blob: PNG_BASE64 };
  if (uri === 'test://watched-resource') return { uri, mimeType: 'text/plain', text: 'Watched resource content' };
  const match = TEMPLATE.exec(uri);
  if (match) {
    const id = decodeURIComponent(match[1]);
    return { uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) };
  }
  throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
}

const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A prompt without arguments' },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt embedding a resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  },
  { name: 'test_prompt_with_image', description: 'A prompt with an image' },
];

function getPrompt(name, args = {}) {
  const user = (content) => ({ role: 'user', content });
  switch (name) {
    case 'test_simple_prompt':
      return { messages: [user(text('This is a simple prompt for testing.'))] };
    case 'test_prompt_with_arguments':
      return { messages: [user(text(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`))] };
    case 'test_prompt_with_embedded_resource':
      return {
        messages: [
          user({
            type: 'resource',
            resource: { uri: args.resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          }),
          user(text('Please process the embedded resource above.')),
        ],
      };
    case 'test_prompt_with_image':
      return {
        messages: [
          user({ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }),
          user(text('Please analyze the image above.')),
        ],
      };
    default:
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
  }
}

/** Completion values for `test_prompt_with_arguments.arg1`. */
const ARG1_VALUES = ['paris', 'park', 'party'];

/** A new MCP server for one session, with that session's state. */
function newSession() {
  const server = new Server(
    { name: 'mcpcp-conformance-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );
  const levels = LoggingLevelSchema.options; // debug … emergency, in order of severity
  const session = {
    server,
    dynamicToolAdded: false,
    minLevel: 'debug',
    subscriptions: new Set(),
    client: () => server.getClientCapabilities(),
    logs: (level) => levels.indexOf(level) >= levels.indexOf(session.minLevel),
  };
  const tools = () => (session.dynamicToolAdded ? [...TOOLS, ADDED_TOOL] : TOOLS);

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools().map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const tool = tools().find((t) => t.name === request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    return tool.handler(request.params.arguments ?? {}, extra, session);
  });
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    session.minLevel = request.params.level;
    return {};
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: 'test://template/{id}/data',
        name: 'template',
        description: 'A resource template with one parameter',
        mimeType: 'application/json',
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => ({
    contents: [readResource(request.params.uri)],
  }));
  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    const { uri } = request.params;
    readResource(uri); // unknown URIs fail
    session.subscriptions.add(uri);
    // One update shortly after subscribing, sent unrelated to any request (the GET stream).
    setTimeout(() => {
      if (session.subscriptions.has(uri)) server.sendResourceUpdated({ uri }).catch(() => {});
    }, 100);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    session.subscriptions.delete(request.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, (request) =>
    getPrompt(request.params.name, request.params.arguments),
  );
  server.setRequestHandler(CompleteRequestSchema, (request) => {
    const { ref, argument } = request.params;
    const values =
      ref.type === 'ref/prompt' && ref.name === 'test_prompt_with_arguments' && argument.name === 'arg1'
        ? ARG1_VALUES.filter((v) => v.startsWith(argument.value))
        : [];
    return { completion: { values, total: values.length, hasMore: false } };
  });
  server.onclose = () => session.subscriptions.clear();
  return session;
}

/** Serves over stdio: one session for the lifetime of the process. */
async function serveStdio() {
  const { server } = newSession();
  await server.connect(new StdioServerTransport());
  console.error('conformance fixture serving on stdio');
}

/**
 * An in-memory event store for one transport (SEP-1699 resumability): every event of every
 * stream, so a client that resumes with Last-Event-ID gets the events of that stream after it.
 * Event ids are `STREAM::SEQ`; the test fixture keeps them for the session's life.
 */
function eventStore() {
  const events = [];
  return {
    async storeEvent(streamId, message) {
      const eventId = `${streamId}::${events.length + 1}`;
      events.push({ eventId, streamId, message });
      return eventId;
    },
    async getStreamIdForEventId(eventId) {
      return events.find((e) => e.eventId === eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const at = events.findIndex((e) => e.eventId === lastEventId);
      if (at < 0) throw new Error(`unknown event id ${lastEventId}`);
      const { streamId } = events[at];
      for (const e of events.slice(at + 1)) {
        if (e.streamId === streamId && Object.keys(e.message).length > 0) await send(e.eventId, e.message);
      }
      return streamId;
    },
  };
}

/** Sends a JSON-RPC error (no id) with an HTTP status. */
function httpError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

/** Serves Streamable HTTP on 127.0.0.1:port at /mcp. */
function serveHttp(port) {
  const transports = new Map(); // Mcp-Session-Id → StreamableHTTPServerTransport
  let allowedHosts = [];

  const httpServer = createServer(async (req, res) => {
    try {
      // DNS rebinding protection: only our own loopback host:port, as Host and as Origin.
      const host = (req.headers.host ?? '').toLowerCase();
      const origin = req.headers.origin;
      if (!allowedHosts.includes(host) || (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))) {
        return httpError(res, 403, -32000, `Forbidden: Host ${host} / Origin ${origin} not allowed`);
      }
      if (new URL(req.url, 'http://localhost').pathname !== '/mcp') return httpError(res, 404, -32000, 'Not found');

      let body;
      if (req.method === 'POST') {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return httpError(res, 400, -32700, 'Parse error');
        }
      }
      const sessionId = req.headers['mcp-session-id'];
      let transport = sessionId === undefined ? undefined : transports.get(sessionId);
      if (sessionId !== undefined && !transport) return httpError(res, 404, -32001, 'Session not found');
      if (!transport) {
        if (req.method !== 'POST' || !isInitializeRequest(body)) {
          return httpError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
        }
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          // Resumable streams (SEP-1699): a priming event with `retry` on every SSE stream.
          eventStore: eventStore(),
          retryInterval: 500,
          onsessioninitialized: (id) => transports.set(id, transport),
          onsessionclosed: (id) => transports.delete(id),
        });
        const { server } = newSession();
        transport.onclose = () => {
          if (transport.sessionId) transports.delete(transport.sessionId);
        };
        await server.connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (error) {
      console.error('conformance fixture: request failed:', error);
      if (!res.headersSent) httpError(res, 500, -32603, 'Internal error');
    }
  });

  httpServer.listen(port, '127.0.0.1', () => {
    const actual = httpServer.address().port;
    allowedHosts = [`127.0.0.1:${actual}`, `localhost:${actual}`, `[::1]:${actual}`];
    console.log(`conformance fixture listening on http://127.0.0.1:${actual}/mcp`);
  });
  const stop = () => {
    for (const transport of transports.values()) transport.close().catch(() => {});
    httpServer.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const argv = process.argv.slice(2);
if (argv.includes('--stdio')) {
  await serveStdio();
} else {
  const at = argv.indexOf('--port');
  serveHttp(at >= 0 ? Number(argv[at + 1]) : 0);
}
