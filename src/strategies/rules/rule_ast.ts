/** The syntax tree of one rule expression, each node with its place in the expression text. */

/** Binary operators, by precedence: `or` < `and` < comparisons < `+ -` < `* /`. */
export type BinaryOperator =
  | "or"
  | "and"
  | "<"
  | "<="
  | ">"
  | ">="
  | "=="
  | "!="
  | "+"
  | "-"
  | "*"
  | "/";

/** One node; `start`/`end` are 0-based character offsets into the expression. */
export type RuleAst =
  | {
    readonly kind: "number";
    readonly value: number;
    readonly start: number;
    readonly end: number;
  }
  | { readonly kind: "name"; readonly name: string; readonly start: number; readonly end: number }
  | {
    readonly kind: "call";
    readonly name: string;
    readonly args: readonly RuleAst[];
    readonly start: number;
    readonly end: number;
  }
  | {
    readonly kind: "unary";
    readonly operator: "-" | "not";
    readonly operand: RuleAst;
    readonly start: number;
    readonly end: number;
  }
  | {
    readonly kind: "binary";
    readonly operator: BinaryOperator;
    readonly left: RuleAst;
    readonly right: RuleAst;
    /** Offset of the operator itself, where type errors about it point. */
    readonly operatorStart: number;
    readonly start: number;
    readonly end: number;
  };

/** A problem in a rule expression at a character offset; `check` turns it into a param problem. */
export class RuleError extends Error {
  /** 0-based offset into the expression text. */
  readonly index: number;

  constructor(index: number, message: string) {
    super(message);
    this.name = "RuleError";
    this.index = index;
  }
}

/** `column 14` (1-based), or `expression line 2, column 3` when the text spans lines. */
export function describePlace(text: string, index: number): string {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = index - lineStart + 1;
  if (!text.includes("\n")) return `column ${column}`;
  const line = before.split("\n").length;
  return `expression line ${line}, column ${column}`;
}
