// kafkajs 2.2.4 retried a TxnOffsetCommit only for errors it named as the Java client does
// (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, ...), while its own protocol errors carry other names
// (GROUP_LOAD_IN_PROGRESS, NOT_COORDINATOR_FOR_GROUP, ...). So a group coordinator that was still loading or
// had moved failed the relay's transaction at once: seen on a fresh broker, whose first transactional offset
// commit met NOT_COORDINATOR_FOR_GROUP while __consumer_offsets was being created. patches/kafkajs+2.2.4.patch
// gives the lists kafkajs' names; these tests fail without it.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const createEosManager = require('kafkajs/src/producer/eosManager') as (options: object) => {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  sendOffsets(request: {
    consumerGroupId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSProtocolError } = require('kafkajs/src/errors') as {
  KafkaJSProtocolError: new (error: Error) => Error;
};

const GROUP_LOAD_IN_PROGRESS = 14;
const GROUP_COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR_FOR_GROUP = 16;
const INVALID_PRODUCER_EPOCH = 47;
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A one-broker cluster whose group coordinator answers the first TxnOffsetCommits with `failures`. */
function fakeCluster(failures: number[]) {
  const lookups: string[] = [];
  let commits = 0;
  const broker = {
    nodeId: 1,
    initProducerId: async () => ({ producerId: 7, producerEpoch: 0 }),
    addOffsetsToTxn: async () => ({}),
    async txnOffsetCommit() {
      commits++;
      const code = failures.shift();
      if (code !== undefined) throw new KafkaJSProtocolError(createErrorFromCode(code));
      return {};
    },
  };
  const cluster = {
    retry: { retries: 5, initialRetryTime: 1, maxRetryTime: 5 },
    async refreshMetadataIfNecessary() {},
    async findGroupCoordinator({ groupId }: { groupId: string }) {
      lookups.push(groupId);
      return broker;
    },
  };
  return { cluster, lookups, commits: () => commits };
}

async function sendOffsetsThrough(cluster: object) {
  const eos = createEosManager({
    logger: quiet,
    cluster,
    transactional: true,
    transactionalId: 'relay',
  });
  await eos.initProducerId();
  eos.beginTransaction();
  await eos.sendOffsets({
    consumerGroupId: 'relay-checkpoints',
    topics: [{ topic: 'anchor', partitions: [{ partition: 0, offset: '42' }] }],
  });
}

describe('kafkajs transactional offset commit retries (patched)', () => {
  it.each([
    ['NOT_COORDINATOR_FOR_GROUP', NOT_COORDINATOR_FOR_GROUP],
    ['GROUP_COORDINATOR_NOT_AVAILABLE', GROUP_COORDINATOR_NOT_AVAILABLE],
  ])('looks the group coordinator up again and retries after %s', async (_name, code) => {
    const { cluster, lookups, commits } = fakeCluster([code, code]);

    await sendOffsetsThrough(cluster);

    expect(commits()).toBe(3);
    // The transaction coordinator once, then the group coordinator: first, after each failure.
    expect(lookups.filter((groupId) => groupId === 'relay-checkpoints')).toHaveLength(3);
  });

  it('retries while the group coordinator is loading', async () => {
    const { cluster, commits } = fakeCluster([GROUP_LOAD_IN_PROGRESS]);

    await sendOffsetsThrough(cluster);

    expect(commits()).toBe(2);
  });

  it('still fails at once on an error no retry can cure', async () => {
    const { cluster, commits } = fakeCluster([INVALID_PRODUCER_EPOCH]);

    await expect(sendOffsetsThrough(cluster)).rejects.toThrow();
    expect(commits()).toBe(1);
  });
});

export {};
