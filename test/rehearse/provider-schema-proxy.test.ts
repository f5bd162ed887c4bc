/**
 * The schema-trimming proxy between Terraform and the provider (rehearse/provider-schema-proxy.ts): the schema answer
 * keeps the listed resource and data source types and every other field, is asked of the provider once and then
 * served from the cache; every other call passes through with its body, headers and trailers, errors included.
 * A stand-in provider (a plain HTTP/2 gRPC server on a unix socket) keeps this a unit test; the rehearsal suites run
 * the real provider and Terraform through it.
 */
import { type Http2Server, connect, createServer } from 'node:http2';
import { connect as connectSocket } from 'node:net';
import { join } from 'node:path';
import { grpcFrame, grpcMessage, startProviderSchemaProxy, trimProviderSchema } from '../../rehearse/provider-schema-proxy';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

/** Protobuf encoding, just enough to build GetProviderSchema.Response messages by hand. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
const lengthDelimited = (field: number, payload: Buffer) => Buffer.concat([varint(field * 8 + 2), varint(payload.length), payload]);
const text = (field: number, value: string) => lengthDelimited(field, Buffer.from(value));
/** A `Schema` stand-in: its bytes only need to survive untouched. */
const schema = (marker: string) => text(1, marker.repeat(50));
const mapEntry = (field: number, key: string, value: Buffer) => lengthDelimited(field, Buffer.concat([text(1, key), lengthDelimited(2, value)]));

const PROVIDER = lengthDelimited(1, schema('provider'));
const CAPABILITIES = lengthDelimited(6, Buffer.concat([varint(1 * 8 + 0), varint(1)]));
const RESPONSE = Buffer.concat([
  PROVIDER,
  mapEntry(2, 'aws_vpc', schema('vpc')),
  mapEntry(2, 'aws_lambda_function', schema('lambda')),
  mapEntry(3, 'aws_region', schema('region')),
  mapEntry(3, 'aws_lambda_function', schema('lambda-data')),
  CAPABILITIES,
  mapEntry(7, 'arn_parse', schema('function')),
]);
const KEEP = new Set(['aws_vpc', 'aws_region']);

describe('trimProviderSchema', () => {
  it('keeps the listed resource and data source schemas and every other field, byte for byte, in order', () => {
    expect(trimProviderSchema(RESPONSE, KEEP)).toEqual(
      Buffer.concat([PROVIDER, mapEntry(2, 'aws_vpc', schema('vpc')), mapEntry(3, 'aws_region', schema('region')), CAPABILITIES, mapEntry(7, 'arn_parse', schema('function'))]),
    );
  });

  it('handles entries longer than 127 bytes (multi-byte lengths) and keeps nothing it was not asked for', () => {
    const long = mapEntry(2, 'aws_instance', schema('x'.repeat(40)));
    expect(trimProviderSchema(Buffer.concat([long, mapEntry(2, 'aws_vpc', schema('vpc'))]), new Set(['aws_instance']))).toEqual(long);
    expect(trimProviderSchema(RESPONSE, new Set())).toEqual(Buffer.concat([PROVIDER, CAPABILITIES, mapEntry(7, 'arn_parse', schema('function'))]));
  });

  it('refuses a truncated message instead of passing half a schema on', () => {
    expect(() => trimProviderSchema(RESPONSE.subarray(0, RESPONSE.length - 3), KEEP)).toThrow(/truncated protobuf/);
  });

  it('frames and unframes one uncompressed gRPC message', () => {
    expect(grpcMessage(grpcFrame(RESPONSE))).toEqual(RESPONSE);
    expect(() => grpcMessage(Buffer.concat([grpcFrame(RESPONSE), Buffer.from([0])]))).toThrow(/not one frame/);
    expect(() => grpcMessage(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
  });
});

/** A stand-in provider: answers GetSchema with RESPONSE, echoes Echo with a trailer, fails Fail trailers-only. */
async function standInProvider(socket: string): Promise<{ server: Http2Server; schemaCalls: () => number }> {
  let schemaCalls = 0;
  const server = createServer();
  server.on('stream', (stream, headers) => {
    const body: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    stream.on('end', () => {
      const path = headers[':path'];
      if (path === '/tfplugin5.Provider/GetSchema') schemaCalls += 1;
      if (path === '/tfplugin5.Provider/Fail') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '3', 'grpc-message': 'bad config' }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-served-by': 'provider' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-echo-of': String(headers['x-request-id'] ?? '') }));
      stream.end(path === '/tfplugin5.Provider/GetSchema' ? grpcFrame(RESPONSE) : Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, () => resolve()));
  return { server, schemaCalls: () => schemaCalls };
}

interface Answer {
  readonly headers: Record<string, unknown>;
  readonly body: Buffer;
  readonly trailers: Record<string, unknown>;
}

function call(socket: string, path: string, body: Buffer, requestId = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = connect('http://provider', { createConnection: () => connectSocket(socket) });
    session.on('error', reject);
    const request = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'x-request-id': requestId });
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    let trailers: Record<string, unknown> = {};
    request.on('response', (received) => (headers = { ...received }));
    request.on('trailers', (received) => (trailers = { ...received }));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('close', () => {
      session.close();
      resolve({ headers, body: Buffer.concat(chunks), trailers });
    });
    request.end(body);
  });
}

