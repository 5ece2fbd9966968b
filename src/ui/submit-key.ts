/** Whether a keydown in a message field should send: a plain Enter outside an IME composition. */
export function isSubmitKey(event: KeyboardEvent, composing: boolean): boolean {
  if (event.key !== 'Enter' || event.shiftKey) return false
  // Safari reports the composition-confirming Enter with isComposing false but keyCode 229.
  return !(event.isComposing || composing || event.keyCode === 229)
}
