/**
 * Parses one rule expression into a `RuleAst` with an Ohm grammar. Syntax errors become a
 * `RuleError` at the offending character, worded for someone writing YAML, not a grammar.
 */
import * as ohm from "ohm-js";
import type { BinaryOperator, RuleAst } from "./rule_ast.ts";
import { RuleError } from "./rule_ast.ts";

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;

/** The grammar source; compiled on the first parse, so that loading the registry stays cheap. */
const GRAMMAR_SOURCE = String.raw`
Rule {
  Expression = Or
  Or = Or or And  -- or
     | And
  And = And and Not  -- and
      | Not
  Not = not Not  -- not
      | Comparison
  Comparison = Sum (comparisonOperator Sum)+  -- compare
             | Sum
  Sum = Sum sumOperator Product  -- sum
      | Product
  Product = Product productOperator Unary  -- product
          | Unary
  Unary = "-" Unary  -- negate
        | "+" Unary  -- plus
        | Primary
  Primary = "(" Expression ")"  -- parenthesised
          | name "(" ListOf<Expression, ","> ")"  -- call
          | number
          | name
  comparisonOperator (a comparison) = "<=" | ">=" | "==" | "!=" | "<" | ">"
  sumOperator = "+" | "-"
  productOperator = "*" | "/"
  and = "and" ~nameRest
  or = "or" ~nameRest
  not = "not" ~nameRest
  keyword = and | or | not
  name (a name) = ~keyword nameStart nameRest*
  nameStart = "a".."z" | "A".."Z" | "_"
  nameRest = nameStart | "0".."9"
  number (a number) = digit+ ("." digit+)? exponent?
  exponent = ("e" | "E") ("+" | "-")? digit+
}
`;

type Node = ohm.Node;

function span(node: Node): { start: number; end: number } {
  return { start: node.source.startIdx, end: node.source.endIdx };
}

function binary(left: Node, operator: Node, right: Node): RuleAst {
  return {
    kind: "binary",
    operator: operator.sourceString as BinaryOperator,
    left: left.toAst(),
    right: right.toAst(),
    operatorStart: operator.source.startIdx,
    start: left.source.startIdx,
    end: right.source.endIdx,
  };
}

const ACTIONS: ohm.ActionDict<RuleAst> = {
  Or_or: binary,
  And_and: binary,
  Not_not(_not, operand) {
    return { kind: "unary", operator: "not", operand: operand.toAst(), ...span(this) };
  },
  Comparison_compare(first, operators, rest) {
    if (operators.children.length > 1) {
      const second = operators.children[1];
      throw new RuleError(
        second.source.startIdx,
        `comparisons do not chain; write "a < b and b < c" instead`,
      );
    }
    return binary(first, operators.children[0], rest.children[0]);
  },
  Sum_sum: binary,
  Product_product: binary,
  Unary_negate(_minus, operand) {
    return { kind: "unary", operator: "-", operand: operand.toAst(), ...span(this) };
  },
  Unary_plus(_plus, operand) {
    return operand.toAst();
  },
  Primary_parenthesised(_open, inner, _close) {
    // The node spans its parentheses, so a message about it points at the "(".
    return { ...inner.toAst(), ...span(this) };
  },
  Primary_call(name, _open, args, _close) {
    const list = args.asIteration().children.map((arg: Node) => arg.toAst());
    return { kind: "call", name: name.sourceString, args: list, ...span(this) };
  },
  number(_whole, _dot, _fraction, _exponent) {
    return { kind: "number", value: Number(this.sourceString), ...span(this) };
  },
  name(_start, _rest) {
    return { kind: "name", name: this.sourceString, ...span(this) };
  },
};

let compiled: { grammar: ohm.Grammar; semantics: ohm.Semantics } | null = null;

