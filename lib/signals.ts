// Signals (blinker's Signal and Namespace) and Flask's own: request_started, request_finished,
// got_request_exception, request_tearing_down, appcontext_*, template rendering and
// message_flashed. A receiver is called with the sender and the signal's values as one object
// (Python's keyword arguments). The pipeline sends them; with no receiver connected, a request
// pays nothing for them (the plain path checks one counter).

import type { Response } from "./response.js";

/** Connect a receiver for every sender (blinker's ANY). */
export const ANY: unique symbol = Symbol("ANY");
type Sender = unknown;

/** A signal receiver: `(sender, { response }) => ...`. */
export type Receiver<K extends object = Record<string, unknown>> = (sender: any, kwargs: K) => unknown;

/** Receivers connected to the signals a request sends; while 0, requests skip sending them. */
export const pipelineReceivers = { count: 0 };

/**
 * A named signal receivers connect to (blinker's Signal).
 *
 * @example
 * const model_saved = new Namespace().signal("model-saved");
 * model_saved.connect((sender, { id }) => console.log("saved", id));
 * model_saved.send(app, { id: 42 });
 */
export class Signal<K extends object = Record<string, unknown>> {
  readonly name: string;
  readonly doc: string | undefined;
  /** Each receiver and the senders it listens to (ANY for all). */
  readonly receivers = new Map<Receiver<K>, Set<Sender>>();
  readonly #counter: { count: number } | undefined;

  constructor(name: string, doc?: string, counter?: { count: number }) {
    this.name = name;
    this.doc = doc;
    this.#counter = counter;
  }

  /**
   * Calls `receiver` on each send from `sender` (every sender by default); returns it.
   *
   * @example
   * request_finished.connect((sender, { response }) => log(response.status), app);
   */
  connect<R extends Receiver<K>>(receiver: R, sender: Sender = ANY): R {
    if (typeof receiver !== "function") throw new TypeError(`${this.name}.connect(): the receiver must be a function.`);
    let senders = this.receivers.get(receiver);
    if (senders === undefined) {
      this.receivers.set(receiver, (senders = new Set()));
      if (this.#counter !== undefined) this.#counter.count++;
    }
    senders.add(sender);
    return receiver;
  }

  /**
   * connect() as a decorator for one sender (blinker's connect_via).
   *
   * @example
   * template_rendered.connect_via(app)(function record(sender, { template }) { seen.push(template.name); });
   */
  connect_via(sender: Sender): <R extends Receiver<K>>(receiver: R) => R {
    return (receiver) => this.connect(receiver, sender);
  }

  /** Stops calling `receiver` for `sender` (for every sender by default). */
  disconnect(receiver: Receiver<K>, sender: Sender = ANY): void {
    const senders = this.receivers.get(receiver);
    if (senders === undefined) return;
    if (sender === ANY) senders.clear();
    else senders.delete(sender);
    if (senders.size === 0) {
      this.receivers.delete(receiver);
      if (this.#counter !== undefined) this.#counter.count--;
    }
  }

  /**
   * `receiver` connected until the returned handle is disposed (blinker's connected_to): with
   * `using`, or `.run(fn)`.
   *
   * @example
   * { using _ = template_rendered.connected_to(record, app); await client.get("/"); }
   * await template_rendered.connected_to(record, app).run(() => client.get("/"));
   */
  connected_to(receiver: Receiver<K>, sender: Sender = ANY): { run<T>(fn: () => T): T; [Symbol.dispose](): void } {
    this.connect(receiver, sender);
    const done = () => this.disconnect(receiver, sender);
    return {
      run<T>(fn: () => T): T {
        let result: T;
        try {
          result = fn();
        } catch (error) {
          done();
          throw error;
        }
        if (result instanceof Promise) return result.finally(done) as T;
        done();
        return result;
      },
      [Symbol.dispose]: done,
    };
  }

  /** Whether some receiver listens to `sender` (or to every sender). */
  has_receivers_for(sender: Sender): boolean {
    for (const senders of this.receivers.values()) if (senders.has(ANY) || senders.has(sender)) return true;
    return false;
  }

  /**
   * Calls the receivers of `sender` in the order they connected, with `kwargs`; returns each
   * receiver with what it returned (a promise from an async receiver is returned as it is).
   *
   * @example
   * for (const [receiver, value] of model_saved.send(app, { id: 42 })) console.log(receiver.name, value);
   */
  send(sender: Sender = null, kwargs: K = {} as K): [Receiver<K>, unknown][] {
    const out: [Receiver<K>, unknown][] = [];
    for (const [receiver, senders] of [...this.receivers]) {
      if (senders.has(ANY) || senders.has(sender)) out.push([receiver, receiver(sender, kwargs)]);
    }
    return out;
  }
}

/**
 * Named signals, one Signal per name (blinker's Namespace).
 *
 * @example
 * const my_signals = new Namespace();
 * export const model_saved = my_signals.signal("model-saved");
 */
export class Namespace {
  readonly #signals = new Map<string, Signal<any>>();

  signal<K extends object = Record<string, unknown>>(name: string, doc?: string): Signal<K> {
    let signal = this.#signals.get(name);
    if (signal === undefined) this.#signals.set(name, (signal = new Signal<K>(name, doc)));
    return signal as Signal<K>;
  }
}

/** A template about to be or just rendered: its name (a template given as source has none). */
export interface RenderedTemplate {
  name: string | null;
}

// Flask's signals. Those a request sends count their receivers in pipelineReceivers.
export const template_rendered = new Signal<{ template: RenderedTemplate; context: Record<string, unknown> }>("template-rendered");
export const before_render_template = new Signal<{ template: RenderedTemplate; context: Record<string, unknown> }>("before-render-template");
export const request_started = new Signal<Record<string, never>>("request-started", undefined, pipelineReceivers);
export const request_finished = new Signal<{ response: Response }>("request-finished", undefined, pipelineReceivers);
export const request_tearing_down = new Signal<{ exc: unknown }>("request-tearing-down", undefined, pipelineReceivers);
export const got_request_exception = new Signal<{ exception: unknown }>("got-request-exception", undefined, pipelineReceivers);
export const appcontext_tearing_down = new Signal<{ exc: unknown }>("appcontext-tearing-down", undefined, pipelineReceivers);
export const appcontext_pushed = new Signal<Record<string, never>>("appcontext-pushed", undefined, pipelineReceivers);
export const appcontext_popped = new Signal<Record<string, never>>("appcontext-popped", undefined, pipelineReceivers);
export const message_flashed = new Signal<{ message: unknown; category: string }>("message-flashed");
