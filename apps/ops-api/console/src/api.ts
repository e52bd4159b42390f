/** The APIs the console talks to, and the operator's token (kept for the browser tab only). */
export interface Settings {
  queryApiUrl: string;
  commandApiUrl: string;
  pollIntervalMs: number;
}

const TOKEN_KEY = 'ledger.console.token';
export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

/** An answer other than 2xx, with the problem+json title and detail when the API sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function loadSettings(): Promise<Settings> {
  const response = await fetch('/console/settings.json');
  if (!response.ok)
    throw new ApiError(response.status, undefined, 'the console settings could not be loaded');
  return response.json() as Promise<Settings>;
}

export async function call<T>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${storedToken() ?? ''}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.ok) return response.json() as Promise<T>;
  let problem: { title?: string; detail?: string; code?: string } = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem+json: the status says enough.
  }
  throw new ApiError(
    response.status,
    problem.code,
    problem.detail ?? problem.title ?? `HTTP ${response.status}`,
  );
}

export const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
