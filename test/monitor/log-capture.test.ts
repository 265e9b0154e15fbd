import { PassThrough } from 'node:stream';
import { firstValueFrom, take, toArray } from 'rxjs';
import { LogCapture, parseLogLine } from '../../src/monitor/log-capture';
import { createLogger } from '../../src/log/logger';

function sink(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('parseLogLine', () => {
  it('reads level, message and the other fields of a pino JSON line', () => {
    expect(parseLogLine('{"level":40,"time":1,"code":"opus-found","deck":2,"files":["a b.yaml"],"msg":"OPUS-QUAD found"}')).toEqual({
      level: 'warn',
      message: 'OPUS-QUAD found',
      detail: 'code=opus-found deck=2 files=["a b.yaml"]',
    });
    expect(parseLogLine('{"level":50,"msg":"x","name":"two words"}')).toEqual({ level: 'error', message: 'x', detail: 'name="two words"' });
    expect(parseLogLine('{"level":10,"msg":"t"}').level).toBe('trace');
    expect(parseLogLine('{"level":60,"msg":"f"}').level).toBe('fatal');
  });

  it('shows a line that is not a JSON object as it is', () => {
    expect(parseLogLine('plain text')).toEqual({ level: 'info', message: 'plain text', detail: '' });
    expect(parseLogLine('[1,2]')).toEqual({ level: 'info', message: '[1,2]', detail: '' });
  });
});

describe('LogCapture', () => {
  it('passes the logger\'s lines through until the monitor attaches, then keeps them for its tail only', async () => {
    const terminal = sink();
    const file = sink();
    const capture = new LogCapture({ passthrough: terminal.stream, copyTo: file.stream, keep: 2 });
    const logger = createLogger({ level: 'info', destination: capture });
    logger.info({ files: ['mappings/default.yaml'], rules: 7 }, 'mapping loaded');
    logger.debug('not at this level');
    capture.attach();
    logger.warn({ deck: 1 }, 'phrase data failed');
    logger.error('output gone');
    capture.release();
    logger.info('stopping');
    await new Promise((resolve) => setImmediate(resolve));

    const printed = terminal.text().trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(printed.map((r) => r.msg)).toEqual(['mapping loaded', 'stopping']);
    expect(file.text().trim().split('\n')).toHaveLength(4);
    // A late subscriber gets the last `keep` lines first.
    const lines = await firstValueFrom(capture.lines().pipe(take(2), toArray()));
    expect(lines).toEqual([
      { level: 'error', message: 'output gone', detail: '' },
      { level: 'info', message: 'stopping', detail: '' },
    ]);
  });

  it('puts lines written in pieces back together', () => {
    const capture = new LogCapture({ passthrough: null });
    const seen: string[] = [];
    capture.lines().subscribe((l) => seen.push(`${l.level} ${l.message}`));
    capture.write('{"level":30,"ms');
    capture.write('g":"one"}\n{"level":40,"msg":"two"}\n{"level"');
    expect(seen).toEqual(['info one', 'warn two']);
  });
});
