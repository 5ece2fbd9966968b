/**
 * A paperclip button and the hidden file picker it opens, limited to the types the server takes:
 * the widget's composer and the inbox's reply box each draw one, with their own words and class.
 */
import { useRef } from 'preact/hooks'
import { UPLOAD_TYPES, type UploadLimits } from '../protocol'
import { acceptOf } from './send-files'

export interface AttachButtonProps {
  uploads: UploadLimits
  label: string
  className: string
  /** The paperclip's size in pixels. */
  iconSize: number
  onFiles(files: File[]): void
}

export function AttachButton({ uploads, label, className, iconSize, onFiles }: AttachButtonProps) {
  const fileRef = useRef<HTMLInputElement>(null)
  return (
    <>
      <button type="button" class={className} aria-label={label} title={label} onClick={() => fileRef.current?.click()}>
        <svg aria-hidden="true" focusable="false" width={iconSize} height={iconSize} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
          <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
        </svg>
      </button>
      <input
        ref={fileRef}
        type="file"
        class="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        multiple
        accept={acceptOf(uploads.types, (type) => UPLOAD_TYPES[type] ?? [])}
        onChange={(event) => {
          const input = event.currentTarget
          const files = [...(input.files ?? [])]
          // Cleared, so choosing the same file again is a change too.
          input.value = ''
          if (files.length) onFiles(files)
        }}
      />
    </>
  )
}
