'use strict';
/**
 * A second Ableton Link peer, for the Link end-to-end test: run it inside the
 * test's network namespace only. It joins the session with the same native
 * module the bridge uses and prints, as JSON lines, the session as it sees
 * it every 5 ms: { kind: 's', at, span, beat, tempo, peers } with `at` on
 * process.hrtime (ms), the middle of the read, `span` how long the read took
 * (ms) and `beat` for quantum 4. At `--set-at` ms after it
 * starts it sets the session tempo to `--set-tempo` once, as a DJ at another
 * Link app might, and prints { kind: 'peer-set', at, tempo }. After
 * `--duration` ms it leaves the session, prints { kind: 'done' } and ends
 * with SIGKILL (the module cannot end a process cleanly).
 */
const AbletonLink = require('abletonlink');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const duration = Number(args.duration ?? 10_000);
const setAt = Number(args['set-at'] ?? -1);
const setTempo = Number(args['set-tempo'] ?? 0);

const now = () => Number(process.hrtime.bigint()) / 1e6;
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const link = new AbletonLink(100, 4, true);
const start = now();
let set = false;
out({ kind: 'ready', at: start });
const timer = setInterval(() => {
  const before = now();
  link.update();
  const after = now();
  const at = (before + after) / 2;
  out({ kind: 's', at, span: after - before, beat: link.beat, tempo: link.bpm, peers: link.getNumPeers() });
  if (!set && setAt >= 0 && at - start >= setAt) {
    set = true;
    link.bpm = setTempo;
    out({ kind: 'peer-set', at: now(), tempo: setTempo });
  }
  if (at - start >= duration) {
    clearInterval(timer);
    link.disable();
    out({ kind: 'done' });
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
  }
}, 5);
