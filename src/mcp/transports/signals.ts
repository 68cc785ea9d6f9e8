/**
 * Calls `stop` once on the first SIGINT or SIGTERM, then lets the process end: exit code 0 unless
 * something set another, and a forced exit 2 s later if a stuck worker still holds the event loop.
 * Returns a function that stops listening (for a server that ends for another reason).
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    unsubscribe();
    void stop(signal).then(() => {
      process.exitCode ??= 0;
      setTimeout(() => process.exit(), 2000).unref();
    });
  };
  const unsubscribe = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return unsubscribe;
}
