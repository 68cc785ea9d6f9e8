import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OpenAI embeddings API (`POST /v1/embeddings`), speaking the real wire
 * format so the `openai` SDK can be pointed at it with `baseURL`. Vectors are deterministic (a hash
 * of model, text and position, unit length, float32), every request is recorded, and failures
 * (429 with retry-after, 500, 401, anything) can be scripted for the next requests.
 */

export interface EmbeddingsRequestBody {
  model?: unknown;
  input?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: EmbeddingsRequestBody;
  /** The status the double answered with. */
  status: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; default: an OpenAI-style `{error: {...}}` for the status. */
  body?: unknown;
}

export interface EmbeddingsServerOptions {
  /** The only key accepted as `Authorization: Bearer <key>` (default: any non-empty bearer token). */
  apiKey?: string;
  /** Dimension when the request names none (default 8). */
  defaultDimensions?: number;
  /** Put the received key in the 401 message, as some servers do, to test that callers scrub it. */
  echoKeyIn401?: boolean;
}

export interface EmbeddingsServer {
  /** The base URL to give the SDK, ending in `/v1`. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Answers the next requests with these responses, in order, before serving vectors again. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Returns vectors of this length whatever the request asks (a misconfigured server); undefined: honour the request. */
  forceDimensions: number | undefined;
  close(): Promise<void>;
}

/** The vector the double gives `text` for `model`: deterministic, unit length, float32-exact. */
export function doubleVector(model: string, text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${model}\u0000${text}\u0000${block}`).digest();
    for (let offset = 0; offset + 2 <= digest.length && values.length < dimensions; offset += 2) {
      values.push(digest.readUInt16LE(offset) / 32767.5 - 1);
    }
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.fround(value / norm));
}

/** Tokens the double counts for usage: whitespace-separated words (at least 1 per input). */
export function doubleTokens(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

const errorBodies: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { message: 'Not found.', type: 'invalid_request_error', code: 'not_found' },
  429: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request.', type: 'server_error', code: null },
};

function errorBody(status: number, message?: string): unknown {
  const known = errorBodies[status] ?? { message: `Error ${status}.`, type: 'server_error', code: null };
  return { error: { ...known, message: message ?? known.message, param: null } };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': `req_${status}`, ...headers });
  response.end(text);
}

function encodeBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export async function startEmbeddingsServer(options: EmbeddingsServerOptions = {}): Promise<EmbeddingsServer> {
  const requests: RecordedRequest[] = [];
  const script: ScriptedResponse[] = [];
  const defaultDimensions = options.defaultDimensions ?? 8;
  const state = { forceDimensions: undefined as number | undefined };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: EmbeddingsRequestBody = {};
      let parsed = true;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as EmbeddingsRequestBody;
      } catch {
        parsed = false;
      }
      const record: RecordedRequest = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, status: 0 };
      requests.push(record);
      const answer = (status: number, payload: unknown, headers?: Record<string, string>) => {
        record.status = status;
        sendJson(response, status, payload, headers);
      };

      if (record.method !== 'POST' || record.path.split('?')[0] !== '/v1/embeddings') return answer(404, errorBody(404, `Unknown route ${record.method} ${record.path}.`));
      const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token === undefined || (options.apiKey !== undefined && token !== options.apiKey)) {
        return answer(401, errorBody(401, options.echoKeyIn401 ? `Incorrect API key provided: ${token}.` : undefined));
      }
      const scripted = script.shift();
      if (scripted) return answer(scripted.status, scripted.body ?? errorBody(scripted.status), scripted.headers);
      if (!parsed) return answer(400, errorBody(400, 'We could not parse the JSON body of your request.'));

      const inputs = typeof body.input === 'string' ? [body.input] : body.input;
      if (typeof body.model !== 'string' || body.model === '') return answer(400, errorBody(400, 'you must provide a model parameter'));
      if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 2048 || !inputs.every((input) => typeof input === 'string')) {
        return answer(400, errorBody(400, "'input' must be a non-empty string or an array of at most 2048 strings."));
      }
      if (body.dimensions !== undefined && (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1)) {
        return answer(400, errorBody(400, "'dimensions' must be a positive integer."));
      }
      const format = body.encoding_format ?? 'float';
      if (format !== 'float' && format !== 'base64') return answer(400, errorBody(400, "'encoding_format' must be 'float' or 'base64'."));
      const dimensions = state.forceDimensions ?? (body.dimensions as number | undefined) ?? defaultDimensions;
      const model = body.model;
      const tokens = (inputs as string[]).reduce((sum, text) => sum + doubleTokens(text), 0);
      answer(200, {
        object: 'list',
        data: (inputs as string[]).map((text, index) => {
          const vector = doubleVector(model, text, dimensions);
          return { object: 'embedding', index, embedding: format === 'base64' ? encodeBase64(vector) : vector };
        }),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...responses) => void script.push(...responses),
    get forceDimensions() {
      return state.forceDimensions;
    },
    set forceDimensions(value) {
      state.forceDimensions = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
