import { Subject } from 'rxjs';
import { startLiveScreen, startPlainOutput } from '../../src/monitor/screen-drivers';
import { FakeKeys } from '../support/fake-keys';
import type { Frame } from '../../src/monitor/frames';

function screen(): { written: string[]; write(text: string): boolean } {
  const written: string[] = [];
  return { written, write: (text) => written.push(text) > 0 };
}

const frame = (text: string): Frame => ({ lines: [text], width: 20, height: 5 });

describe('live screen', () => {
  it('takes the alternate screen with the cursor hidden and keys raw, draws frames, and gives everything back on q', async () => {
    const frames = new Subject<Frame>();
    const out = screen();
    const keys = new FakeKeys();
    const handle = startLiveScreen(frames, out, keys);
    expect(out.written).toEqual(['\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J']);
    expect(keys.raw).toBe(true);
    expect(keys.flowing).toBe(true);

    frames.next(frame('deck 1'));
    expect(out.written.at(-1)).toBe('\x1b[2J\x1b[1;1H\x1b[2Kdeck 1\x1b[2;1H\x1b[J');
    keys.press('\x1b[A'); // an arrow key: not a quit
    keys.press('q');
    await expect(handle.quit).resolves.toBe('quit key pressed');
    expect(out.written.at(-1)).toBe('\x1b[?25h\x1b[?1049l');
    expect(keys.raw).toBe(false);
    expect(keys.flowing).toBe(false);
    expect(keys.listenerCount('data')).toBe(0);

    const count = out.written.length;
    frames.next(frame('after'));
    handle.close();
    expect(out.written).toHaveLength(count);
    expect(frames.observed).toBe(false);
  });

  it('ends on Ctrl-C, which raw mode delivers as a byte', async () => {
    const keys = new FakeKeys();
    const handle = startLiveScreen(new Subject<Frame>(), screen(), keys);
    keys.press('\x03');
    await expect(handle.quit).resolves.toBe('Ctrl-C pressed');
  });

  it('restores the terminal when closed from outside (a signal), without a quit', async () => {
    const out = screen();
    const keys = new FakeKeys();
    const handle = startLiveScreen(new Subject<Frame>(), out, keys);
    handle.close();
    expect(out.written.at(-1)).toBe('\x1b[?25h\x1b[?1049l');
    expect(keys.raw).toBe(false);
    keys.press('q');
    const settled = await Promise.race([handle.quit.then(() => 'quit'), new Promise((resolve) => setImmediate(() => resolve('pending')))]);
    expect(settled).toBe('pending');
  });

  it('gives the terminal back and asks to stop when drawing fails', async () => {
    const frames = new Subject<Frame>();
    const out = screen();
    const handle = startLiveScreen(frames, out, null);
    frames.error(new Error('boom'));
    await expect(handle.quit).resolves.toBe('the monitor failed: boom');
    expect(out.written.at(-1)).toBe('\x1b[?25h\x1b[?1049l');
  });
});

describe('plain output', () => {
  it('writes each frame as it comes and stops on close', () => {
    const frames = new Subject<string>();
    const written: string[] = [];
    const handle = startPlainOutput(frames, (t) => written.push(t));
    frames.next('one\n');
    handle.close();
    frames.next('two\n');
    expect(written).toEqual(['one\n']);
  });
});
