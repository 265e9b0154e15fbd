/** Resolves once `check()` holds, polling every `everyMs`; rejects after `timeoutMs`. */
export function until(check: () => boolean, timeoutMs = 5000, everyMs = 10): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(tick, everyMs);
    };
    tick();
  });
}
