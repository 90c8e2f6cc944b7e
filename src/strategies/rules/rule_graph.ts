/**
 * The compiled form of a set of rules: a list of nodes in dependency order, each writing one
 * slot of a shared `Float64Array` per candle. Identical sub-expressions are one node (a node's key
 * names its operation and its inputs' slots), so `sma(close, 10)` used twice is computed once,
 * and a candle costs one pass over the nodes: O(1) per rule.
 */
import type { Candle, StrategyContext } from "../../strategy_api.ts";

/** The value type of an expression. Booleans are stored as 1 and 0. */
export type RuleType = "number" | "boolean";

/** A compiled sub-expression: where its value lives and what it is. */
export interface Ref {
  readonly slot: number;
  readonly type: RuleType;
  /** Candles at the start whose value is missing (`NaN`, or false for a cross). */
  readonly warmup: number;
  /** The value, when it never changes (literals, params and arithmetic on them). */
  readonly constant?: number;
  /** Whether it reads the position (`entry_price()` …), which exists only while holding. */
  readonly usesPosition: boolean;
}

/** What a node's step reads on each candle. */
export interface Frame {
  candle: Candle;
  context: StrategyContext;
}

/** Builds one node's per-candle step for a fresh instance; `slots` are the node's outputs. */
export type StepFactory = (
  values: Float64Array,
  frame: Frame,
  slots: readonly number[],
) => () => void;

/** One evaluable instance of a plan: its own indicator state and values. */
export interface RuleGraph {
  readonly values: Float64Array;
  /** Feeds one closed candle through every node. */
  update(candle: Candle, context: StrategyContext): void;
}

interface NodeSpec {
  readonly slots: readonly number[];
  readonly make: StepFactory;
}

/** Collects nodes while expressions compile, sharing any node whose key was seen before. */
export class GraphBuilder {
  readonly #refs = new Map<string, readonly Ref[]>();
  readonly #nodes: NodeSpec[] = [];
  readonly #constants: [number, number][] = [];
  #slotCount = 0;

  /** A literal or param: a slot filled once, with no step. */
  constant(value: number, type: RuleType = "number"): Ref {
    const key = `const:${type}:${value}`;
    const known = this.#refs.get(key);
    if (known !== undefined) return known[0];
    const ref: Ref = {
      slot: this.#slotCount++,
      type,
      warmup: 0,
      constant: value,
      usesPosition: false,
    };
    this.#constants.push([ref.slot, value]);
    this.#refs.set(key, [ref]);
    return ref;
  }

  /**
   * The node with `key`, created by `make` when new. `outputs` gives each output's type and
   * warm-up; a node with several outputs (MACD's line, signal and histogram) updates them
   * together.
   */
  node(
    key: string,
    outputs: readonly { type: RuleType; warmup: number }[],
    make: StepFactory,
    options: { usesPosition?: boolean } = {},
  ): readonly Ref[] {
    const known = this.#refs.get(key);
    if (known !== undefined) return known;
    const refs = outputs.map((output): Ref => ({
      slot: this.#slotCount++,
      type: output.type,
      warmup: output.warmup,
      usesPosition: options.usesPosition ?? false,
    }));
    this.#nodes.push({ slots: refs.map((ref) => ref.slot), make });
    this.#refs.set(key, refs);
    return refs;
  }

  /** How many nodes compute something on each candle. */
  get stepCount(): number {
    return this.#nodes.length;
  }

  /** A frozen plan from which any number of independent graphs can be made. */
  finish(): RulePlan {
    return new RulePlan(this.#slotCount, [...this.#constants], [...this.#nodes]);
  }
}

/** What the builder produced: slots, constants and node factories, in dependency order. */
export class RulePlan {
  readonly #slotCount: number;
  readonly #constants: readonly (readonly [number, number])[];
  readonly #nodes: readonly NodeSpec[];

  constructor(
    slotCount: number,
    constants: readonly (readonly [number, number])[],
    nodes: readonly NodeSpec[],
  ) {
    this.#slotCount = slotCount;
    this.#constants = constants;
    this.#nodes = nodes;
  }

  /** A fresh graph with its own indicator state. */
  instantiate(): RuleGraph {
    const values = new Float64Array(this.#slotCount);
    for (const [slot, value] of this.#constants) values[slot] = value;
    const frame: Frame = {
      candle: undefined as unknown as Candle,
      context: { position: null, closeTimeMs: 0 },
    };
    const steps = this.#nodes.map((node) => node.make(values, frame, node.slots));
    const count = steps.length;
    return {
      values,
      update(candle: Candle, context: StrategyContext): void {
        frame.candle = candle;
        frame.context = context;
        for (let i = 0; i < count; i++) steps[i]();
      },
    };
  }
}
