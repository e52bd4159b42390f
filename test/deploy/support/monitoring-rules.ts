import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ExportedMetrics } from './exported-metrics';
import { REPO_ROOT } from './manifests';
import { parsePromql } from './promql';

export const MONITORING_DIR = join(REPO_ROOT, 'k8s', 'monitoring');

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  kind: string;
  spec: { groups: Array<{ name: string; rules: AlertRule[] }> };
}

export interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

/** Labels Prometheus attaches at scrape time (kubernetes_sd targets), not the apps. */
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'container', 'endpoint']);

export const loadRules = (): RuleFile =>
  parse(readFileSync(join(MONITORING_DIR, 'ledger-alerts.yaml'), 'utf8'));
export const loadDashboard = (): Dashboard =>
  JSON.parse(readFileSync(join(MONITORING_DIR, 'ledger-dashboard.json'), 'utf8'));

/** What is wrong with one expression: a syntax error, a metric no app exports, a label it does not carry. */
export function expressionProblems(where: string, expr: string, exported: ExportedMetrics): string[] {
  const { errors, selectors } = parsePromql(expr);
  const problems = errors.map((error) => `${where}: PromQL syntax error ${error}`);
  if (selectors.length === 0 && errors.length === 0) problems.push(`${where}: selects no metric`);
  for (const { metric, labels } of selectors) {
    const known = exported.get(metric);
    if (!known) {
      problems.push(`${where}: no app exports ${metric}`);
      continue;
    }
    for (const label of labels) {
      if (!known.has(label) && !TARGET_LABELS.has(label))
        problems.push(`${where}: ${metric} has no label ${label}`);
    }
  }
  return problems;
}

export function ruleProblems(file: RuleFile, exported: ExportedMetrics): string[] {
  const problems: string[] = [];
  if (file.kind !== 'PrometheusRule') problems.push(`kind is ${file.kind}, not PrometheusRule`);
  for (const group of file.spec?.groups ?? []) {
    for (const rule of group.rules) {
      const name = rule.alert ?? rule.record ?? '(unnamed)';
      if (typeof rule.expr !== 'string') {
        problems.push(`${group.name}/${name}: no expr`);
        continue;
      }
      problems.push(...expressionProblems(`${group.name}/${name}`, rule.expr, exported));
      if (rule.alert && !rule.labels?.severity) problems.push(`${group.name}/${name}: no severity label`);
      if (rule.alert && !rule.annotations?.summary) problems.push(`${group.name}/${name}: no summary`);
      if (rule.for !== undefined && !/^(\d+[smhd])+$/.test(rule.for))
        problems.push(`${group.name}/${name}: bad for ${rule.for}`);
    }
  }
  return problems;
}

export function dashboardProblems(dashboard: Dashboard, exported: ExportedMetrics): string[] {
  return dashboard.panels.flatMap((panel) =>
    panel.targets.flatMap((target, index) =>
      expressionProblems(`panel "${panel.title}" target ${index}`, target.expr, exported),
    ),
  );
}
