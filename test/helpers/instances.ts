import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Free ports on 127.0.0.1, asked of the system while all are held: asking one at a time can give the same
 * port twice, and the second instance would then fail to listen.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'));
          });
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export type StoreEnv = { DATA_DIR: string; DATABASE_URL?: string };

/** A server process (`src/main.ts` through tsx) on `port`, once it has printed its address. */
export function startInstance(store: StoreEnv & Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...store, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // What the instance printed on stderr, so that a failed start says why.
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start\n${errors}`)), 45_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`:${port}/`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`instance exited with ${code}\n${errors}`)));
  });
}

/** `npm run cli -- …` in a process of its own, as an operator runs it beside the servers. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, LOG_LEVEL: 'warn', ...env } },
      (err, stdout, stderr) => {
        const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Stops a server the way a service manager does, and waits until it has exited. */
export async function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
