/**
 * Message text as text nodes and, for http(s)/mailto only, links. Never HTML: the text from the
 * wire is passed to Preact as strings, which become text nodes.
 */
import { autolink } from './autolink'

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {autolink(text).map((segment, index) =>
        segment.type === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  )
}
