/** A secret value that prints as `***` everywhere: strings, JSON, console and inspect. */

const MASK = "***";

/** Wraps a credential so that only an explicit `reveal()` shows it. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value; call it only where the secret is handed to its consumer (CCXT). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [Symbol.toPrimitive](): string {
    return MASK;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return MASK;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return MASK;
  }
}
