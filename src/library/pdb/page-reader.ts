/**
 * Bounded little-endian reads inside one page of a DeviceSQL file. Every
 * read is checked against the page, so a damaged offset becomes a PdbError
 * naming the file and page instead of a RangeError or a read from the next page.
 */
import { PdbError, type PdbErrorCode } from './pdb-error';

export class PageReader {
  constructor(
    readonly file: string,
    /** The page's index in the file (its offset is index × page size). */
    readonly index: number,
    /** Exactly the page's bytes. */
    readonly bytes: Buffer,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  fail(code: PdbErrorCode, detail: string): PdbError {
    return new PdbError(code, this.file, this.index, detail);
  }

  private need(at: number, length: number, what: string): void {
    if (!Number.isInteger(at) || at < 0 || at + length > this.bytes.length) {
      throw this.fail('bad-row', `${what} at byte ${at} reaches past the end of the ${this.bytes.length}-byte page`);
    }
  }

  u8(at: number, what: string): number {
    this.need(at, 1, what);
    return this.bytes.readUInt8(at);
  }

  u16(at: number, what: string): number {
    this.need(at, 2, what);
    return this.bytes.readUInt16LE(at);
  }

  u32(at: number, what: string): number {
    this.need(at, 4, what);
    return this.bytes.readUInt32LE(at);
  }

  slice(at: number, length: number, what: string): Buffer {
    this.need(at, length, what);
    return this.bytes.subarray(at, at + length);
  }
}
