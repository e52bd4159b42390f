import { businessTimeOf } from '../time-axes';
import type { LedgerEvent } from '../schema-versions';
import { FROZEN_STEP_TIMES, upcastTransferStepV1, type FrozenStepType } from './upcasters';

const REQUESTED = '2024-11-05T08:00:00.000Z';
const v1 = {
  accountId: '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01',
  transferId: 'c7e2a1d4-93b8-4b0e-b5f6-1a2b3c4d5e03',
  amount: 700,
  currency: 'EUR',
};

describe('upcastTransferStepV1', () => {
  it.each(Object.entries(FROZEN_STEP_TIMES))(
    'reads %s v1 with its frozen time as the request time',
    (type, field) => {
      const stored = { ...v1, [field]: REQUESTED };
      const upcast = upcastTransferStepV1(type as FrozenStepType)(stored);
      expect(upcast).toStrictEqual({ ...stored, requestedAt: REQUESTED });
      // The business time stays what was stored: an answer about the past does not move.
      expect(businessTimeOf({ type, data: upcast } as unknown as LedgerEvent)).toBe(REQUESTED);
      expect(stored).not.toHaveProperty('requestedAt');
    },
  );
});
