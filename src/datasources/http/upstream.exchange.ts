import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline.js';

/** A response read to its end. */
export interface ExchangeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 (a leading BOM dropped); '' when empty. */
  text: string;
}

/**
 * Why an exchange failed, for the upstream to classify:
 * - `dispatcher`: undici reported an error (connect, socket, headers/body timeout, invalid request...): see `error`;
 * - `aborted`: the signal fired (deadline or caller); the request was cancelled wherever it was;
 * - `too_large`: the body passed `maxBytes`; reading stopped and the socket was destroyed.
 */
export type ExchangeFailure = 'dispatcher' | 'aborted' | 'too_large';

const EMPTY: readonly Buffer[] = Object.freeze([]);
const BOM = 0xfeff;

/**
 * One request/response exchange over undici's `dispatch` API, in place of `request()`, for what `request()` hides:
 * - **whether the request went out.** undici calls `onRequestStart` on a connected socket immediately before it
 *   writes the request line; a request failed or cancelled before that call never put a byte on the wire. That
 *   is what `dispatched` records (sticky, so a pipeline replay cannot unsay it).
 * - **a body cap.** `content-length` over `maxBytes` ends the exchange before any body is read; a body that
 *   grows past it (chunked) ends it at the chunk that crosses. Either way the controller's abort destroys the
 *   socket, so the rest of the body is never read.
 * - **cancellation that keeps a write's outcome knowable.** The exchange follows `signal` (the call's deadline);
 *   with `detachOnDispatch` it tells the deadline to stop following the caller once the request is dispatched.
 *
 * A cancel before the dispatch settles at once (the caller is not kept waiting for a socket); when undici later
 * gets to the request, `onRequestStart` aborts it before anything is written.
 *
 * Hot path: this object is the handler, the abort listener (`handleEvent`) and the promise's owner; chunks are
 * kept in one array and decoded once.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly promise: Promise<ExchangeAnswer>;
  /** undici started writing the request (see above). */
  dispatched = false;
  /** The final status once headers arrived (1xx skipped), else 0. */
  status = 0;
  /** Set when the promise rejected. */
  failure: ExchangeFailure | undefined = undefined;
  /** undici's error, for `dispatcher`. */
  error: unknown = undefined;
  #headers: IncomingHttpHeaders | undefined = undefined;
  #chunks: Buffer[] | readonly Buffer[] = EMPTY;
  #bytes = 0;
  #controller: Dispatcher.DispatchController | undefined = undefined;
  #settled = false;
  #resolve!: (answer: ExchangeAnswer) => void;
  #reject!: (reason: unknown) => void;
  readonly #signal: AbortSignal;
  readonly #maxBytes: number;
  readonly #detachOnDispatch: Deadline | undefined;

  constructor(signal: AbortSignal, maxBytes: number, detachOnDispatch: Deadline | undefined) {
    this.#signal = signal;
    this.#maxBytes = maxBytes;
    this.#detachOnDispatch = detachOnDispatch;
    this.promise = new Promise<ExchangeAnswer>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    signal.addEventListener('abort', this);
  }

  /** The signal fired. */
  handleEvent(): void {
    this.#fail('aborted', this.#signal.reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#settled) {
      // Cancelled while queued for a socket: abort here, and undici writes nothing.
      controller.abort(this.#abortReason());
      return;
    }
    this.#controller = controller;
    this.dispatched = true;
    this.#detachOnDispatch?.detachCaller();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.#settled || statusCode < 200) return;
    this.status = statusCode;
    this.#headers = headers;
    const length = headers['content-length'];
    if (typeof length === 'string' && Number(length) > this.#maxBytes) this.#tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) {
      this.#tooLarge(controller);
      return;
    }
    if (this.#chunks === EMPTY) this.#chunks = [chunk];
    else (this.#chunks as Buffer[]).push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settle();
    this.#resolve({ status: this.status, headers: this.#headers ?? {}, text: this.#decode() });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#fail('dispatcher', error);
  }

  #tooLarge(controller: Dispatcher.DispatchController): void {
    this.#fail('too_large', undefined);
    // Destroys the socket: the rest of the body is never read. undici reports back through onResponseError,
    // which finds the exchange settled.
    controller.abort(new RangeError('response body over the upstream maxResponseBytes'));
  }

  #fail(failure: ExchangeFailure, error: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.failure = failure;
    this.error = error;
    this.#chunks = EMPTY;
    if (failure === 'aborted') this.#controller?.abort(this.#abortReason());
    this.#reject(error);
  }

  #settle(): void {
    this.#settled = true;
    this.#signal.removeEventListener('abort', this);
  }

  #abortReason(): Error {
    const reason: unknown = this.#signal.reason;
    return reason instanceof Error ? reason : new DOMException('The upstream call was cancelled.', 'AbortError');
  }

  #decode(): string {
    const chunks = this.#chunks;
    if (chunks.length === 0) return '';
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Buffer[], this.#bytes)).toString('utf8');
    this.#chunks = EMPTY;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  }
}
