// Sync-first coroutines: runs a generator whose `yield`s may be plain values or promises,
// synchronously until the first promise, asynchronously after it. The request pipeline is
// written this way so that a request whose hooks and view are all synchronous creates no
// promises at all: on Node 20, AsyncLocalStorage hooks every promise, and a dozen awaits per
// request cost more than the rest of the pipeline.

/** What a pipeline stage is: a generator that yields values or promises and returns T. */
export type Stage<T> = Generator<unknown, T, unknown>;

/** Whether `value` is a promise (or any thenable) the pipeline must await. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Runs each synchronous step of a stage after an await; the request pipeline's makes its context active. */
export interface StepRunner {
  step<R>(fn: () => R): R;
}

const direct: StepRunner = { step: (fn) => fn() };

/**
 * Drives `stage` to completion. Each yielded value is sent straight back; each yielded promise
 * is awaited and its result (or rejection, thrown into the generator) sent back. Returns the
 * result itself when no promise was met, else a promise of it. Errors the generator does not
 * catch are thrown synchronously or reject the promise, depending on when they happen. The
 * steps after an await run through `runner`.
 *
 * @example
 * function* stage() { const a = yield 1; const b = yield Promise.resolve(2); return a + b; }
 * await drive(stage()); // 3
 */
export function drive<T>(stage: Stage<T>, runner: StepRunner = direct): T | Promise<T> {
  let step = stage.next();
  while (!step.done) {
    if (isThenable(step.value)) return resume(stage, step.value, runner);
    step = stage.next(step.value);
  }
  return step.value;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Sends a settled value (or error) into the stage and runs it up to its next promise or its end. */
function advance<T>(stage: Stage<T>, settled: Settled): IteratorResult<unknown, T> {
  // A rejection is thrown into the stage (its try/catch sees it); what the stage itself throws
  // rejects the promise resume() returns.
  let step = settled.ok ? stage.next(settled.value) : stage.throw(settled.error);
  while (!step.done && !isThenable(step.value)) step = stage.next(step.value);
  return step;
}

async function resume<T>(stage: Stage<T>, pending: PromiseLike<unknown>, runner: StepRunner): Promise<T> {
  for (;;) {
    let settled: Settled;
    try {
      settled = { ok: true, value: await pending };
    } catch (error) {
      settled = { ok: false, error };
    }
    const step = runner.step(() => advance(stage, settled));
    if (step.done) return step.value;
    pending = step.value as PromiseLike<unknown>;
  }
}
