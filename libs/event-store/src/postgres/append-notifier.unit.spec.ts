import { ThrottledAppendNotifier } from './append-notifier';

describe('ThrottledAppendNotifier', () => {
  let sent: number;
  let notifier: ThrottledAppendNotifier;
  const flush = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers();
    sent = 0;
    notifier = new ThrottledAppendNotifier(
      async () => {
        sent += 1;
      },
      5,
      (error) => {
        throw error;
      },
    );
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('notifies at once after a quiet spell, and once at the end of the interval for a burst', async () => {
    notifier.appended();
    await flush();
    expect(sent).toBe(1);

    for (let i = 0; i < 20; i += 1) notifier.appended();
    await jest.advanceTimersByTimeAsync(4);
    expect(sent).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent).toBe(2);

    await jest.advanceTimersByTimeAsync(50);
    expect(sent).toBe(2);
  });

  it('notifies again for an append that commits while a notification is on its way', async () => {
    let release: () => void = () => undefined;
    notifier = new ThrottledAppendNotifier(
      () => {
        sent += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      5,
      () => undefined,
    );
    notifier.appended();
    await flush();
    notifier.appended();
    await jest.advanceTimersByTimeAsync(20);
    expect(sent).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(sent).toBe(2);
  });

  it('sends what is pending when closed, and nothing after', async () => {
    notifier.appended();
    notifier.appended();
    await notifier.close();
    expect(sent).toBe(2);
    notifier.appended();
    await jest.advanceTimersByTimeAsync(50);
    expect(sent).toBe(2);
  });

  it('reports a failed notification and keeps notifying', async () => {
    const errors: Error[] = [];
    let fail = true;
    notifier = new ThrottledAppendNotifier(
      async () => {
        sent += 1;
        if (fail) throw new Error('connection lost');
      },
      5,
      (error) => errors.push(error),
    );
    notifier.appended();
    await flush();
    fail = false;
    await jest.advanceTimersByTimeAsync(10);
    notifier.appended();
    await flush();
    expect(errors.map((error) => error.message)).toEqual(['connection lost']);
    expect(sent).toBe(2);
  });
});
