/** ink-testing-library, loaded without its types. */

/** The part of ink-testing-library's API our tests use. */
export interface InkTesting {
  render(tree: unknown): {
    lastFrame(): string | undefined;
    stdin: { write(data: string): void };
    unmount(): void;
  };
}

// Its .d.ts has `/// <reference types="node" />`, which resolves to the @types/node@6 that
// technicalindicators depends on; that version lacks `node:` modules, so a typed import breaks
// type-checking of every module in the same program. A computed specifier keeps its types out.
const SPECIFIER = "ink-testing-library";

/** The library's `render`, returning `lastFrame()`, `stdin.write()` and `unmount()`. */
export const { render } = (await import(SPECIFIER)) as InkTesting;
