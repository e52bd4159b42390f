import { parser } from '@prometheus-io/lezer-promql';

export interface Selector {
  metric: string;
  /** Label names of the selector's matchers, e.g. `stage` in `{stage="retry"}`. */
  labels: string[];
}

export interface ParsedExpression {
  /** Positions and text of every syntax error; empty when the expression parses. */
  errors: string[];
  selectors: Selector[];
}

/** Parses PromQL with Prometheus's own grammar (the one its UI uses) and lists the series it selects. */
export function parsePromql(expression: string): ParsedExpression {
  const tree = parser.parse(expression);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const text = (node: { from: number; to: number }) => expression.slice(node.from, node.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError)
        errors.push(`at ${ref.from}: "${expression.slice(Math.max(0, ref.from - 20), ref.to + 20)}"`);
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      const labels = node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
      selectors.push({
        metric: identifier ? text(identifier) : '',
        labels: labels.map((matcher) => text(matcher.getChild('LabelName')!)),
      });
    },
  });
  return { errors, selectors };
}
