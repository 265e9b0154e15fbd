import { createLan, waitForLine, type Lan } from '../support/netns';
import { CLI } from '../support/cli';

/** `devices` and `monitor` on one host of a private LAN, the simulated OPUS-QUAD on another. */
describe('prolink-bridge devices and monitor against the simulator in network namespaces', () => {
  let lan: Lan;
  beforeAll(() => {
    lan = createLan(2);
  });
  afterAll(() => lan.destroy());

  it('prints a table with the OPUS-QUAD, its number, address and MAC', async () => {
    const [gear, laptop] = lan.hosts;
    if (gear === undefined || laptop === undefined) throw new Error('no hosts');
    const sim = lan.spawn(gear, process.execPath, [CLI, 'simulate', '--interface', 'eth0', '--scenario', 'club', '--duration', '12'], { NO_COLOR: '1' });
    await waitForLine(sim, /OPUS|keep-alive|started|club/i, 8000);
    const devices = lan.spawn(laptop, process.execPath, [CLI, 'devices', '--seconds', '3'], { NO_COLOR: '1' });
    let out = '';
    devices.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => devices.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+NUMBER\s+IP\s+MAC\s+KIND\s+OPUS-QUAD$/);
    const row = lines.find((l) => l.startsWith('OPUS-QUAD'));
    expect(row).toBeDefined();
    expect(row).toContain(gear.address);
    expect(row).toContain(gear.mac);
    expect(row).toMatch(/yes \(decks 1–4 report as 9–12\)/);
    sim.kill('SIGINT');
  });

  it('monitor (no terminal) shows frames with the four OPUS decks streaming, and stops on SIGINT', async () => {
    const [gear, laptop] = lan.hosts;
    if (gear === undefined || laptop === undefined) throw new Error('no hosts');
    const sim = lan.spawn(gear, process.execPath, [CLI, 'simulate', '--interface', 'eth0', '--scenario', 'club', '--duration', '20'], { NO_COLOR: '1' });
    await waitForLine(sim, /OPUS|keep-alive|started|club/i, 8000);
    const monitor = lan.spawn(laptop, process.execPath, [CLI, 'monitor', '--interface', 'eth0', '--mapping', 'mappings/default.yaml'], { NO_COLOR: '1' });
    let out = '';
    monitor.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const frame = (): string | null => {
      const frames = out.split(/\n─+\n/);
      // The OPUS-QUAD's decks are heard one by one: wait for a frame that has deck 4 as well as deck 1 playing.
      return frames.reverse().find((f) => /lighting mode/.test(f) && /^1\s+501\s+playing/m.test(f) && /^4\s+504\s+/m.test(f)) ?? null;
    };
    for (let i = 0; i < 150 && frame() === null; i++) await new Promise((r) => setTimeout(r, 100));
    const shown = frame();
    expect(shown).not.toBeNull();
    expect(shown).toMatch(/OPUS-QUAD #9/);
    expect(shown).toMatch(/^4\s+504\s+/m);
    monitor.kill('SIGINT');
    const code = await new Promise<number | null>((r) => monitor.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    sim.kill('SIGINT');
  });
});

