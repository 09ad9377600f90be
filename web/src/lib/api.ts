// REST helpers. Errors come back as {"error":{"code","message","field"}}.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
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
  if (!r.ok) throw new ApiError(r.status, body?.error?.message ?? `HTTP ${r.status}`)
  return body as T
}
