import { parser } from '@prometheus-io/lezer-promql';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of Prometheus's text exposition format (what /metrics answers); comments skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export interface ThresholdAlert {
  metric: string;
  by: string[];
  threshold: number;
  /** Each group's value and whether it is above the threshold (the alert's condition holds). */
  evaluate(samples: Sample[]): Array<{ labels: Record<string, string>; value: number; firing: boolean }>;
}

/**
 * Evaluates an alert expression of one shape, `max by (labels) (metric) > threshold`, the way Prometheus
 * does on one scrape: the shape is read from the rule's own text with Prometheus's grammar, so changing
 * the rule changes what is evaluated (and another shape is refused rather than misread).
 */
export function thresholdAlert(expression: string): ThresholdAlert {
  const tree = parser.parse(expression.trim());
  const text = (node: { from: number; to: number }) => expression.trim().slice(node.from, node.to);
  const binary = tree.topNode.firstChild;
  const aggregate = binary?.getChild('AggregateExpr');
  const operator = aggregate?.getChild('AggregateOp');
  const selector = aggregate?.getChild('FunctionCallBody')?.getChild('VectorSelector');
  const number = binary?.getChild('NumberDurationLiteral');
  if (
    binary?.name !== 'BinaryExpr' ||
    !binary.getChild('Gtr') ||
    text(operator ?? binary) !== 'max' ||
    !selector ||
    !number ||
    selector.getChild('LabelMatchers')
  ) {
    throw new Error(`not of the shape max by (labels) (metric) > threshold: ${expression}`);
  }
  const metric = text(selector);
  const by = (
    aggregate!.getChild('AggregateModifier')?.getChild('GroupingLabels')?.getChildren('LabelName') ?? []
  ).map(text);
  const threshold = Number(text(number));
  return {
    metric,
    by,
    threshold,
    evaluate: (samples) => {
      const groups = new Map<string, { labels: Record<string, string>; value: number }>();
      for (const sample of samples.filter((each) => each.name === metric)) {
        const labels = Object.fromEntries(by.map((label) => [label, sample.labels[label] ?? '']));
        const key = JSON.stringify(labels);
        const known = groups.get(key);
        if (!known || sample.value > known.value) groups.set(key, { labels, value: sample.value });
      }
      return [...groups.values()].map((group) => ({ ...group, firing: group.value > threshold }));
    },
  };
}
