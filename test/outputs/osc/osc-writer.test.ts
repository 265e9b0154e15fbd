/**
 * The bridge's own OSC writer against the `osc` package: the same bytes for
 * the same message, and the package decodes what the writer wrote.
 */
import * as osc from 'osc';
import { OscArgs } from '../../../src/outputs/osc/osc-args';
import { encodeOscMessage, type OscArgument, type OscMessage } from '../../../src/outputs/osc/osc-message';
import { oscMessageProblem, oscMessageSize, writeOscMessage } from '../../../src/outputs/osc/osc-writer';
import { OscSlab } from '../../../src/outputs/osc/osc-slab';
import { seededRandom, type Random } from '../../../src/timing/sim/prng';

function written(message: OscMessage): Buffer {
  const args = new OscArgs().setArguments(message.args);
  expect(oscMessageProblem(message.address, args)).toBeNull();
  const size = oscMessageSize(message.address, args);
  // Dirty memory around the message: padding must be written, not assumed.
  const target = Buffer.alloc(size + 8, 0xee);
  const end = writeOscMessage(target, 4, message.address, args);
  expect(end - 4).toBe(size);
  expect(target.subarray(0, 4)).toEqual(Buffer.alloc(4, 0xee));
  expect(target.subarray(end)).toEqual(Buffer.alloc(4, 0xee));
  return target.subarray(4, end);
}

function byThePackage(message: OscMessage): Buffer {
  const encoded = encodeOscMessage(message);
  if (!encoded.ok) throw new Error(encoded.message);
  return encoded.bytes;
}

const TEXTS = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'chorus', 'Ünïcödé', '鼓', 'drop 🔥', 'x'.repeat(257)];

function randomArgument(random: Random): OscArgument {
  const pick = Math.floor(random() * 5);
  switch (pick) {
    case 0:
      return { type: 'int', value: Math.floor((random() - 0.5) * 2 ** 32) };
    case 1:
      return { type: 'float', value: (random() - 0.5) * 10 ** Math.floor(random() * 12 - 6) };
    case 2:
      return { type: 'string', value: TEXTS[Math.floor(random() * TEXTS.length)] as string };
    case 3:
      return { type: 'bool', value: random() < 0.5 };
    default:
      return { type: 'nil' };
  }
}

describe('OSC writer', () => {
  it('writes what the osc package writes, for the edge cases of padding and every type', () => {
    const cases: OscMessage[] = [
      { address: '/', args: [] },
      { address: '/a', args: [] },
      { address: '/abc', args: [{ type: 'int', value: 0 }] },
      { address: '/cue/12/go', args: [{ type: 'int', value: -2147483648 }, { type: 'int', value: 2147483647 }] },
      { address: '/f', args: [{ type: 'float', value: 0.1 }, { type: 'float', value: -0 }, { type: 'float', value: 1e-40 }, { type: 'float', value: 3.4e38 }] },
      { address: '/tags/of/length/three', args: [{ type: 'bool', value: true }, { type: 'bool', value: false }] },
      { address: '/tags/of/length/four', args: [{ type: 'nil' }, { type: 'nil' }, { type: 'nil' }] },
      ...TEXTS.map((text): OscMessage => ({ address: `/text/${text}`, args: [{ type: 'string', value: text }, { type: 'int', value: 7 }] })),
    ];
    for (const message of cases) expect(written(message)).toEqual(byThePackage(message));
  });

  it('writes what the osc package writes for 2,000 random messages, and the package reads them back', () => {
    const random = seededRandom(17);
    for (let n = 0; n < 2000; n++) {
      const args = Array.from({ length: Math.floor(random() * 7) }, () => randomArgument(random));
      const message: OscMessage = { address: `/r/${TEXTS[n % TEXTS.length] as string}/${n}`, args };
      const bytes = written(message);
      expect(bytes).toEqual(byThePackage(message));
      const read = osc.readPacket(new Uint8Array(bytes), { metadata: true }) as { address: string; args: { type: string }[] };
      expect(read.address).toBe(message.address);
      expect(read.args.map((a) => a.type)).toEqual(args.map((a) => ({ int: 'i', float: 'f', string: 's', bool: a.type === 'bool' && a.value ? 'T' : 'F', nil: 'N' })[a.type]));
    }
  });

  it('refuses what encodeOscMessage refuses, with the same words', () => {
    const bad: OscMessage[] = [
      { address: 'cue/1', args: [] },
      { address: '/i', args: [{ type: 'int', value: 2 ** 31 }] },
      { address: '/i', args: [{ type: 'int', value: 1.5 }] },
      { address: '/f', args: [{ type: 'float', value: Number.NaN }] },
      { address: '/f', args: [{ type: 'float', value: Infinity }] },
    ];
    for (const message of bad) {
      const ours = oscMessageProblem(message.address, new OscArgs().setArguments(message.args));
      const theirs = encodeOscMessage(message);
      expect(theirs.ok).toBe(false);
      expect(ours).toBe(theirs.ok ? null : theirs.message);
    }
  });
});

