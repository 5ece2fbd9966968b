/** The inbox's chime: the one the widget plays too (`src/ui/chime.ts`). */
import { createChime as createSharedChime } from '../../ui/chime'

export const createChime = (win: Parameters<typeof createSharedChime>[0]): (() => void) => createSharedChime(win, 'obrolan inbox')