/** The grammar and its `toAst` semantics, compiled once. */
function compiledGrammar(): { grammar: ohm.Grammar; semantics: ohm.Semantics } {
  if (compiled === null) {
    const grammar = ohm.grammar(GRAMMAR_SOURCE);
    const semantics = grammar.createSemantics().addOperation<RuleAst>("toAst", ACTIONS);
    compiled = { grammar, semantics };
  }
  return compiled;
}

/** The tree of `text`; throws a `RuleError` at the first problem. */
export function parseRule(text: string): RuleAst {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new RuleError(
      MAX_EXPRESSION_LENGTH,
      `the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
    );
  }
  if (text.trim() === "") {
    throw new RuleError(
      0,
      `the expression is empty; write a condition such as "close > sma(close, 20)"`,
    );
  }
  checkParentheses(text);
  const { grammar, semantics } = compiledGrammar();
  const match = grammar.match(text);
  if (match.failed()) throw syntaxError(text, match.getRightmostFailurePosition(), match);
  return semantics(match).toAst();
}

/** An unmatched `)` or an unclosed `(`, found before the grammar would report it less clearly. */
function checkParentheses(text: string): void {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") open.push(i);
    else if (text[i] === ")" && open.pop() === undefined) {
      throw new RuleError(i, `unbalanced parentheses: this ")" closes nothing`);
    }
  }
  if (open.length > 0) {
    const at = open[open.length - 1];
    throw new RuleError(at, `unbalanced parentheses: this "(" is never closed`);
  }
}

/** Operators and characters people bring from other languages, and what to write instead. */
const HINTS: readonly (readonly [RegExp, string])[] = [
  [/^&&?/, `use "and" instead of "&&"`],
  [/^\|\|?/, `use "or" instead of "||"`],
  [/^!(?!=)/, `use "not" instead of "!"`],
  [/^=(?!=)/, `use "==" to compare; there is no assignment`],
  [/^(\*\*|\^)/, "there is no power operator; multiply, or use sqrt"],
  [/^%/, "there is no % operator"],
  [/^[?:]/, `there is no "? :"; combine conditions with and, or, not`],
  [/^["'`]/, "there are no strings in rules; names and numbers only"],
  [/^[\[\]{}]/, `use prev(x, k) for the value k candles ago; brackets mean nothing here`],
];

function syntaxError(text: string, at: number, match: ohm.FailedMatchResult): RuleError {
  // `**` fails at its second star, after the first has parsed as a product.
  if (text.slice(at - 1, at + 1) === "**") at--;
  const rest = text.slice(at);
  for (const [pattern, hint] of HINTS) {
    if (pattern.test(rest)) {
      return new RuleError(at, `unexpected "${rest.match(pattern)![0]}": ${hint}`);
    }
  }
  const expected = match.getExpectedText();
  const what = /a number|a name/.test(expected) && !/a comparison/.test(expected)
    ? `a number, a name, a function call or "("`
    : followers(expected);
  if (rest.trim() === "") {
    return new RuleError(at, `the expression ends too soon; expected ${what}`);
  }
  if (/^\.[0-9]/.test(rest) && /[0-9]$/.test(text.slice(0, at))) {
    const start = /[0-9.]*$/.exec(text.slice(0, at))!.index;
    const number = /^[0-9.]*/.exec(text.slice(start))![0];
    return new RuleError(start, `"${number}" is not a number`);
  }
  const token = /^(\s*)([A-Za-z_][A-Za-z0-9_]*|[0-9.]+|\S)/.exec(rest)!;
  return new RuleError(at + token[1].length, `unexpected "${token[2]}"; expected ${what}`);
}

/** "an operator", plus a comma or a closing parenthesis where the grammar also takes one. */
function followers(expected: string): string {
  const extra = [
    ...(expected.includes('","') ? ["a comma"] : []),
    ...(expected.includes('")"') ? ["a closing parenthesis"] : []),
  ];
  if (extra.length === 0) return "an operator";
  return `an operator${extra.length === 2 ? ", " : " or "}${extra.join(" or ")}`;
}
