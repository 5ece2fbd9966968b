/** The reply box's paperclip: a file picker limited to what the server takes. */
import { useRef } from 'preact/hooks'
import { UPLOAD_TYPES, type UploadLimits } from '../../protocol'
import { acceptOf } from '../../ui/send-files'
import { useInbox } from '../context'

export function AttachButton({ uploads, onFiles }: { uploads: UploadLimits; onFiles(files: File[]): void }) {
  const { strings } = useInbox()
  const fileRef = useRef<HTMLInputElement>(null)
  return (
    <>
      <button type="button" class="ghost attach" aria-label={strings.attach} title={strings.attach} onClick={() => fileRef.current?.click()}>
        <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
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
          input.value = ''
          if (files.length) onFiles(files)
        }}
      />
    </>
  )
}
