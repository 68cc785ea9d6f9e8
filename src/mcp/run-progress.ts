import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressEvent } from '../engine/index.js';

export type ProgressExtra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, '_meta' | 'sendNotification'>;

/** How often a run with no finished item still reports (clients time out after 60 s without progress by default). */
export const HEARTBEAT_MS = 2_000;

export interface RunProgress {
  /** The engine's onProgress callback. */
  report(event: ProgressEvent): void;
  /** Stops the heartbeat, drops anything reported later, and resolves once every sent notification is out. */
  finish(): Promise<void>;
}

/**
 * Progress notifications of one tool call, when the request carries a progress token (none otherwise).
 * `progress` is the number of finished items, strictly increasing: 0 when the run starts (its message
 * names the run id, so a client can look the run up while it goes), the engine's total on each item,
 * and a heartbeat every `heartbeatMs` in between that adds a fraction below 1 (k heartbeats since the
 * last item add 1 - 1/(k+1)), so a node working on one slow item still keeps the client's timeout
 * alive and the next item's whole number is still larger. Nothing is sent after `finish()`.
 */
export function runProgress(extra: ProgressExtra, runId: string, options: { heartbeatMs?: number } = {}): RunProgress {
  const token = extra._meta?.progressToken;
  const started = Date.now();
  let done = 0;
  let beats = 0;
  let last = -1;
  let lastMessage = 'started';
  let finished = false;
  let queue: Promise<void> = Promise.resolve();

  const send = (progress: number, message: string) => {
    if (token === undefined || finished || progress <= last) return;
    last = progress;
    queue = queue
      .then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }))
      .catch(() => undefined);
  };
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  send(0, `run ${runId} started`);
  const timer =
    token === undefined
      ? undefined
      : setInterval(() => {
          beats += 1;
          send(done + 1 - 1 / (beats + 1), `run ${runId} working: ${done} item(s) done after ${elapsed()} (last: ${lastMessage})`);
        }, options.heartbeatMs ?? HEARTBEAT_MS);
  timer?.unref();

  return {
    report(event) {
      if (event.totalDone <= done) return;
      done = event.totalDone;
      beats = 0;
      lastMessage = `${event.nodeId} ${event.kind === 'item-failed' ? 'skipped an item' : `finished item ${event.itemsDone}`}`;
      send(done, `${lastMessage}; ${done} item(s) done after ${elapsed()}`);
    },
    finish() {
      finished = true;
      clearInterval(timer);
      return queue;
    },
  };
}
