import assert from "node:assert/strict";
import { MAX_EXPRESSION_LENGTH, parseRule } from "./parse_rule.ts";
import { describePlace, type RuleAst, RuleError } from "./rule_ast.ts";

/** The tree as compact text: every operation parenthesised, to show what binds to what. */
function shape(ast: RuleAst): string {
  switch (ast.kind) {
    case "number":
      return String(ast.value);
    case "name":
      return ast.name;
    case "call":
      return `${ast.name}(${ast.args.map(shape).join(", ")})`;
    case "unary":
      return `(${ast.operator === "not" ? "not " : "-"}${shape(ast.operand)})`;
    case "binary":
      return `(${shape(ast.left)} ${ast.operator} ${shape(ast.right)})`;
  }
}

/** `column N: message` for the error parsing `text` throws. */
function failure(text: string): string {
  try {
    parseRule(text);
  } catch (error) {
    assert.ok(error instanceof RuleError, String(error));
    return `${describePlace(text, error.index)}: ${error.message}`;
  }
  throw new Error(`"${text}" parsed`);
}

Deno.test("parseRule binds or < and < not < comparisons < + - < * / < unary minus", () => {
  const cases: [string, string][] = [
    ["a or b and c", "(a or (b and c))"],
    ["not a and b", "((not a) and b)"],
    ["not close > open", "(not (close > open))"],
    ["1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)"],
    ["8 / 4 / 2", "((8 / 4) / 2)"],
    ["-close * 2", "((-close) * 2)"],
    ["- -1", "(-(-1))"],
    ["+close", "close"],
    ["(a or b) and c", "((a or b) and c)"],
    ["(close >= open) == (high != low)", "((close >= open) == (high != low))"],
    ["crosses_above(sma(close, fast), 3e2)", "crosses_above(sma(close, fast), 300)"],
    ["bars_since_entry() >= 0.5", "(bars_since_entry() >= 0.5)"],
    ["android and notable or order", "((android and notable) or order)"],
  ];
  for (const [text, expected] of cases) assert.equal(shape(parseRule(text)), expected, text);
});

Deno.test("parseRule records where each node starts, for column numbers", () => {
  const ast = parseRule("close > rsj(close, 14)");
  assert.equal(ast.kind, "binary");
  if (ast.kind !== "binary") return;
  assert.equal(ast.operatorStart, 6);
  assert.deepEqual([ast.right.start, ast.right.end], [8, 22]);
  assert.equal(describePlace("a and\n  rsj(x)", 8), "expression line 2, column 3");
});

Deno.test("parseRule refuses bad syntax at the column of the problem, in plain words", () => {
  const cases: [string, string][] = [
    ["", 'column 1: the expression is empty; write a condition such as "close > sma(close, 20)"'],
    [
      "   ",
      'column 1: the expression is empty; write a condition such as "close > sma(close, 20)"',
    ],
    ["(close > open", 'column 1: unbalanced parentheses: this "(" is never closed'],
    ["sma(close, 3)) > 1", 'column 14: unbalanced parentheses: this ")" closes nothing'],
    [
      "close >",
      'column 8: the expression ends too soon; expected a number, a name, a function call or "("',
    ],
    ["close open", 'column 7: unexpected "open"; expected an operator'],
    [
      "sma(close 10)",
      'column 11: unexpected "10"; expected an operator, a comma or a closing parenthesis',
    ],
    ["sma(close,)", 'column 11: unexpected ")"; expected a number, a name, a function call or "("'],
    ["a < b < c", 'column 7: comparisons do not chain; write "a < b and b < c" instead'],
    ["a && b", 'column 3: unexpected "&&": use "and" instead of "&&"'],
    ["a || b", 'column 3: unexpected "||": use "or" instead of "||"'],
    ["!a", 'column 1: unexpected "!": use "not" instead of "!"'],
    ["close = open", 'column 7: unexpected "=": use "==" to compare; there is no assignment'],
    ["close ** 2", 'column 7: unexpected "**": there is no power operator; multiply, or use sqrt'],
    ["close % 2", 'column 7: unexpected "%": there is no % operator'],
    [
      "close[1]",
      'column 6: unexpected "[": use prev(x, k) for the value k candles ago; brackets mean nothing here',
    ],
    ["close > 1.2.3", 'column 9: "1.2.3" is not a number'],
    [
      "a > 1 ? 2 : 3",
      'column 7: unexpected "?": there is no "? :"; combine conditions with and, or, not',
    ],
    [
      "close > 'x'",
      'column 9: unexpected "\'": there are no strings in rules; names and numbers only',
    ],
    ["cl\u00f6se > 1", 'column 3: unexpected "\u00f6"; expected an operator'],
    [
      "a and\n  or b",
      'expression line 2, column 3: unexpected "or"; expected a number, a name, a function call or "("',
    ],
  ];
  for (const [text, expected] of cases) assert.equal(failure(text), expected, JSON.stringify(text));
}); // deno-fmt-ignore

Deno.test("parseRule refuses an expression longer than the limit, and takes one at it", () => {
  const long = `close > ${"1".padStart(MAX_EXPRESSION_LENGTH - 8, "0")}`;
  assert.equal(long.length, MAX_EXPRESSION_LENGTH);
  assert.equal(parseRule(long).kind, "binary");
  assert.equal(
    failure(`${long} `),
    "column 2001: the expression is 2001 characters long; the limit is 2000",
  );
});
