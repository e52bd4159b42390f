import { Problem, problem } from '@ledger/http';

/** A refusal of the ops API that is the caller's to fix; mapped to a problem with its status and code. */
export class OpsError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'OpsError';
  }
}

export function mapOpsError(error: unknown): Problem | undefined {
  if (error instanceof OpsError) return problem(error.status, { code: error.code, detail: error.message });
  return undefined;
}