describe('the proxy in front of a provider', () => {
  it('serves the trimmed schema, asks the provider once, and passes every other call through', async () => {
    const dir = makeTempDir('schema-proxy-');
    const provider = await standInProvider(join(dir, 'provider.sock'));
    const binary = join(dir, `terraform-provider-aws-${Math.random()}`);
    const proxy = await startProviderSchemaProxy(join(dir, 'provider.sock'), binary, KEEP);
    try {
      const first = await call(proxy.socket, '/tfplugin5.Provider/GetSchema', grpcFrame(Buffer.alloc(0)));
      const second = await call(proxy.socket, '/tfplugin5.Provider/GetSchema', grpcFrame(Buffer.alloc(0)));
      for (const answer of [first, second]) {
        expect(answer.trailers['grpc-status']).toBe('0');
        expect(grpcMessage(answer.body)).toEqual(trimProviderSchema(RESPONSE, KEEP));
      }
      expect(provider.schemaCalls()).toBe(1);

      const payload = grpcFrame(Buffer.from('plan this'.repeat(10_000)));
      const echoed = await call(proxy.socket, '/tfplugin5.Provider/PlanResourceChange', payload, 'r-42');
      expect(echoed.body).toEqual(payload);
      expect(echoed.headers['x-served-by']).toBe('provider');
      expect(echoed.trailers).toMatchObject({ 'grpc-status': '0', 'x-echo-of': 'r-42' });

      const failed = await call(proxy.socket, '/tfplugin5.Provider/Fail', grpcFrame(Buffer.alloc(0)));
      expect(failed.headers).toMatchObject({ 'grpc-status': '3', 'grpc-message': 'bad config' });
      expect(failed.body.length).toBe(0);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => provider.server.close(() => resolve()));
    }
  });

  it('answers a schema request with a gRPC error when the provider cannot be reached, and asks again next time', async () => {
    const dir = makeTempDir('schema-proxy-down-');
    const socket = join(dir, 'provider.sock');
    const proxy = await startProviderSchemaProxy(socket, join(dir, `terraform-provider-aws-${Math.random()}`), KEEP);
    let provider: Awaited<ReturnType<typeof standInProvider>> | undefined;
    try {
      const answer = await call(proxy.socket, '/tfplugin5.Provider/GetSchema', grpcFrame(Buffer.alloc(0)));
      expect(answer.headers['grpc-status']).toBe('13'); // INTERNAL
      expect(decodeURIComponent(String(answer.headers['grpc-message']))).toMatch(/ENOENT|ECONNREFUSED/);
      // The failure is not cached: once the provider serves, the next request gets the schema.
      provider = await standInProvider(socket);
      const retried = await call(proxy.socket, '/tfplugin5.Provider/GetSchema', grpcFrame(Buffer.alloc(0)));
      expect(grpcMessage(retried.body)).toEqual(trimProviderSchema(RESPONSE, KEEP));
    } finally {
      await proxy.close();
      if (provider) await new Promise<void>((resolve) => provider!.server.close(() => resolve()));
    }
  });
});
