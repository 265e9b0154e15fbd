/**
 * Finds where a key path points in a parsed YAML document, so that schema
 * errors can name file:line:col. Falls back to the nearest existing parent
 * (for a missing key, that is the map that should hold it).
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

function rangeStart(node: unknown): number | null {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (Array.isArray(range)) return range[0];
  }
  return null;
}

/**
 * Offset of the value at `path`, or of its key when `atKey` (used for unknown
 * keys, where the key itself is the mistake).
 */
export function offsetOf(doc: Document, path: readonly PropertyKey[], atKey = false): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (pair === undefined) return best;
      if (last && atKey) return rangeStart(pair.key) ?? best;
      node = pair.value;
      best = rangeStart(node) ?? rangeStart(pair.key) ?? best;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      best = rangeStart(node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}

/**
 * Offset of character `inner` of the string value at `path`: accounts for the
 * opening quote of a quoted scalar. Block scalars and escapes fall back to the
 * scalar's start.
 */
export function offsetInside(doc: Document, path: readonly PropertyKey[], inner: number): number {
  const start = offsetOf(doc, path);
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isMap(node)) node = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment)?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return start;
  }
  if (!isScalar(node)) return start;
  if (node.type === 'PLAIN') return start + inner;
  if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') return start + 1 + inner;
  return start;
}

function rangeOf(node: unknown): [number, number] | null {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (Array.isArray(range)) return [range[0], range[1]];
  }
  return null;
}

function holds(node: unknown, offset: number): boolean {
  const range = rangeOf(node);
  return range !== null && offset >= range[0] && offset <= range[1];
}

/**
 * The key path of the innermost node at `offset` (for YAML syntax errors,
 * which come with an offset only); empty at the top level.
 */
export function pathAt(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    let next: unknown = undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        if (holds(pair.key, offset)) return [...path, String(key)];
        if (holds(pair.value, offset)) {
          path.push(String(key));
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => holds(item, offset));
      if (index >= 0) {
        path.push(index);
        next = node.items[index];
      }
    }
    if (next === undefined) return path;
    node = next;
  }
}

export function positionOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[], atKey = false): Position {
  const { line, col } = lines.linePos(offsetOf(doc, path, atKey));
  return { line, column: col };
}

export type { Node };
