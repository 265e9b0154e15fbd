/**
 * The program a test runs in a network namespace as the simulated DJ gear
 * (`node -e`): it starts the built simulator on its host's eth0, broadcasting
 * on the test's LAN, says `{ kind: 'ready', at }` as a JSON line, and then runs
 * the test's own `then` code. In scope there: `sim` (dist/prolink/sim),
 * `os`, `out(o)` (a JSON line on stdout), `shift` and `epoch(t)` (a
 * performance.now() instant on CLOCK_MONOTONIC, the one clock every process
 * on the machine shares), `scenario`, `running` and `start`
 * (performance.now() when it ran).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root: the nearest folder above with a package.json (this file also runs compiled, from build/bench). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const DIST = path.join(repositoryRoot(__dirname), 'dist');

export interface SimulatorProgram {
  /** Scenario data, as a scenario file would hold it. */
  readonly scenario: object;
  /** Its name in error messages. */
  readonly name: string;
  readonly seed: number;
  /** Simulator tuning (chunk loss, zero flags…). */
  readonly tuning?: object;
  /** Print each simulator event as `{ kind: 'sim', code, at, message }`. */
  readonly simEvents?: boolean;
  /** Instants in `ready` and sim events on CLOCK_MONOTONIC (`epoch`, the default) or on the program's performance.now(). */
  readonly clock?: 'monotonic' | 'performance';
  /** Top-level code before the start (requires, helper functions). */
  readonly head?: string;
  /** What runs once the simulator plays. */
  readonly then: string;
}

export function simulatorProgram(p: SimulatorProgram): string {
  const at = p.clock === 'performance' ? '' : 'epoch';
  const options = [
    `scenario, seed: ${p.seed}`,
    ...(p.tuning === undefined ? [] : [`tuning: ${JSON.stringify(p.tuning)}`]),
    `transport: { kind: 'udp', host: { address: eth.address, mac: eth.mac, broadcast: '169.254.255.255' } }`,
    ...(p.simEvents === true ? [`onEvent: (e) => out({ kind: 'sim', code: e.code, at: ${at}(e.at), message: e.message })`] : []),
  ];
  return `
const sim = require(${JSON.stringify(path.join(DIST, 'prolink/sim/index.js'))});
const os = require('os');
const shift = Number(process.hrtime.bigint()) / 1e6 - performance.now();
const epoch = (t) => t + shift;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
${p.head ?? ''}
(async () => {
  const scenario = sim.parseScenario(${JSON.stringify(p.scenario)}, ${JSON.stringify(p.name)});
  if (!('steps' in scenario)) { out({ kind: 'error', message: scenario.message }); process.exit(1); }
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const running = await sim.startSimulator({ ${options.join(', ')} });
  if (!('truth' in running)) { out({ kind: 'error', message: running.message }); process.exit(1); }
  const start = performance.now();
  out({ kind: 'ready', at: ${at}(start) });
${p.then}
})();`;
}

/** The built module `dist/<file>`, for a program's `head` to require. */
export function distModule(file: string): string {
  return JSON.stringify(path.join(DIST, file));
}