describe('OSC slab', () => {
  const args = (value: number): OscArgs => new OscArgs().setArguments([{ type: 'int', value }]);

  it('keeps every view given out intact until all are released, then starts again from its beginning', () => {
    const slab = new OscSlab(64);
    const first = slab.encode('/one', args(1)) as Buffer;
    const second = slab.encode('/two', args(2)) as Buffer;
    expect(first.buffer).toBe(second.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + first.length);
    expect(slab.pending).toBe(2);
    slab.release();
    const third = slab.encode('/three', args(3)) as Buffer;
    expect(third.byteOffset).toBe(second.byteOffset + second.length);
    slab.release();
    slab.release();
    expect(slab.pending).toBe(0);
    const again = slab.encode('/four', args(4)) as Buffer;
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(osc.readPacket(new Uint8Array(again), { metadata: true })).toEqual({ address: '/four', args: [{ type: 'i', value: 4 }] });
  });

  it('hands out the same view again for the same message at the same place, and a new one for a new slab', () => {
    const slab = new OscSlab(64);
    const first = slab.encode('/one', args(1)) as Buffer;
    slab.release();
    const again = slab.encode('/one', args(2)) as Buffer;
    expect(again).toBe(first);
    expect(osc.readPacket(new Uint8Array(again), { metadata: true })).toEqual({ address: '/one', args: [{ type: 'i', value: 2 }] });
    const longer = slab.encode('/one/two', args(3)) as Buffer;
    expect(longer).not.toBe(first);
    // Fill the slab so a fresh one starts: views into the old one are not handed out for the new one.
    for (let i = 0; i < 4; i++) slab.encode('/fill', args(i));
    const fresh = slab.encode('/one', args(4));
    expect(fresh).not.toBe(first);
    expect(first.buffer).not.toBe((fresh as Buffer).buffer);
  });

  it('starts a fresh slab when one is full, leaving the views of the old one as they were', () => {
    const slab = new OscSlab(64);
    const views = Array.from({ length: 10 }, (_, i) => slab.encode(`/message/${i}`, args(i)) as Buffer);
    expect(new Set(views.map((v) => v.buffer)).size).toBeGreaterThan(1);
    views.forEach((view, i) => expect(osc.readPacket(new Uint8Array(view), { metadata: true })).toEqual({ address: `/message/${i}`, args: [{ type: 'i', value: i }] }));
  });

  it('leaves a retired slab to the views given out from it, and encodes on in a fresh one', () => {
    const slab = new OscSlab(64);
    const queued = slab.encode('/queued', args(7)) as Buffer;
    slab.retire();
    expect(slab.pending).toBe(0);
    const next = slab.encode('/queued', args(8)) as Buffer;
    expect(next.buffer).not.toBe(queued.buffer);
    expect(next.byteOffset).toBe(0);
    // The view a queued datagram holds still says what it said.
    expect(osc.readPacket(new Uint8Array(queued), { metadata: true })).toEqual({ address: '/queued', args: [{ type: 'i', value: 7 }] });
    expect(osc.readPacket(new Uint8Array(next), { metadata: true })).toEqual({ address: '/queued', args: [{ type: 'i', value: 8 }] });
  });

  it('gives a message larger than a slab a buffer of its own, and says why a message cannot be encoded', () => {
    const slab = new OscSlab(64);
    const long = 'x'.repeat(200);
    const view = slab.encode('/long', new OscArgs().setArguments([{ type: 'string', value: long }])) as Buffer;
    expect(osc.readPacket(new Uint8Array(view), { metadata: true })).toEqual({ address: '/long', args: [{ type: 's', value: long }] });
    expect(slab.encode('no-slash', args(1))).toBe('OSC address "no-slash" must start with "/"');
    expect(slab.pending).toBe(1);
  });
});
