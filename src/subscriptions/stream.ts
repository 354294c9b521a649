/**
 * The per-subscription buffer between an upstream watch (which pushes) and a
 * transport (which pulls). It is bounded: a client that stops reading fills
 * it and is disconnected instead of being buffered for without limit.
 * `return()` takes effect at once, even while a `next()` is waiting, which
 * an async generator cannot do; that is what lets a client's leaving abort
 * the upstream watch straight away.
 */

/** Items read lazily from a snapshot (initial state), so that a long list costs no copy per subscriber. */
class Backlog<T> {
  readonly iterator: Iterator<T>;
  constructor(iterator: Iterator<T>) {
    this.iterator = iterator;
  }
}

export interface StreamHooks<T> {
  /** Called once, when the stream ends for any reason (return, end, overflow): detach from the source. */
  onClose(): void;
  /** Called when the buffer overflows: disconnect the client that is not reading. */
  onOverflow(): void;
  /** The item a reader finds after an overflow, if it ever reads again. */
  overflowItem(): T;
}

export class EventStream<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #hooks: StreamHooks<T>;
  readonly #items: (T | Backlog<T>)[] = [];
  /** Queued items not counting backlogs: what the capacity bounds. */
  #queued = 0;
  #waiter: ((result: IteratorResult<T>) => void) | undefined;
  /** No more pushes; readers drain what is queued, then finish. */
  #ended = false;
  #closed = false;

  constructor(capacity: number, hooks: StreamHooks<T>) {
    this.#capacity = capacity;
    this.#hooks = hooks;
  }

  get closed(): boolean {
    return this.#closed || this.#ended;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.#waiter && this.#items.length === 0) return this.#deliver(item);
    if (this.#queued >= this.#capacity) return this.#overflow();
    this.#items.push(item);
    this.#queued += 1;
  }

  /** Queues a snapshot to be read item by item, after what is already queued. */
  pushBacklog(items: Iterable<T>): void {
    if (this.closed) return;
    this.#items.push(new Backlog(items[Symbol.iterator]()));
    this.#wake();
  }

  /** Drops everything queued (it is obsolete) and starts again with `first`, then `items`. */
  restart(first: T, items: Iterable<T>): void {
    if (this.closed) return;
    this.#items.length = 0;
    this.#queued = 0;
    this.push(first);
    this.pushBacklog(items);
  }

  /** Ends after what is queued, and `last` if given, have been read. */
  end(last?: T): void {
    if (this.closed) return;
    if (last !== undefined) {
      this.#items.push(last);
      this.#queued += 1;
    }
    this.#ended = true;
    this.#hooks.onClose();
    this.#wake();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#take();
    if (item) return Promise.resolve(item);
    if (this.#closed || this.#ended) return Promise.resolve(this.#finish());
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#close();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #take(): IteratorResult<T> | undefined {
    while (this.#items.length > 0 && !this.#closed) {
      const head = this.#items[0]!;
      if (head instanceof Backlog) {
        const next = (head as Backlog<T>).iterator.next();
        if (!next.done) return { done: false, value: next.value };
        this.#items.shift();
        continue;
      }
      this.#items.shift();
      this.#queued -= 1;
      return { done: false, value: head as T };
    }
    return undefined;
  }

  #finish(): IteratorResult<T> {
    this.#close();
    return { done: true, value: undefined };
  }

  #deliver(item: T): void {
    const waiter = this.#waiter!;
    this.#waiter = undefined;
    waiter({ done: false, value: item });
  }

  #wake(): void {
    if (!this.#waiter) return;
    const item = this.#take();
    if (item) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(item);
    } else if (this.#ended) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(this.#finish());
    }
  }

  #overflow(): void {
    this.#items.length = 0;
    this.#items.push(this.#hooks.overflowItem());
    this.#queued = 1;
    this.#ended = true;
    this.#hooks.onClose();
    this.#hooks.onOverflow();
  }

  #close(): void {
    if (this.#closed) return;
    const wasEnded = this.#ended;
    this.#closed = true;
    this.#items.length = 0;
    this.#queued = 0;
    if (!wasEnded) this.#hooks.onClose();
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter({ done: true, value: undefined });
    }
  }
}
