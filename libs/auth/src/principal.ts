/** The roles a token may carry, weakest first. */
export const ROLES = ['customer', 'teller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller of a request: the token's subject and the one role the ledger acts on. */
export interface Principal {
  readonly subject: string;
  readonly role: Role;
}

/** The transfer saga's own identity in event metadata; it never comes from a token. */
export const SAGA_IDENTITY = 'service:transfer-saga';
export const SERVICE_ROLE = 'service';

// Printable ASCII without spaces: subjects go into idempotency keys, event metadata and Kafka headers.
export const SUBJECT_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * The strongest ledger role among the claim's values (a string, or an array of strings); unknown values
 * are ignored, so a token from a shared identity provider may carry other roles too.
 */
export function roleFromClaim(claim: unknown): Role | undefined {
  const values = typeof claim === 'string' ? claim.split(/[\s,]+/) : Array.isArray(claim) ? claim : [];
  let strongest = -1;
  for (const value of values) strongest = Math.max(strongest, ROLES.indexOf(value as Role));
  return strongest < 0 ? undefined : ROLES[strongest];
}

export const isStaff = (principal: Principal): boolean => principal.role !== 'customer';
