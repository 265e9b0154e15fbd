import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from './repository-root';

/**
 * Real third-party captures and analysis files, kept in test/fixtures with
 * their licences (see test/fixtures/PROVENANCE.md). PROLINK_FIXTURES points
 * the tests and benches at another copy laid out the same way.
 */
export const FIXTURES = process.env['PROLINK_FIXTURES'] ?? path.join(repositoryRoot(), 'test', 'fixtures');

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
