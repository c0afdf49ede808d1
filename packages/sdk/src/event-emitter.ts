/**
 * A tiny typed emitter: listeners per event type, an unsubscribe function per listener, and a
 * listener that throws cannot break the capture flow (its error is reported asynchronously).
 *
 * @example
 * ```ts
 * const events = new EventEmitter<{ tick: { n: number } }>();
 * const off = events.on("tick", ({ n }) => console.log(n));
 * events.emit("tick", { n: 1 });
 * off();
 * ```
 */
export class EventEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<(detail: never) => void>>();

  on<K extends keyof M>(type: K, listener: (detail: M[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof M>(type: K, detail: M[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as (detail: M[K]) => void)(detail);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
