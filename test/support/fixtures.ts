import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Real third-party captures and analysis files live in ../shared/fixtures,
 * beside the repository (never copied into it). PROLINK_FIXTURES overrides.
 */
export const FIXTURES = process.env['PROLINK_FIXTURES'] ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): Buffer {
  return fs.readFileSync(fixturePath(...parts));
}

/** Reads a one-line, space-separated hex dump into bytes. */
export function readHexFixture(...parts: string[]): Buffer {
  const text = fs.readFileSync(fixturePath(...parts), 'utf8');
  return Buffer.from(text.replace(/[^0-9a-fA-F]/g, ''), 'hex');
}

export const CAPTURES = {
  powerup: ['Deep-Symmetry__dysentery', 'doc', 'assets', 'powerup.pcapng'],
  toVirtual: ['Deep-Symmetry__dysentery', 'doc', 'assets', 'to-virtual.pcapng'],
  linkInfo: ['Deep-Symmetry__dysentery', 'doc', 'assets', 'LinkInfo.pcapng'],
  linkInfo2: ['Deep-Symmetry__dysentery', 'doc', 'assets', 'LinkInfo2.pcapng'],
  nxs2: ['Davidc96__NightClubMare', 'docs', 'assets', 'wifi pioneer.pcapng'],
} as const;
