/** Anything thrown or rejected, as a sentence to show (a ChatError's message is written for people). */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))
