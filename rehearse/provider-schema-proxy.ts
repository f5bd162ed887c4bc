/**
 * A pass-through gRPC proxy between Terraform and the AWS provider that hands Terraform the provider's schema for the
 * resource and data source types the rehearsal deploys only (stack-override.ts lists them; a stack using any other
 * type is refused before Terraform runs).
 *
 * Why: the provider's schema covers ~1,500 resource and ~600 data source types. Every Terraform command asks for it,
 * the provider spends ~1.1 s of CPU encoding it and Terraform ~2.2 s decoding and checking it: over three quarters of
 * a small command's CPU, paid ~40 times per rehearsal. The proxy asks the provider once per process, keeps the
 * trimmed answer, and gives it to every later command. Every other call (validate, plan, apply, read, the plugin's
 * broker and stdio streams) passes through byte for byte, so the same provider binary does the same work on the same
 * configuration; a type missing from the trimmed schema would fail the command loudly, never silently.
 */
import { rmSync } from 'node:fs';
import {
  type ClientHttp2Session,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
  connect,
  constants,
  createServer,
} from 'node:http2';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The gRPC method whose answer is trimmed: tfplugin5's GetSchema (GetProviderSchema messages; the AWS provider 5.x speaks protocol 5). */
const GET_PROVIDER_SCHEMA = '/tfplugin5.Provider/GetSchema';

/** Fields of tfplugin5 GetProviderSchema.Response that map a type name to its schema. */
const TYPE_MAP_FIELDS = new Set([2 /* resource_schemas */, 3 /* data_source_schemas */]);

function readVarint(buffer: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let position = offset;
  for (;;) {
    if (position >= buffer.length) throw new Error('truncated protobuf varint');
    const byte = buffer[position++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: position };
    scale *= 128;
  }
}

/** The end of the field whose value starts at `offset` (after its tag), for any wire type. */
function fieldEnd(buffer: Buffer, offset: number, wireType: number): { end: number; payloadStart: number } {
  switch (wireType) {
    case 0:
      return { end: readVarint(buffer, offset).next, payloadStart: offset };
    case 1:
      return { end: offset + 8, payloadStart: offset };
    case 2: {
      const length = readVarint(buffer, offset);
      return { end: length.next + length.value, payloadStart: length.next };
    }
    case 5:
      return { end: offset + 4, payloadStart: offset };
    default:
      throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
}

/** The key (field 1, a string) of a protobuf map entry. */
function mapEntryKey(entry: Buffer): string | undefined {
  let offset = 0;
  while (offset < entry.length) {
    const tag = readVarint(entry, offset);
    const field = Math.floor(tag.value / 8);
    const { end, payloadStart } = fieldEnd(entry, tag.next, tag.value & 7);
    if (field === 1) return entry.subarray(payloadStart, end).toString('utf8');
    offset = end;
  }
  return undefined;
}

/**
 * A GetProviderSchema.Response message (protobuf bytes) with only the resource and data source schemas of `keep`;
 * every other field (provider config schema, capabilities, functions, diagnostics) unchanged.
 */
export function trimProviderSchema(message: Buffer, keep: ReadonlySet<string>): Buffer {
  const kept: Buffer[] = [];
  let offset = 0;
  while (offset < message.length) {
    const tag = readVarint(message, offset);
    const field = Math.floor(tag.value / 8);
    const { end, payloadStart } = fieldEnd(message, tag.next, tag.value & 7);
    if (end > message.length) throw new Error('truncated protobuf field');
    const key = TYPE_MAP_FIELDS.has(field) && (tag.value & 7) === 2 ? mapEntryKey(message.subarray(payloadStart, end)) : undefined;
    if (!TYPE_MAP_FIELDS.has(field) || (key !== undefined && keep.has(key))) kept.push(message.subarray(offset, end));
    offset = end;
  }
  return Buffer.concat(kept);
}

/** One gRPC message in its length-prefixed frame (uncompressed). */
export function grpcFrame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** The message of a body holding exactly one uncompressed gRPC frame. */
export function grpcMessage(body: Buffer): Buffer {
  if (body.length < 5) throw new Error(`gRPC body of ${body.length} bytes holds no frame`);
  if (body.readUInt8(0) !== 0) throw new Error('compressed gRPC message: the schema proxy handles uncompressed ones only');
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) throw new Error(`gRPC body of ${body.length} bytes is not one frame of ${length} bytes`);
  return body.subarray(5);
}

