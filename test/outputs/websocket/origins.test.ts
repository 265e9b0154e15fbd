import { originAllowed, printableOrigin } from '../../../src/outputs/websocket/origins';

describe('WebSocket origins', () => {
  it.each([
    // [Origin header, allowed list, allowed?]
    [undefined, undefined, true],
    ['', undefined, true],
    ['http://localhost:3000', undefined, true],
    ['https://localhost', undefined, true],
    ['http://127.0.0.1:8080', undefined, true],
    ['http://127.1.2.3', undefined, true],
    ['http://[::1]:5173', undefined, true],
    ['http://dash.localhost:8000', undefined, true],
    ['HTTP://LOCALHOST:3000', undefined, true],
    ['https://evil.example', undefined, false],
    ['http://localhost.evil.example', undefined, false],
    ['http://127.0.0.1.evil.example', undefined, false],
    ['null', undefined, false],
    ['file://', undefined, false],
    ['chrome-extension://abcdef', undefined, false],
    ['http://192.168.1.20:8000', ['http://192.168.1.20:8000'], true],
    ['http://192.168.1.20', ['http://192.168.1.20:80'], true],
    ['http://192.168.1.20:8000', ['HTTP://192.168.1.20:8000/'], true],
    ['http://192.168.1.20:8001', ['http://192.168.1.20:8000'], false],
    ['https://192.168.1.20:8000', ['http://192.168.1.20:8000'], false],
    ['http://localhost:3000', ['http://192.168.1.20:8000'], false],
    ['http://localhost:3000', ['http://192.168.1.20:8000', 'localhost'], true],
    ['null', ['null'], true],
    ['https://anything.example', ['*'], true],
  ] as [string | undefined, string[] | undefined, boolean][])('%s with %j → %s', (origin, allowed, expected) => {
    expect(originAllowed(origin, allowed)).toBe(expected);
  });

  it('prints an origin quoted, cut short and without control characters', () => {
    expect(printableOrigin('https://evil.example')).toBe('"https://evil.example"');
    expect(printableOrigin('http://a\u0000\nb')).toBe('"http://a??b"');
    expect(printableOrigin(`http://${'a'.repeat(200)}`)).toBe(`"http://${'a'.repeat(73)}…"`);
  });
});
