// REST helpers. Errors come back as {"error":{"code","message","field"}}.
export interface ApiErrorBody {
  error: { code: string; message: string; field: string | null }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly field: string | null = null, // the request field the server blames ("symbol", "threshold"...)
  ) {
    super(message)
  }
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(path, {
    ...init,
    headers: init?.body ? { 'Content-Type': 'application/json', ...init.headers } : init?.headers,
  })
  if (r.status === 204) return undefined as T
  const body = await r.json().catch(() => null)
  if (!r.ok) {
    const e = body?.error
    throw new ApiError(r.status, e?.message ?? `HTTP ${r.status}`, e?.code ?? null, e?.field ?? null)
  }
  return body as T
}
