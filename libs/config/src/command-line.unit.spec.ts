import { applyCommandLine } from './command-line';

describe('applyCommandLine', () => {
  const previous = process.env.LOG_LEVEL;
  let stderr: string;
  beforeEach(() => {
    delete process.env.LOG_LEVEL;
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (previous === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previous;
  });

  it('turns --verbose into debug logs', () => {
    expect(applyCommandLine('app', ['--verbose'])).toEqual({});
    expect(process.env.LOG_LEVEL).toBe('debug');
  });

  it('lets --log-level win over --verbose and leaves LOG_LEVEL alone without flags', () => {
    applyCommandLine('app', ['--verbose', '--log-level', 'trace']);
    expect(process.env.LOG_LEVEL).toBe('trace');
    delete process.env.LOG_LEVEL;
    expect(applyCommandLine('app', [])).toEqual({});
    expect(process.env.LOG_LEVEL).toBeUndefined();
  });

  it('refuses an unknown flag or level with exit code 2 and a message', () => {
    expect(applyCommandLine('app', ['--verbos'])).toEqual({ exitCode: 2 });
    expect(stderr).toContain("app: Unknown option '--verbos'");
    expect(applyCommandLine('app', ['--log-level', 'loud'])).toEqual({ exitCode: 2 });
    expect(stderr).toContain('--log-level must be one of');
    expect(process.env.LOG_LEVEL).toBeUndefined();
  });

  it('prints usage for --help and asks to exit 0', () => {
    expect(applyCommandLine('app', ['--help'])).toEqual({ exitCode: 0 });
  });
});
