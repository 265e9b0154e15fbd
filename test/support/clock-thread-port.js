'use strict';
/**
 * MIDI port factories for MidiClockThread tests. The clock thread loads this
 * file by path and runs compiled code only, so it is plain JavaScript and uses
 * the compiled MidiError from dist/ (the one the thread's own checks know).
 *
 * openTestDevice(state, channel): a USB interface the test plugs and unplugs
 * through `state`, an Int32Array over a SharedArrayBuffer the test also holds
 * (see DEVICE_* below; each outage is detected one way only, so a test
 * knows which). Every open gives a fresh port; every message a port
 * takes is broadcast on the BroadcastChannel `channel` as
 * `{ port, at, bytes }` (port = 1 for the first open, 2 for the next…,
 * at = process.hrtime in ms).
 */
const path = require('node:path');
const { BroadcastChannel } = require('node:worker_threads');
const { MidiError } = require(path.join(__dirname, '..', '..', 'dist', 'outputs', 'midi', 'midi-errors.js'));

/** Int32 slots of the shared state. */
const DEVICE_PLUGGED = 0; // 1 while plugged in: opens succeed and messages get through
const DEVICE_LISTED = 1; // 1 while the MIDI system lists the port (what isPresent() answers)
const DEVICE_SILENT = 2; // 1: an unplugged port swallows messages (as ALSA does) instead of throwing
const DEVICE_OPENS = 3; // successful opens so far
const DEVICE_SLOTS = 4;

function hrtimeMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function openTestDevice(buffer, channelName) {
  const state = new Int32Array(buffer);
  if (Atomics.load(state, DEVICE_PLUGGED) !== 1) {
    return { ok: false, error: new MidiError('port-not-found', 'no MIDI output matches Test Uno (available: Midi Through)') };
  }
  const number = Atomics.add(state, DEVICE_OPENS, 1) + 1;
  const channel = new BroadcastChannel(channelName);
  let closed = false;
  const port = {
    name: 'Test Uno',
    send(message) {
      if (closed) throw new Error('MIDI port "Test Uno" is closed');
      if (Atomics.load(state, DEVICE_PLUGGED) !== 1) {
        if (Atomics.load(state, DEVICE_SILENT) === 1) return;
        throw new Error('the device was unplugged');
      }
      channel.postMessage({ port: number, at: hrtimeMs(), bytes: [...message] });
    },
    isPresent() {
      return !closed && Atomics.load(state, DEVICE_LISTED) === 1;
    },
    close() {
      if (closed) return;
      closed = true;
      channel.close();
    },
  };
  return { ok: true, port, warning: null };
}

function throwingOpen() {
  throw new Error('the driver crashed');
}

function promisedOpen() {
  return Promise.resolve({ name: 'late', send() {}, close() {} });
}

module.exports = { DEVICE_PLUGGED, DEVICE_LISTED, DEVICE_SILENT, DEVICE_OPENS, DEVICE_SLOTS, openTestDevice, throwingOpen, promisedOpen };
