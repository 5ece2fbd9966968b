/**
 * A short, quiet two-note chime made with Web Audio: no audio file to fetch or allow in the page's
 * policy. Browsers keep audio suspended until the page has had a click or a key press; before that
 * the chime is skipped, and the reason logged. Shared by the widget and the agent inbox.
 */
type AudioContextClass = typeof AudioContext

export function createChime(win: Window & typeof globalThis & { webkitAudioContext?: AudioContextClass }, who = 'obrolan'): () => void {
  let context: AudioContext | undefined
  return () => {
    const Context = win.AudioContext ?? win.webkitAudioContext
    if (!Context) return
    try {
      const audio = (context ??= new Context())
      if (audio.state === 'suspended') void audio.resume().catch((error: unknown) => console.warn(`${who}: sound is not allowed yet`, error))
      const start = audio.currentTime
      for (const [offset, frequency] of [[0, 880], [0.12, 1320]] as const) {
        const oscillator = audio.createOscillator()
        const gain = audio.createGain()
        oscillator.type = 'sine'
        oscillator.frequency.value = frequency
        gain.gain.setValueAtTime(0.0001, start + offset)
        gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02)
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25)
        oscillator.connect(gain).connect(audio.destination)
        oscillator.start(start + offset)
        oscillator.stop(start + offset + 0.3)
      }
    } catch (error) {
      console.warn(`${who}: cannot play the chime`, error)
    }
  }
}
