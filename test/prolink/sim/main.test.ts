import { parseSimulatorArgs, runSimulatorCli, SIM_EXIT_OK, SIM_EXIT_USAGE } from '../../../src/prolink/sim/main';

function io(): { print: (l: string) => void; printError: (l: string) => void; out: string[]; err: string[]; interfaces: () => NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]> } {
  const out: string[] = [];
  const err: string[] = [];
  return { print: (l) => out.push(l), printError: (l) => err.push(l), out, err, interfaces: () => ({}) };
}

describe('simulate command', () => {
  it('lists the built-in scenarios', async () => {
    const x = io();
    expect(await runSimulatorCli(['--list'], x)).toBe(SIM_EXIT_OK);
    expect(x.out.map((l) => l.split(/\s+/)[0])).toEqual(['club', 'cdj-pair']);
    expect(x.out[0]).toContain('opus');
  });

  it('parses its arguments', () => {
    expect(parseSimulatorArgs(['--interface', 'eth0', '--scenario=cdj-pair', '--seed', '7', '--duration', '2.5'])).toEqual({
      list: false,
      help: false,
      iface: 'eth0',
      scenario: 'cdj-pair',
      seed: 7,
      durationMs: 2500,
    });
    expect(parseSimulatorArgs([])).toMatchObject({ iface: null, scenario: 'club' });
    expect(parseSimulatorArgs(['--interface'])).toBe('--interface needs a value');
    expect(parseSimulatorArgs(['--seed', 'x'])).toContain('--seed');
    expect(parseSimulatorArgs(['--bogus'])).toBe('unknown argument "--bogus"');
  });

  it('turns usage mistakes into exit code 2 with a sentence', async () => {
    const bad = io();
    expect(await runSimulatorCli(['--bogus'], bad)).toBe(SIM_EXIT_USAGE);
    expect(bad.err.join('\n')).toContain('usage: simulate');
    const unknown = io();
    expect(await runSimulatorCli(['--scenario', 'disco'], unknown)).toBe(SIM_EXIT_USAGE);
    expect(unknown.err.join('\n')).toContain('no built-in scenario is called "disco"');
    const noIface = io();
    expect(await runSimulatorCli(['--interface', 'eth9'], noIface)).toBe(SIM_EXIT_USAGE);
    expect(noIface.err.join('\n')).toContain('no IPv4 interface is named or addressed "eth9"');
  });
});
