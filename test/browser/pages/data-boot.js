// Adds the script tag the way a CMS would paste it (the server URL comes from the test).
var tag = document.createElement('script')
tag.src = '/dist/obrolan.iife.js'
tag.async = true
tag.dataset.server = new URLSearchParams(location.search).get('server')
tag.dataset.title = 'Booted from data attributes'
tag.dataset.open = 'true'
document.body.appendChild(tag)
