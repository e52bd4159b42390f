// kafkajs 2.2.4 retried a send by broker: when one broker's request failed, the retry went out while another
// broker's request was still in flight and sent that broker the same records again under new sequence
// numbers (duplicates, even inside a transaction: seen on the three-node cluster as 120 events twice); and
// a partition whose leader moved to a broker that had already answered was never sent again (loss).
// patches/kafkajs+2.2.4.patch makes a retry wait for every request and send only unacknowledged partitions
// to their current leaders; these tests fail without it.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (
  options: object,
) => (request: {
  acks: number;
  timeout: number;
  topicMessages: Array<{ topic: string; messages: Array<{ key: string; value: string }> }>;
}) => Promise<Array<{ topicName: string; partition: number }>>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: object) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSProtocolError } = require('kafkajs/src/errors') as {
  KafkaJSProtocolError: new (error: Error) => Error;
};

const TOPIC = 'events';
const NOT_LEADER_FOR_PARTITION = 6;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

interface ProduceCall {
  broker: number;
  partitions: number[];
}

/** Two brokers; partition p is led by `leaders[p]`; each broker answers as its script says. */
function fakeCluster(leaders: number[], script: Record<number, Array<'fail' | 'slow' | 'ok'>>) {
  const produced: ProduceCall[] = [];
  const brokerFor = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: Array<{ partitions: Array<{ partition: number }> }> }) {
      const partitions = topicData.flatMap((topic) => topic.partitions.map(({ partition }) => partition));
      const step = script[nodeId].shift() ?? 'ok';
      if (step === 'fail') {
        await pause(5);
        throw new KafkaJSProtocolError(createErrorFromCode(NOT_LEADER_FOR_PARTITION));
      }
      produced.push({ broker: nodeId, partitions });
      await pause(step === 'slow' ? 60 : 5);
      return {
        topics: [
          {
            topicName: TOPIC,
            partitions: partitions.map((partition) => ({ partition, errorCode: 0, baseOffset: '0' })),
          },
        ],
      };
    },
  });
  const brokers = new Map([1, 2].map((nodeId) => [nodeId, brokerFor(nodeId)]));
  const cluster = {
    targetTopics: new Set([TOPIC]),
    async refreshMetadataIfNecessary() {},
    async refreshMetadata() {},
    async addMultipleTargetTopics() {},
    isConnected: () => true,
    findTopicPartitionMetadata: () =>
      leaders.map((leader, partitionId) => ({ partitionId, leader, partitionErrorCode: 0 })),
    findLeaderForPartitions(_topic: string, partitions: string[]) {
      const byLeader: Record<number, number[]> = {};
      for (const partition of partitions.map(Number)) (byLeader[leaders[partition]] ??= []).push(partition);
      return byLeader;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers.get(Number(nodeId)),
  };
  const sequences = new Map<string, number>();
  const eosManager = {
    isTransactional: () => false,
    isInitialized: () => true,
    getTransactionalId: () => undefined,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: () => undefined,
    getSequence: (topic: string, partition: number) => sequences.get(`${topic}/${partition}`) ?? 0,
    updateSequence(topic: string, partition: number, increment: number) {
      sequences.set(`${topic}/${partition}`, (sequences.get(`${topic}/${partition}`) ?? 0) + increment);
    },
  };
  const send = createSendMessages({
    logger: { ...quiet, namespace: () => quiet },
    cluster,
    partitioner: ({ message }: { message: { key: string } }) => Number(message.key),
    eosManager,
    retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
  });
  return { produced, send };
}

const messagesFor = (partitions: number[]) =>
  partitions.map((partition) => ({ key: String(partition), value: `p${partition}` }));

describe('kafkajs sendMessages retries (patched)', () => {
  it('does not send a broker its records again while its first request is still in flight', async () => {
    // Partition 0 on broker 1 (fails at once, then succeeds), partition 1 on broker 2 (slow, succeeds).
    const { produced, send } = fakeCluster([1, 2], { 1: ['fail', 'ok'], 2: ['slow', 'ok'] });

    const acknowledged = await send({
      acks: -1,
      timeout: 1_000,
      topicMessages: [{ topic: TOPIC, messages: messagesFor([0, 1]) }],
    });

    expect(produced.filter((call) => call.broker === 2)).toEqual([{ broker: 2, partitions: [1] }]);
    expect(acknowledged.map(({ partition }) => partition).sort()).toEqual([0, 1]);
  });

  it('sends a partition whose leader moved to a broker that had already answered', async () => {
    const leaders = [1, 2];
    const { produced, send } = fakeCluster(leaders, { 1: ['fail'], 2: ['ok', 'ok'] });
    // Once broker 1 has failed, the metadata says broker 2 leads partition 0 too.
    const sending = send({
      acks: -1,
      timeout: 1_000,
      topicMessages: [{ topic: TOPIC, messages: messagesFor([0, 1]) }],
    });
    await pause(2);
    leaders[0] = 2;

    const acknowledged = await sending;

    expect(produced).toEqual([
      { broker: 2, partitions: [1] },
      { broker: 2, partitions: [0] },
    ]);
    expect(acknowledged.map(({ partition }) => partition).sort()).toEqual([0, 1]);
  });
});

export {};
