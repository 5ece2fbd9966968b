/**
 * Files go over HTTP beside the socket (README "Attachments"), with the handshake's credentials in
 * the `X-Obrolan-Auth` header. In a browser an upload is an XMLHttpRequest, the one API that reports
 * upload progress; elsewhere (Node) it is `fetch`, which reports it only at the end.
 */
import type { HandshakeAuth } from '../../protocol'
import { ChatError } from '../errors'

export interface HttpAnswer {
  status: number
  /** The JSON body, or undefined when there was none. */
  body: unknown
  /** From `Retry-After`. */
  retryAfterMs?: number
}

export interface UploadCall {
  /** Resolves with any answer; rejects (`not_connected`) when no answer came: a cut, or `abort`. */
  done: Promise<HttpAnswer>
  abort(): void
}

export interface FileTransport {
  upload(url: string, headers: Record<string, string>, body: Blob, progress: (loaded: number, total: number) => void): UploadCall
  download(url: string, headers: Record<string, string>): Promise<Blob>
}

/** The credentials header of a handshake's `auth`. */
export function authHeaders(auth: HandshakeAuth): Record<string, string> {
  const bytes = new TextEncoder().encode(JSON.stringify(auth))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return { 'X-Obrolan-Auth': btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }
}

export function defaultFileTransport(): FileTransport {
  return { upload: typeof XMLHttpRequest === 'function' ? xhrUpload : fetchUpload, download }
}

const cut = (what: string) => new ChatError('not_connected', `${what}: no answer (the connection was cut or the upload stopped)`)

function retryAfter(value: string | null): number | undefined {
  const seconds = value === null ? Number.NaN : Number(value)
  return Number.isFinite(seconds) ? seconds * 1000 : undefined
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
    return undefined
  }
}

function xhrUpload(url: string, headers: Record<string, string>, body: Blob, progress: (loaded: number, total: number) => void): UploadCall {
  const xhr = new XMLHttpRequest()
  const done = new Promise<HttpAnswer>((resolve, reject) => {
    xhr.open('POST', url)
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => progress(event.loaded, event.total || body.size)
    xhr.onload = () => {
      // Only refusals for the moment carry it (a browser complains about reading an absent header).
      const after = xhr.status === 429 || xhr.status === 503 ? retryAfter(xhr.getResponseHeader('Retry-After')) : undefined
      resolve({ status: xhr.status, body: parse(xhr.responseText), ...(after !== undefined && { retryAfterMs: after }) })
    }
    xhr.onerror = () => reject(cut('upload'))
    xhr.onabort = () => reject(cut('upload'))
    xhr.send(body)
  })
  return { done, abort: () => xhr.abort() }
}

function fetchUpload(url: string, headers: Record<string, string>, body: Blob, progress: (loaded: number, total: number) => void): UploadCall {
  const controller = new AbortController()
  const done = fetch(url, { method: 'POST', headers, body, signal: controller.signal }).then(
    async (response) => {
      progress(body.size, body.size)
      const after = retryAfter(response.headers.get('Retry-After'))
      return { status: response.status, body: parse(await response.text()), ...(after !== undefined && { retryAfterMs: after }) }
    },
    () => Promise.reject(cut('upload')),
  )
  return { done, abort: () => controller.abort() }
}

async function download(url: string, headers: Record<string, string>): Promise<Blob> {
  let response: Response
  try {
    response = await fetch(url, { headers })
  } catch {
    throw cut('download')
  }
  if (response.ok) return response.blob()
  const body = parse(await response.text()) as { message?: unknown; error?: unknown } | undefined
  const code = response.status === 404 ? 'not_found' : response.status === 403 ? 'forbidden' : response.status === 401 ? 'unauthorized' : 'internal'
  throw new ChatError(code, `download: ${typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`}`)
}
