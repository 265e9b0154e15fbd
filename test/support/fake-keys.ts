import { EventEmitter } from 'node:events';
import type { KeyInput } from '../../src/monitor/screen-drivers';

/** A terminal's input side as the live screen uses it: raw mode, flowing or paused, and keys as data events. */
export class FakeKeys extends EventEmitter implements KeyInput {
  readonly isTTY = true;
  raw = false;
  flowing = false;
  setRawMode(mode: boolean): this {
    this.raw = mode;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    this.flowing = true;
    return this;
  }
  pause(): this {
    this.flowing = false;
    return this;
  }
  press(data: string): void {
    this.emit('data', data);
  }
}
