/**
 * The shape every request handler has, typed by its event: the request it gets and the ack it
 * answers with both come from `ClientToServerEvents`, so a changed payload fails the type check
 * here and in the client alike.
 */
import type { Ack, ClientToServerEvents } from '../../protocol'
import type { ChatSocket, ServerContext } from '../context'

export type EventName = keyof ClientToServerEvents
export type RequestOf<K extends EventName> = Parameters<ClientToServerEvents[K]>[0]
/** What a successful ack carries besides `ok: true`. */
export type ResultOf<K extends EventName> =
  NonNullable<Parameters<ClientToServerEvents[K]>[1]> extends (ack: Ack<infer T>) => void ? T : never

/**
 * `answerNow` sends the successful answer before the handler has finished, for work the requester
 * need not wait for (telling the others); what the handler resolves to afterwards is not sent.
 */
export type Handler<K extends EventName> = (
  ctx: ServerContext,
  socket: ChatSocket,
  req: RequestOf<K>,
  answerNow: (result: ResultOf<K>) => void,
) => Promise<ResultOf<K>>

export type Handlers = { [K in EventName]: Handler<K> }
