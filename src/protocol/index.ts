export * from './types'
export * from './constants'
export * as schemas from './schemas'
export { check, type CheckResult } from './schemas'
export * as requestSchemas from './request-schemas'
export { countAbove, firstIndexAbove } from './sorted'
export { compareListPlaces, type ListPlace } from './conversation-order'
export { emptyWatermarks, mergeWatermarks, raiseWatermark } from './watermarks'
export { isWellFormed, messageTextProblem, normalizeDisplayName, truncate, MAX_NAME_LENGTH, type TextProblem } from './text-rules'
export { FIELD_ID, isEmailAddress } from './contact-rules'
export {
  allowedEndings,
  claimedType,
  cleanFileName,
  DEFAULT_UPLOAD_TYPES,
  extensionOf,
  fileProblem,
  isImageType,
  megabytes,
  UPLOAD_TYPES,
  type FileProblem,
} from './files'
export { hasReacted, withReaction } from './reactions'
