/** Sleep unless aborted; resolves false when aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolveSleep(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolveSleep(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
