/**
 * A private LAN made of Linux network namespaces: one "switch" namespace with a
 * bridge, and hosts joined to it with veth pairs on link-local 169.254.x.x
 * addresses. Each host has its own network stack, so every host can bind the
 * fixed Pro DJ Link ports 50000–50002 and broadcast, exactly as on real gear.
 * Needs root and iproute2 (CI runs as root).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface LanHost {
  readonly ns: string;
  readonly iface: string;
  readonly address: string;
  readonly mac: string;
}

export interface Lan {
  readonly hosts: readonly LanHost[];
  readonly broadcast: string;
  /** Starts a process inside a host's namespace. */
  spawn(host: LanHost, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams;
  /** Takes a host's link down (true) or back up (false). */
  setLinkDown(host: LanHost, down: boolean): void;
  destroy(): void;
}

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function netnsUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'network namespaces need root';
  try {
    ip(['netns', 'list']);
  } catch {
    return 'the "ip" command (iproute2) is missing';
  }
  return null;
}

let counter = 0;

export function createLan(hostCount: number): Lan {
  const reason = netnsUnavailableReason();
  if (reason !== null) throw new Error(`cannot build the test LAN: ${reason}`);
  const tag = `pb${process.pid % 100000}x${counter++}`;
  const switchNs = `${tag}sw`;
  const hosts: LanHost[] = [];
  const namespaces = [switchNs];
  try {
    ip(['netns', 'add', switchNs]);
    ip(['-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', switchNs, 'link', 'set', 'br0', 'up']);
    for (let i = 0; i < hostCount; i++) {
      const ns = `${tag}h${i}`;
      ip(['netns', 'add', ns]);
      namespaces.push(ns);
      const outer = `${tag}p${i}`.slice(0, 15);
      const inner = 'eth0';
      ip(['link', 'add', outer, 'type', 'veth', 'peer', 'name', `${tag}q${i}`.slice(0, 15)]);
      ip(['link', 'set', outer, 'netns', switchNs]);
      ip(['link', 'set', `${tag}q${i}`.slice(0, 15), 'netns', ns]);
      ip(['-n', ns, 'link', 'set', `${tag}q${i}`.slice(0, 15), 'name', inner]);
      const address = `169.254.${20 + i}.${10 + i}`;
      ip(['-n', ns, 'addr', 'add', `${address}/16`, 'broadcast', '169.254.255.255', 'dev', inner]);
      ip(['-n', ns, 'link', 'set', inner, 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', switchNs, 'link', 'set', outer, 'master', 'br0']);
      ip(['-n', switchNs, 'link', 'set', outer, 'up']);
      const mac = /link\/ether ([0-9a-f:]{17})/.exec(ip(['-n', ns, 'link', 'show', inner]))?.[1] ?? '';
      hosts.push({ ns, iface: inner, address, mac });
    }
  } catch (error) {
    for (const ns of namespaces) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
    throw error;
  }
  const children = new Set<ChildProcessWithoutNullStreams>();
  return {
    hosts,
    broadcast: '169.254.255.255',
    spawn(host, command, args, env) {
      const child = spawn('ip', ['netns', 'exec', host.ns, command, ...args], { env: { ...process.env, ...env } });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return child;
    },
    setLinkDown(host, down) {
      ip(['-n', host.ns, 'link', 'set', host.iface, down ? 'down' : 'up']);
    },
    destroy() {
      for (const child of children) child.kill('SIGKILL');
      for (const ns of namespaces) {
        try {
          ip(['netns', 'del', ns]);
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Collects a child's stdout lines; resolves when a line matches. */
export function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (pattern.test(line)) {
          cleanup();
          resolve(line);
          return;
        }
      }
    };
    const onErr = (chunk: Buffer): void => {
      stderr += chunk.toString();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onErr);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onErr);
  });
}

/** A JSON line a child process printed: `kind` says what it is. */
export interface ChildLine {
  readonly kind: string;
  readonly [key: string]: unknown;
}

/** Every JSON line a child prints on stdout, once it exits (rejects with its output when it fails). */
export function collectJsonLines(child: ChildProcessWithoutNullStreams): Promise<ChildLine[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      const lines = text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ChildLine);
      if (code !== 0) reject(new Error(`exit ${code}: ${err.slice(-2000)} ${text.slice(-2000)}`));
      else resolve(lines);
    });
  });
}

/** A simulator gets this head start: gear is on before the bridge joins, as at a show. */
const SIMULATOR_HEAD_START_MS = 300;

/**
 * Node programs (as `node -e` source) on two hosts: the simulator on `simHost`,
 * then, after its head start, the bridge on `bridgeHost`.
 */
export async function simulatorThenBridge(
  lan: Lan,
  simHost: LanHost,
  simulatorProgram: string,
  bridgeHost: LanHost,
  bridgeProgram: string,
): Promise<{ readonly simChild: ChildProcessWithoutNullStreams; readonly bridgeChild: ChildProcessWithoutNullStreams }> {
  const simChild = lan.spawn(simHost, process.execPath, ['-e', simulatorProgram]);
  await new Promise((r) => setTimeout(r, SIMULATOR_HEAD_START_MS));
  const bridgeChild = lan.spawn(bridgeHost, process.execPath, ['-e', bridgeProgram]);
  return { simChild, bridgeChild };
}
