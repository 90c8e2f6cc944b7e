/**
 * Test support for the rules: a fast-check generator of well-formed, well-typed expressions over
 * the whole grammar, each as a tree the tests can evaluate their own way, and a printer that
 * writes it with only the parentheses precedence needs (so printing also exercises the parser).
 */
import fc from "fast-check";
import type { Candle } from "../../strategy_api.ts";

/** A generated expression. Period arguments are literals or params, as the language demands. */
export type Expr =
  | { readonly k: "series"; readonly name: "open" | "high" | "low" | "close" | "volume" }
  | { readonly k: "literal"; readonly value: number }
  | { readonly k: "param"; readonly name: string; readonly value: number }
  | { readonly k: "negate" | "not"; readonly x: Expr }
  | { readonly k: "binary"; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: "call"; readonly name: string; readonly args: readonly Expr[] };

/** The named params every generated expression may use, with their values. */
export const PARAMS: Readonly<Record<string, number>> = { fast: 3, slow: 8, level: 1.5 };

const period = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((value): Expr => ({ k: "literal", value })),
  fc.constantFrom("fast", "slow").map((name): Expr => ({ k: "param", name, value: PARAMS[name] })),
);
const multiplier = fc.oneof(
  fc.constantFrom(0.5, 2, 2.5).map((value): Expr => ({ k: "literal", value })),
  fc.constant<Expr>({ k: "param", name: "level", value: PARAMS.level }),
);
const call = (name: string, ...args: Expr[]): Expr => ({ k: "call", name, args });

/** Arbitraries for number and condition expressions, `depth` levels deep at most. */
export function expressions(
  depth = 4,
): { number: fc.Arbitrary<Expr>; boolean: fc.Arbitrary<Expr> } {
  const tree = fc.letrec<{ number: Expr; boolean: Expr }>((tie) => {
    const num = tie("number");
    const bool = tie("boolean");
    return {
      number: fc.oneof(
        { depthSize: "small", maxDepth: depth, withCrossShrink: true },
        fc.constantFrom("open", "high", "low", "close", "volume").map((name): Expr => ({
          k: "series",
          name,
        })),
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(0.5, 1.25, 100))
          .map((value): Expr => ({ k: "literal", value })),
        fc.constantFrom("fast", "slow", "level").map((name): Expr => ({
          k: "param",
          name,
          value: PARAMS[name],
        })),
        num.map((x): Expr => ({ k: "negate", x })),
        fc.tuple(fc.constantFrom("+", "-", "*", "/"), num, num).map(([op, l, r]): Expr => ({
          k: "binary",
          op,
          l,
          r,
        })),
        fc.tuple(
          fc.constantFrom(
            "sma",
            "ema",
            "rsi",
            "highest",
            "lowest",
            "stdev",
            "prev",
            "change",
            "roc",
          ),
          num,
          period,
        )
          .map(([name, x, n]) => call(name, x, n)),
        fc.tuple(
          fc.constantFrom("macd_line", "macd_signal", "macd_hist"),
          num,
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 5 }),
        )
          .map(([name, x, fast, extra, signal]) =>
            call(name, x, lit(fast), lit(fast + extra), lit(signal))
          ),
        fc.tuple(fc.constantFrom("bb_upper", "bb_middle", "bb_lower"), num, period, multiplier)
          .map(([name, x, n, k]) => call(name, x, n, k)),
        fc.tuple(fc.constantFrom("atr", "vwap"), period).map(([name, n]) => call(name, n)),
        fc.tuple(fc.constantFrom("stoch_k", "stoch_d"), period, period, period).map((
          [name, ...args],
        ) => call(name, ...args)),
        fc.tuple(fc.constantFrom("abs", "sqrt", "log"), num).map(([name, x]) => call(name, x)),
        fc.tuple(fc.constantFrom("min", "max"), fc.array(num, { minLength: 2, maxLength: 3 })).map((
          [name, args],
        ) => call(name, ...args)),
      ),
      boolean: fc.oneof(
        { depthSize: "small", maxDepth: depth, withCrossShrink: true },
        fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "==", "!="), num, num).map((
          [op, l, r],
        ): Expr => ({ k: "binary", op, l, r })),
        fc.tuple(fc.constantFrom("crosses_above", "crosses_below"), num, num).map(([name, a, b]) =>
          call(name, a, b)
        ),
        fc.tuple(fc.constantFrom("and", "or", "==", "!="), bool, bool).map(([op, l, r]): Expr => ({
          k: "binary",
          op,
          l,
          r,
        })),
        bool.map((x): Expr => ({ k: "not", x })),
        // One function of one input at two periods: shared nodes must stay apart.
        fc.tuple(
          fc.constantFrom("sma", "ema", "rsi", "highest", "lowest", "stdev", "prev", "roc"),
          num,
          period,
          period,
          fc.constantFrom("<", "crosses_above"),
        ).map(([name, x, a, b, how]): Expr =>
          how === "<"
            ? { k: "binary", op: how, l: call(name, x, a), r: call(name, x, b) }
            : call(how, call(name, x, a), call(name, x, b))
        ),
        fc.tuple(bool, period).map(([x, k]) => call("prev", x, k)),
      ),
    };
  });
  return { number: tree.number, boolean: tree.boolean };
}

function lit(value: number): Expr {
  return { k: "literal", value };
}

const PRECEDENCE: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "==": 4,
  "!=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
};

function precedence(expr: Expr): number {
  if (expr.k === "binary") return PRECEDENCE[expr.op];
  if (expr.k === "not") return 3;
  return expr.k === "negate" ? 7 : 8;
}

/** `expr` as rule text, with the parentheses precedence needs and no others. */
export function print(expr: Expr): string {
  const wrap = (child: Expr, needed: boolean) => needed ? `(${print(child)})` : print(child);
  switch (expr.k) {
    case "series":
    case "param":
      return expr.name;
    case "literal":
      return String(expr.value);
    case "negate":
      return `-${wrap(expr.x, precedence(expr.x) < 7)}`;
    case "not":
      return `not ${wrap(expr.x, precedence(expr.x) < 3)}`;
    case "call":
      return `${expr.name}(${expr.args.map(print).join(", ")})`;
    case "binary": {
      const own = PRECEDENCE[expr.op];
      // Comparisons do not chain, so a comparison inside one always needs parentheses.
      const left = precedence(expr.l) < own || (own === 4 && precedence(expr.l) === 4);
      return `${wrap(expr.l, left)} ${expr.op} ${wrap(expr.r, precedence(expr.r) <= own)}`;
    }
  }
}

/** Candles with small whole-number prices, so equal values, flat windows and zero ranges occur. */
export function smallCandles(options: { minLength?: number; maxLength?: number } = {}) {
  const bar = fc.record({
    move: fc.integer({ min: -3, max: 3 }),
    up: fc.integer({ min: 0, max: 2 }),
    down: fc.integer({ min: 0, max: 2 }),
    close: fc.integer({ min: -2, max: 2 }),
    volume: fc.integer({ min: 0, max: 5 }),
  });
  return fc.array(bar, { minLength: options.minLength ?? 40, maxLength: options.maxLength ?? 120 })
    .map((bars) => {
      let open = 20;
      return bars.map((b, i): Candle => {
        open = Math.max(5, open + b.move);
        const close = Math.max(1, open + b.close);
        const high = Math.max(open, close) + b.up;
        const low = Math.max(0.5, Math.min(open, close) - b.down);
        return { openTimeMs: i * 60_000, open, high, low, close, volume: b.volume };
      });
    });
}
