// Starts the service as npm start runs it, on a port the kernel picks (PORT=0), and reads that
// port from its `listening` log line: no port is chosen by probing.
import { type ChildProcess, spawn } from 'node:child_process';
import { serviceArgs } from '../scripts/service-command.js';
import { ROOT } from './run-once.js';

export async function startService(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, serviceArgs(), {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
    const read = (chunk: string) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.includes('"listening"'));
      if (!line) return;
      // Keep draining stdout, so the child never blocks on a full pipe, without keeping it.
      child.stdout?.off('data', read).on('data', () => {});
      resolve(JSON.parse(line)['server.port']);
    };
    child.stdout?.setEncoding('utf8').on('data', read);
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
