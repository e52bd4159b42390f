import { WakeSignal } from './wake-signal';

// Timeouts are an hour: a wait that does not return at once would fail the test by jest's timeout.
const HOUR = 3_600_000;

describe('WakeSignal', () => {
  it('remembers a wake-up that arrives before the wait, so the tail does not sleep past new events', async () => {
    const wake = new WakeSignal();
    wake.notify();
    await wake.wait(HOUR, new AbortController().signal);
  });

  it('forgets wake-ups on reset, then wakes a waiting tail on the next one', async () => {
    const wake = new WakeSignal();
    wake.notify();
    wake.reset();
    let woken = false;
    const waiting = wake.wait(HOUR, new AbortController().signal).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    wake.notify();
    await waiting;
  });

  it('returns from a wait when aborted', async () => {
    const controller = new AbortController();
    const waiting = new WakeSignal().wait(HOUR, controller.signal);
    controller.abort();
    await waiting;
  });

  it('rejects the wait and the next read once failed', async () => {
    const wake = new WakeSignal();
    const waiting = wake.wait(HOUR, new AbortController().signal);
    wake.fail(new Error('connection lost'));
    await expect(waiting).rejects.toThrow('connection lost');
    expect(() => wake.reset()).toThrow('connection lost');
  });
});
