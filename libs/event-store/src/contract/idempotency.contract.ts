import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeyConflictError, WrongExpectedVersionError } from '../errors';
import { ACCOUNT, deposited, newAccountStream, opened, type ContractContext } from './fixtures';

const idempotency = (requestHash = 'hash-1') => ({ key: `DepositMoney:${randomUUID()}`, requestHash });

export function idempotencyContract(context: ContractContext): void {
  describe('idempotent appends', () => {
    it('answers a repeated key and request with the first result, appending nothing', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      const options = { idempotency: idempotency() };

      const first = await store.appendToStream(streamId, ACCOUNT, 1, [deposited(100)], options);
      const repeat = await store.appendToStream(streamId, ACCOUNT, 1, [deposited(100)], options);

      expect(repeat).toEqual({ ...first, replayed: true });
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('rejects a repeated key with a different request and appends nothing', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const key = idempotency('hash-1');
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()], { idempotency: key });

      const error = await store
        .appendToStream(streamId, ACCOUNT, 1, [deposited(5)], {
          idempotency: { ...key, requestHash: 'hash-2' },
        })
        .catch((e: unknown) => e);
      expect(error).toEqual(new IdempotencyKeyConflictError(key.key));
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('finds a stored result before deciding, and nothing for an unknown key', async () => {
      const store = await context.store();
      const key = idempotency();
      expect(await store.findIdempotentResult(key.key, key.requestHash)).toBeUndefined();

      const first = await store.appendToStream(newAccountStream(), ACCOUNT, 'no_stream', [opened()], {
        idempotency: key,
      });
      expect(await store.findIdempotentResult(key.key, key.requestHash)).toEqual({
        ...first,
        replayed: true,
      });
      await expect(store.findIdempotentResult(key.key, 'other')).rejects.toBeInstanceOf(
        IdempotencyKeyConflictError,
      );
    });

    it('keeps no key for a rejected append, so a corrected retry goes through', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      const key = idempotency();

      await expect(
        store.appendToStream(streamId, ACCOUNT, 0, [deposited(1)], { idempotency: key }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.findIdempotentResult(key.key, key.requestHash)).toBeUndefined();
      const retry = await store.appendToStream(streamId, ACCOUNT, 1, [deposited(1)], { idempotency: key });
      expect(retry).toMatchObject({ nextExpectedVersion: 2, replayed: false });
    });

    it('appends once when the same request arrives concurrently', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      const key = idempotency();

      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.appendToStream(streamId, ACCOUNT, 'any', [deposited(9)], { idempotency: key }),
        ),
      );
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(new Set(results.map((result) => result.eventIds[0]))).toEqual(new Set([results[0].eventIds[0]]));
      expect(await store.readStream(streamId)).toHaveLength(2);
    });
  });
}
