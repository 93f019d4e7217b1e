/**
 * Shopify's search syntax for the `query:` argument of connections
 * (https://shopify.dev/docs/api/usage/search-syntax): terms `field:value`
 * with comparators (>, >=, <, <=) and quoted values, joined by AND (or a
 * space), OR, NOT / a leading `-`, and parentheses. A field the simulator
 * cannot filter on fails loudly instead of matching everything.
 */
export type Fields = Record<string, (comparator: string, value: string) => boolean>;

type Node =
  | { kind: "term"; field: string; comparator: string; value: string }
  | { kind: "not"; node: Node }
  | { kind: "and" | "or"; nodes: Node[] };

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\(|\)|(?:[^\s()"']|"[^"]*"|'[^']*')+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = pattern.exec(query))) {
    tokens.push(match[1]!);
    end = pattern.lastIndex;
  }
  if (query.slice(end).trim()) throw new Error(`cannot parse search query: ${query}`);
  return tokens;
}

export function parseSearch(query: string): Node {
  const tokens = tokenize(query);
  let at = 0;
  const orExpr = (): Node => {
    const nodes = [andExpr()];
    while (tokens[at] === "OR") {
      at++;
      nodes.push(andExpr());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "or", nodes };
  };
  const andExpr = (): Node => {
    const nodes = [unary()];
    while (at < tokens.length && tokens[at] !== ")" && tokens[at] !== "OR") {
      if (tokens[at] === "AND") at++;
      nodes.push(unary());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
  };
  const unary = (): Node => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`search query ends early: ${query}`);
    if (token === "NOT") return { kind: "not", node: unary() };
    if (token === "(") {
      const inner = orExpr();
      if (tokens[at++] !== ")") throw new Error(`unbalanced parentheses in search query: ${query}`);
      return inner;
    }
    const negated = token.startsWith("-");
    const term = /^([a-z_]+):(>=|<=|>|<)?(.+)$/.exec(negated ? token.slice(1) : token);
    if (!term) throw new Error(`devshop does not support free-text search terms ("${token}")`);
    const node: Node = {
      kind: "term",
      field: term[1]!,
      comparator: term[2] ?? "=",
      value: term[3]!.replace(/^(['"])(.*)\1$/, "$2"),
    };
    return negated ? { kind: "not", node } : node;
  };
  const root = orExpr();
  if (at !== tokens.length) throw new Error(`unexpected "${tokens[at]}" in search query: ${query}`);
  return root;
}

export function matches(node: Node, fields: Fields): boolean {
  switch (node.kind) {
    case "not":
      return !matches(node.node, fields);
    case "and":
      return node.nodes.every((n) => matches(n, fields));
    case "or":
      return node.nodes.some((n) => matches(n, fields));
    case "term": {
      const field = fields[node.field];
      if (!field) throw new Error(`devshop cannot filter on search field "${node.field}"`);
      return field(node.comparator, node.value);
    }
  }
}

/** A date field: compares instants (a bare date means its midnight UTC). */
export const dateField =
  (of: () => string) =>
  (comparator: string, value: string): boolean => {
    const at = Date.parse(of());
    const bound = Date.parse(value);
    if (Number.isNaN(bound)) throw new Error(`not a date in search query: ${value}`);
    return comparator === ">="
      ? at >= bound
      : comparator === "<="
        ? at <= bound
        : comparator === ">"
          ? at > bound
          : comparator === "<"
            ? at < bound
            : at === bound;
  };

export const exactField =
  (of: () => string) =>
  (comparator: string, value: string): boolean =>
    comparator === "=" && of().toLowerCase() === value.toLowerCase();
