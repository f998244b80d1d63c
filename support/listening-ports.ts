// The TCP ports a process listens on, read from /proc (Linux): its socket inodes from
// /proc/<pid>/fd, matched against the LISTEN entries of /proc/net/tcp{,6}. Lets a test start the
// service on PORT=0 and find the port the kernel gave it, whatever its log level prints.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed between the listing and the read
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, , state] = fields;
      if (state === LISTEN && inodes.has(fields[9] ?? '') && local)
        ports.push(Number.parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}
