// The README's snippet, with the server URL taken from the page address for the tests:
// shop.html?server=http://127.0.0.1:PORT&locale=en
;(function (w) {
  w.Obrolan = w.Obrolan || function () { (w.Obrolan.q = w.Obrolan.q || []).push(arguments) }
})(window)
var params = new URLSearchParams(location.search)
window.__events = []
Obrolan('on', 'message', function (m) { window.__events.push({ type: 'message', text: m.text }) })
Obrolan('on', 'open', function () { window.__events.push({ type: 'open' }) })
Obrolan('boot', {
  server: params.get('server'),
  title: 'Toko Kopi',
  greeting: params.get('greeting') || 'Hi! How can we help?',
  locale: params.get('locale') || 'en',
  colorScheme: params.get('scheme') || 'auto',
  name: 'Shop visitor',
})
if (params.get('open') === '1') Obrolan('open')
