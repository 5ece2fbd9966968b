// The page's entry: the inbox in #app, with the browser's window, fetch and storage.
import './inbox.css'
import { startInbox } from './start-inbox'

startInbox({ root: document.getElementById('app')!, base: import.meta.env.BASE_URL })
