import { createProgress } from './progress';

describe('createProgress without a terminal', () => {
  let stderr: string;
  beforeEach(() => {
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('prints a line every 2 s with the rate and the time left, and a last line at the end', () => {
    let now = 0;
    const progress = createProgress('replay', 1000, { tty: false, now: () => now });
    now = 1000;
    progress.update(100);
    expect(stderr).toBe('');
    now = 2000;
    progress.update(250);
    now = 4000;
    progress.update(500, 1200);
    now = 5000;
    progress.update(1200);
    progress.stop();
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'replay: 250/1000 (25%), 125.0/s, ETA 6 s',
      'replay: 500/1200 (41%), 125.0/s, ETA 6 s',
      'replay: 1200/1200 (100%), 240.0/s, ETA 0 s',
    ]);
  });

  it('names what is left when asked (a rebuild shows its lag)', () => {
    let now = 0;
    const progress = createProgress('rebuild', 1000, { tty: false, now: () => now, remaining: 'lag' });
    now = 2000;
    progress.update(400, 1100);
    expect(stderr).toBe('rebuild: 400/1100 (36%), lag 700, 200.0/s, ETA 4 s\n');
  });
});
