/** What the CLI wrote to stdout and stderr during the current test; assign '' to start over mid-test. */
export interface CliOutput {
  stdout: string;
  stderr: string;
}

/**
 * Captures the CLI's stdout and stderr for each test of the enclosing describe (the commands write to
 * process.stdout/stderr, as operators see them), and lets them through again after it.
 */
export function captureCliOutput(): CliOutput {
  const output: CliOutput = { stdout: '', stderr: '' };
  beforeEach(() => {
    output.stdout = '';
    output.stderr = '';
    jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => ((output.stdout += String(chunk)), true));
    jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk) => ((output.stderr += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());
  return output;
}

/**
 * The CLI reads its settings from the environment: a suite sets what it needs (its database, its topic
 * prefix) and gets the values it found back after its last test.
 */
export function restoreEnvAfterAll(...names: string[]): void {
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
