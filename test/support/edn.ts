/**
 * A small reader for the EDN files Beat Link Trigger saves its sample tracks
 * in (beat-grid.edn, metadata.edn): vectors, maps, keywords, strings,
 * integers, nil and booleans. Anything else is an error, so a test never
 * reads a value it does not understand.
 */
export type EdnValue =
  number | string | boolean | null | { readonly keyword: string } | EdnValue[] | Map<EdnValue, EdnValue>;

const DELIMITERS = new Set(['[', ']', '{', '}', '"']);

export function readEdn(text: string): EdnValue {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length) {
      const c = text[at] as string;
      if (c === ';') while (at < text.length && text[at] !== '\n') at++;
      else if (/[\s,]/.test(c)) at++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new Error(`EDN: ${what} at offset ${at}`);
  };
  const atom = (): string => {
    const start = at;
    while (at < text.length && !/[\s,]/.test(text[at] as string) && !DELIMITERS.has(text[at] as string)) at++;
    return text.slice(start, at);
  };
  const until = (close: string): EdnValue[] => {
    const items: EdnValue[] = [];
    for (;;) {
      skipSpace();
      if (at >= text.length) fail(`missing "${close}"`);
      if (text[at] === close) {
        at++;
        return items;
      }
      items.push(value());
    }
  };
  const value = (): EdnValue => {
    skipSpace();
    const c = text[at];
    if (c === '[') {
      at++;
      return until(']');
    }
    if (c === '{') {
      at++;
      const items = until('}');
      if (items.length % 2 !== 0) fail('a map with an odd number of forms');
      const map = new Map<EdnValue, EdnValue>();
      for (let i = 0; i < items.length; i += 2) {
        const key = items[i] as EdnValue;
        map.set(
          typeof key === 'object' && key !== null && 'keyword' in key ? `:${key.keyword}` : key,
          items[i + 1] as EdnValue,
        );
      }
      return map;
    }
    if (c === '"') {
      const end = text.indexOf('"', at + 1);
      if (end < 0) fail('an unterminated string');
      const s = text.slice(at + 1, end);
      if (s.includes('\\')) fail('an escaped string (not supported)');
      at = end + 1;
      return s;
    }
    const token = atom();
    if (token === '') return fail(`unexpected ${JSON.stringify(c ?? 'end of text')}`);
    if (token === 'nil') return null;
    if (token === 'true' || token === 'false') return token === 'true';
    if (token.startsWith(':')) return { keyword: token.slice(1) };
    if (/^[-+]?\d+$/.test(token)) return Number(token);
    return fail(`unsupported token ${JSON.stringify(token)}`);
  };
  const result = value();
  skipSpace();
  if (at < text.length) fail('text after the first form');
  return result;
}

/** Reads an EDN vector of integer vectors, e.g. beat-grid.edn's [[beat-in-bar…] [time…] [tempo…]]. */
export function readEdnNumberVectors(text: string): number[][] {
  const value = readEdn(text);
  if (!Array.isArray(value)) throw new Error('EDN: expected a vector');
  return value.map((row, i) => {
    if (!Array.isArray(row) || !row.every((n): n is number => typeof n === 'number')) {
      throw new Error(`EDN: item ${i} is not a vector of numbers`);
    }
    return row;
  });
}

/** Reads an EDN map with keyword keys, e.g. metadata.edn; keys keep their leading colon. */
export function readEdnMap(text: string): Map<EdnValue, EdnValue> {
  const value = readEdn(text);
  if (!(value instanceof Map)) throw new Error('EDN: expected a map');
  return value;
}
