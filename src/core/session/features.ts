/**
 * What the server takes besides text: files (`uploads`) and reactions, as its `session` says. Until
 * the first session the protocol's defaults stand, so a file chosen before the client ever
 * connected is checked against the usual limits (the server checks again when it goes up).
 */
import { DEFAULT_REACTIONS, DEFAULT_UPLOAD_TYPES, MAX_UPLOAD_BYTES, type SessionInfo, type UploadLimits } from '../../protocol'

export interface ServerFeatures {
  /** The files the server takes; absent when it takes none. */
  uploads?: UploadLimits
  /** The emoji it offers as reactions; empty when reactions are off. */
  reactions: readonly string[]
}

export const DEFAULT_FEATURES: ServerFeatures = {
  uploads: { maxBytes: MAX_UPLOAD_BYTES, types: [...DEFAULT_UPLOAD_TYPES] },
  reactions: DEFAULT_REACTIONS,
}

export function featuresOf(info: SessionInfo): ServerFeatures {
  return { ...(info.uploads && { uploads: info.uploads }), reactions: info.reactions ?? [] }
}
