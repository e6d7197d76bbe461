/**
 * A minimal browser for the login flow over HTTP: one request at a time, cookies kept
 * in a jar, redirects never followed (each hop is a step the flow checks). `localhost`
 * is reached on 127.0.0.1, where runserver listens, with `Host: localhost:PORT` sent as
 * a browser would, so Django builds its URLs (the callback URL) with localhost.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { CookieJar } from './cookie-jar.js';

export interface HttpAnswer {
  url: URL;
  method: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The Location header resolved against the request URL, or null. */
  location: URL | null;
  body: string;
}

export interface RequestOptions {
  /** A form body (sent as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Give up on one request after this long (a callback waits on the SDK's call to WorkOS). */
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_BODY = 2 * 1024 * 1024;

export class HttpBrowser {
  readonly jar = new CookieJar();

  constructor(private readonly userAgent = 'authkit-django verify --flow') {}

  async request(method: string, target: string | URL, options: RequestOptions = {}): Promise<HttpAnswer> {
    const url = typeof target === 'string' ? new URL(target) : target;
    if (url.protocol !== 'http:') throw new Error(`only http:// URLs are used in the local flow, not ${url.href}`);
    const body = options.form ? new URLSearchParams(options.form).toString() : null;
    const headers: Record<string, string> = {
      host: url.host,
      'user-agent': this.userAgent,
      accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
      ...options.headers,
    };
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    if (body !== null) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const hostname = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
    const answer = await new Promise<Omit<HttpAnswer, 'location'>>((resolve, reject) => {
      const req = httpRequest(
        { hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method, headers, timeout: REQUEST_TIMEOUT_MS, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY) chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({ url, method, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      req.end(body ?? undefined);
    });
    this.jar.store(url, answer.headers['set-cookie']);
    const location = typeof answer.headers.location === 'string' ? new URL(answer.headers.location, url) : null;
    return { ...answer, location };
  }

  get(url: string | URL, options?: RequestOptions): Promise<HttpAnswer> {
    return this.request('GET', url, options);
  }

  post(url: string | URL, options?: RequestOptions): Promise<HttpAnswer> {
    return this.request('POST', url, options);
  }
}
