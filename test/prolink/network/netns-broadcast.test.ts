import * as path from 'node:path';
import { createLan, waitForLine, type Lan } from '../../support/netns';

/**
 * Two hosts on a private link-local LAN, each binding the real fixed ports,
 * exchange a broadcast on 50000 and a unicast reply on 50002 through the same
 * socket layer the bridge uses (compiled by `npm run build`).
 */
const socketsModule = path.resolve(__dirname, '../../../dist/prolink/network/udp-sockets.js');

function program(role: 'listen' | 'announce', peer: string): string {
  return `
    const { openUdpSockets } = require(${JSON.stringify(socketsModule)});
    (async () => {
      const sockets = await openUdpSockets({
        onDatagram: (d) => {
          console.log(JSON.stringify({ port: d.port, from: d.address, text: d.data.toString() }));
          if (${JSON.stringify(role)} === 'listen' && d.port === 50000) sockets.send(50002, d.address, 50002, Buffer.from('hello back'));
        },
      });
      if (!sockets.ports) { console.log('ERROR ' + sockets.message); process.exit(1); }
      console.log('READY');
      if (${JSON.stringify(role)} === 'announce') {
        const t = setInterval(() => sockets.send(50000, ${JSON.stringify(peer)}, 50000, Buffer.from('keep-alive')), 100);
        setTimeout(() => { clearInterval(t); sockets.close(); }, 8000);
      } else {
        setTimeout(() => sockets.close(), 8000);
      }
    })();`;
}

describe('real UDP on the fixed ports inside network namespaces', () => {
  let lan: Lan;
  beforeAll(() => {
    lan = createLan(2);
  });
  afterAll(() => lan.destroy());

  it('delivers a broadcast keep-alive on 50000 and a unicast reply on 50002', async () => {
    const [a, b] = lan.hosts;
    if (a === undefined || b === undefined) throw new Error('LAN has no hosts');
    const listener = lan.spawn(b, process.execPath, ['-e', program('listen', '')]);
    await waitForLine(listener, /READY/, 5000);
    const announcer = lan.spawn(a, process.execPath, ['-e', program('announce', lan.broadcast)]);
    const heard = await waitForLine(listener, /keep-alive/, 5000);
    expect(JSON.parse(heard)).toEqual({ port: 50000, from: a.address, text: 'keep-alive' });
    const reply = await waitForLine(announcer, /hello back/, 5000);
    expect(JSON.parse(reply)).toEqual({ port: 50002, from: b.address, text: 'hello back' });
  });
});