/** Trimmed schema answers, by provider binary and kept types: the provider is asked once per process. */
const trimmedSchemas = new Map<string, Promise<Buffer>>();

/** Request headers a proxy may not forward as they are (HTTP/2 forbids connection-specific ones). */
function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === ':status' || name === 'connection' || name === 'keep-alive' || name === 'transfer-encoding') continue;
    out[name] = value;
  }
  return out;
}

export interface ProviderSchemaProxy {
  /** The reattach address Terraform connects to instead of the provider's. */
  readonly socket: string;
  close(): Promise<void>;
}

/**
 * Starts the proxy in front of the provider listening on the unix socket `upstream`; `binary` and `keep` key the
 * cache of trimmed answers.
 */
export async function startProviderSchemaProxy(upstream: string, binary: string, keep: ReadonlySet<string>): Promise<ProviderSchemaProxy> {
  const socket = join(tmpdir(), `rehearsal-provider-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  let session: ClientHttp2Session | undefined;
  const upstreamSession = () => {
    if (!session || session.closed || session.destroyed) {
      session = connect('http://provider', { createConnection: () => connectSocket(upstream) });
      session.on('error', () => undefined); // each stream reports its own failure
    }
    return session;
  };
  const cacheKey = `${binary}\n${[...keep].sort().join(',')}`;

  const fetchTrimmed = (headers: IncomingHttpHeaders, requestBody: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const request = upstreamSession().request(forwardable(headers));
      const chunks: Buffer[] = [];
      let status: string | undefined;
      request.on('response', (responseHeaders) => {
        if (responseHeaders['grpc-status'] !== undefined) status = String(responseHeaders['grpc-status']);
      });
      request.on('trailers', (trailers) => {
        status = String(trailers['grpc-status'] ?? status);
      });
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('error', reject);
      request.on('end', () => {
        if (status !== '0') reject(new Error(`the provider answered GetProviderSchema with gRPC status ${status}`));
        else resolve(grpcFrame(trimProviderSchema(grpcMessage(Buffer.concat(chunks)), keep)));
      });
      request.end(requestBody);
    });

  const answerSchema = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const body: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    stream.on('end', () => {
      let answer = trimmedSchemas.get(cacheKey);
      if (!answer) {
        answer = fetchTrimmed(headers, Buffer.concat(body));
        trimmedSchemas.set(cacheKey, answer);
        answer.catch(() => trimmedSchemas.delete(cacheKey));
      }
      answer.then(
        (frame) => {
          if (stream.destroyed) return;
          stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
          stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
          stream.end(frame);
        },
        (error: unknown) => {
          if (stream.destroyed) return;
          stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '13', 'grpc-message': encodeURIComponent(String(error)) }, { endStream: true });
        },
      );
    });
  };

  const passThrough = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const request = upstreamSession().request(forwardable(headers));
    let trailers: OutgoingHttpHeaders = { 'grpc-status': '0' };
    request.on('response', (responseHeaders, flags) => {
      if (stream.destroyed) return;
      // A "trailers-only" answer (an error) ends the stream with its headers.
      if ((flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0) {
        stream.respond(forwardable(responseHeaders), { endStream: true });
        return;
      }
      stream.respond({ ...forwardable(responseHeaders), ':status': responseHeaders[':status'] ?? 200 }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers(trailers));
      request.pipe(stream);
    });
    request.on('trailers', (received) => {
      trailers = forwardable(received);
    });
    request.on('error', () => {
      if (!stream.destroyed) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    });
    stream.on('close', () => {
      if (!request.closed) request.close(constants.NGHTTP2_CANCEL);
    });
    stream.pipe(request);
  };

  const server: Http2Server = createServer();
  const clients = new Set<ServerHttp2Session>();
  server.on('session', (client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // Terraform hung up: nothing left to answer
    if (headers[':path'] === GET_PROVIDER_SCHEMA) answerSchema(stream, headers);
    else passThrough(stream, headers);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  return {
    socket,
    close: async () => {
      for (const client of clients) client.destroy();
      session?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socket, { force: true });
    },
  };
}
