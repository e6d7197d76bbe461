/**
 * Local ports for the emulator and runserver. A port counts as free only when nothing
 * listens on it on either loopback address: a browser opening http://localhost:PORT
 * may try ::1 before 127.0.0.1, and would meet whatever holds the port there.
 */
import { connect, createServer } from 'node:net';

/** The highest port tried when walking up from a busy one. */
const MAX_PORT = 65535;

/** Binds `host:port` for a moment; true when that worked. */
function canBind(port: number, host: string): Promise<boolean | 'no-address'> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A machine without IPv6 has no ::1 to hold the port, so that address is no obstacle.
      resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? 'no-address' : false);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  if ((await canBind(port, '127.0.0.1')) !== true) return false;
  return (await canBind(port, '::1')) !== false;
}

/** A port the system considers unused right now (it may be taken again before use). */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A free port that also passes the ::1 test (an ephemeral port rarely fails it). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await anyFreePort();
    if (await isPortFree(port)) return port;
  }
  return anyFreePort();
}

export interface PortChoice {
  port: number;
  /** The port asked for, when it was busy and another was chosen. */
  busy: number[];
}

/** `preferred` when it is free, else the next free one above it (up to `attempts` tries). */
export async function choosePort(preferred: number, attempts = 50): Promise<PortChoice> {
  const busy: number[] = [];
  for (let port = preferred; port <= Math.min(MAX_PORT, preferred + attempts - 1); port++) {
    if (await isPortFree(port)) return { port, busy };
    busy.push(port);
  }
  return { port: await freePort(), busy };
}

/** A `--port`-style value as a port number (1..65535), or null when it is not one. */
export function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value.trim())) return null;
  const port = Number(value);
  return port >= 1 && port <= MAX_PORT ? port : null;
}

/** True while something accepts connections on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
