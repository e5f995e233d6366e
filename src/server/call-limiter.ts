import { TimeoutError } from "./errors.js";

/** The wait for a free call outlasted the handler's budget: the handler answers 503 rather than queue longer. */
export class QueueTimeoutError extends TimeoutError {}

export interface CallLimiter {
  /** Runs `task` once fewer than `max` tasks are running; rejects with QueueTimeoutError if that is not before `deadline`. */
  run<T>(task: () => Promise<T>, deadline: number): Promise<T>;
}

/**
 * A first-come, first-served limit on concurrent tasks. A finishing task hands
 * its slot straight to the oldest waiter, so a newcomer cannot take it first.
 */
export function createCallLimiter(max: number): CallLimiter {
  let running = 0;
  const waiting = new Set<{ start: () => void }>();

  const release = () => {
    const [next] = waiting;
    if (next) {
      waiting.delete(next);
      next.start();
    } else {
      running--;
    }
  };

  return {
    run(task, deadline) {
      let turn: Promise<void>;
      if (running < max) {
        running++;
        turn = Promise.resolve();
      } else {
        turn = new Promise((resolve, reject) => {
          const waiter = {
            start: () => {
              clearTimeout(timer);
              resolve();
            },
          };
          const timer = setTimeout(
            () => {
              waiting.delete(waiter);
              reject(new QueueTimeoutError(`no call to DevRev came free in time (${max} already running)`));
            },
            Math.max(0, deadline - Date.now()),
          );
          waiting.add(waiter);
        });
      }
      return turn.then(() => task().finally(release));
    },
  };
}
