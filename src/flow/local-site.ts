/**
 * The project running locally against WorkOS's emulator: the emulator first (its URL
 * goes into runserver's environment), then runserver. Either both run, or neither does:
 * a failure while starting stops what already started.
 */
import type { LoadedEmulator } from './emulator-loader.js';
import { startEmulator, type RunningEmulator, type TestUser } from './emulator.js';
import { choosePort, freePort } from './ports.js';
import { startRunserver, type RunningServer, type RunserverProject, type SiteDatabase } from './runserver.js';

export interface LocalSiteOptions {
  loaded: LoadedEmulator;
  /** The environment runserver starts from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Django's port; when it is busy the next free one is used and a note says so. Default: any free port. */
  port?: number;
  /** The emulator's port, with the same rule. Default: any free port. */
  emulatorPort?: number;
  user?: TestUser;
  /** Receives runserver's output as it comes (redacted). */
  onOutput?: (text: string) => void;
  startTimeoutMs?: number;
  /** Default `project`: runserver on the project's database. */
  database?: SiteDatabase;
}

export interface LocalSite {
  emulator: RunningEmulator;
  server: RunningServer;
  /** Things the user should know (another port was used, another host name). */
  notes: string[];
  /** Stops runserver, then the emulator. Safe to call twice. */
  stop(): Promise<void>;
}

/** Which step of starting failed, so reports can name it. */
export class LocalSiteStartError extends Error {
  constructor(
    readonly stage: 'emulator' | 'runserver',
    readonly failure: Error,
    /** The emulator, when it was running before runserver failed (already stopped). */
    readonly emulatorUrl: string | null,
  ) {
    super(failure.message);
    this.name = 'LocalSiteStartError';
  }
}

async function pickPort(preferred: number | undefined, what: string, notes: string[]): Promise<number> {
  if (preferred === undefined) return freePort();
  const choice = await choosePort(preferred);
  if (choice.busy.length > 0) notes.push(`${what} port ${preferred} is in use; using ${choice.port}`);
  return choice.port;
}

export async function startLocalSite(project: RunserverProject, options: LocalSiteOptions): Promise<LocalSite> {
  const notes: string[] = [];
  let emulator: RunningEmulator;
  try {
    const emulatorPort = await pickPort(options.emulatorPort, 'emulator', notes);
    emulator = await startEmulator(options.loaded, { port: emulatorPort, ...(options.user ? { user: options.user } : {}) });
  } catch (error) {
    throw new LocalSiteStartError('emulator', error as Error, null);
  }
  let server: RunningServer;
  try {
    const port = await pickPort(options.port, 'Django', notes);
    server = await startRunserver(project, {
      port,
      // The port was free a moment ago; if something took it since, move on.
      otherPorts: 10,
      ...(options.env ? { env: options.env } : {}),
      workos: { baseUrl: emulator.url, apiKey: emulator.apiKey, clientId: emulator.clientId },
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
      ...(options.database ? { database: options.database } : {}),
    });
  } catch (error) {
    await emulator.stop();
    throw new LocalSiteStartError('runserver', error as Error, emulator.url);
  }
  notes.push(...server.notes);
  let stopping: Promise<void> | null = null;
  return {
    emulator,
    server,
    notes,
    stop: () => {
      stopping ??= (async () => {
        await server.stop();
        await emulator.stop();
      })();
      return stopping;
    },
  };
}
