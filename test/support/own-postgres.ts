// A PostgreSQL server of the test's own, with its own data directory, that the test may stop and
// start (the machine's shared server is never touched). It listens on a Unix socket in that
// private directory and on no TCP port, so no port has to be picked and nothing else can take it. Uses the server binaries of
// the installed PostgreSQL (Debian: /usr/lib/postgresql/<version>/bin); as root, runs them as
// the postgres user, since initdb refuses root.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

function binDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(base, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

export interface OwnPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export const ownPostgresAvailable = Boolean(binDir());

export async function createOwnPostgres(password?: string): Promise<OwnPostgres> {
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) found');
  const dir = mkdtempSync(join(tmpdir(), 'own-pg-'));
  const asRoot = process.getuid?.() === 0;
  const uid = 101;
  const run = async (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const fullArgs = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    await exec(command, fullArgs, { timeout: 60_000 });
  };
  if (asRoot) {
    const { stdout } = await exec('id', ['-u', 'postgres']);
    chownSync(dir, Number(stdout.trim()) || uid, Number(stdout.trim()) || uid);
  }
  const data = join(dir, 'data');
  // With a password the server really checks it (SCRAM), so a test can tell it was sent.
  const auth = ['-A', 'trust'];
  if (password) {
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    auth.splice(0, 2, '-A', 'scram-sha-256', `--pwfile=${pwfile}`);
  }
  await run('initdb', ['-D', data, '-U', 'postgres', ...auth, '--no-sync']);
  // The socket's name carries the default port (.s.PGSQL.5432), in a directory no one else uses.
  const options = `-k ${dir} -c listen_addresses='' -c fsync=off`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  const credentials = password ? `postgres:${encodeURIComponent(password)}@` : 'postgres@';
  return {
    // pg takes the socket directory from the host parameter; `localhost` only satisfies the URL syntax.
    url: `postgres://${credentials}localhost/postgres?host=${dir}`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
