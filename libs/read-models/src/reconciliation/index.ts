export {
  compareAccount,
  compareTransfer,
  type CompareOptions,
  type Difference,
  type StreamVerdict,
} from './compare';
export {
  accountsReconciliation,
  transfersReconciliation,
  RECONCILED_MODELS,
  type ReconciledModel,
} from './reconcile';
export { reconciliationMetrics, type ReconciliationMetrics } from './metrics';
export {
  PeriodicReconciliation,
  scheduleReconciliation,
  type PeriodicReconciliationOptions,
} from './periodic';
