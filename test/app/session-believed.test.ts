/**
 * The network session (joining as a virtual player, greeting rekordbox
 * lighting…) answers only packets the plausibility stage believed: a mangled
 * or impossible keep-alive makes the bridge neither join nor send anything,
 * while the same keep-alive with a real device number does. The real bridge,
 * in virtual time, with its datagrams and sends on a Subject.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { startBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { PORT_ANNOUNCE } from '../../src/prolink/packets/header';
import type { TimedDatagram } from '../../src/streams/received';
import { keepAliveBytes } from '../streams/plausibility/packets';

const BRIDGE = '169.254.1.2';
const PLAYER = '169.254.1.5';

/** Sends of a bridge in auto mode that hears `device`'s keep-alive every 1.5 s for 8 s, and its notices. */
async function bridgeHearing(device: number): Promise<{ sent: number; notices: string[] }> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 20_000);
  const datagrams = new Subject<TimedDatagram>();
  let sent = 0;
  const link: Link = {
    description: 'a test network',
    datagrams,
    identity: { address: BRIDGE, mac: '02:00:00:00:00:99', broadcast: '169.254.255.255', hostName: 'prolink-bridge' },
    send: () => {
      sent++;
    },
    close: async () => datagrams.complete(),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-believed-'));
  const mapping = path.join(dir, 'show.yaml');
  fs.writeFileSync(mapping, 'targets:\n  show: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - { on: play, send: [{ osc: { to: show, address: /play } }] }\n');
  const started = await startBridge({
    link,
    mode: 'auto',
    mappingPaths: [mapping],
    watchMappings: false,
    logger: createLogger({ level: 'silent', destination: fs.createWriteStream('/dev/null') }),
    openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    scheduler,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  if (!started.ok) throw new Error(started.message);
  const notices: string[] = [];
  started.bridge.activity.subscribe((a) => {
    if (a.kind === 'notice') notices.push(a.message);
  });
  for (let at = 100; at < 8_000; at += 1_500) {
    scheduler.schedule(() => datagrams.next({ port: PORT_ANNOUNCE, address: PLAYER, data: keepAliveBytes('CDJ-2000NXS2', device, PLAYER), at: scheduler.now() }), at);
  }
  scheduler.maxFrames = 9_000;
  scheduler.flush();
  const result = { sent, notices };
  await started.bridge.stop();
  return result;
}

describe('the network session hears only what the bridge believes', () => {
  it('joins the network when a real player announces itself', async () => {
    const heard = await bridgeHearing(2);
    expect(heard.sent).toBeGreaterThan(0);
    expect(heard.notices.join('\n')).toMatch(/virtual player|cdj/i);
  });

  it('does nothing for keep-alives of a player number that cannot exist (33): refused, so no hand-shake starts', async () => {
    const heard = await bridgeHearing(33);
    expect(heard.sent).toBe(0);
    expect(heard.notices).toEqual([]);
  });
});
