/**
 * Hostile strings for every place a user-controlled string is displayed. Each payload that could
 * run calls `__xss(n)` rather than `alert`, so a test can tell that none ran.
 */
export const XSS_CORPUS: readonly string[] = [
  '<script>__xss(1)</script>',
  '<img src=x onerror=__xss(2)>',
  '<svg onload=__xss(3)></svg>',
  '<svg><script>__xss(4)</script></svg>',
  '<iframe src="javascript:__xss(5)"></iframe>',
  '<a href="javascript:__xss(6)">click me</a>',
  'javascript:__xss(7)',
  'JaVaScRiPt:__xss(8)',
  'java\tscript:__xss(9)',
  'data:text/html,<script>__xss(10)</script>',
  'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9X194c3MoMTEpPjwvc3ZnPg==',
  '"><img src=x onerror=__xss(12)>',
  "'><body onload=__xss(13)>",
  'https://example.com/"onmouseover="__xss(14)',
  'https://example.com/<script>__xss(15)</script>',
  'mailto:x@example.com?subject=<img src=x onerror=__xss(16)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__xss(17)>',
  '<style>*{display:none!important}</style>',
  '<details open ontoggle=__xss(18)>',
  '{{constructor.constructor("__xss(19)")()}}',
  '&lt;img src=x onerror=__xss(20)&gt;',
  '\u202egnp.exe — right-to-left override',
  'zero\u200bwidth\u200djoiners\ufeff',
  'x'.repeat(3000),
  `${'https://example.com/'}${'a'.repeat(1500)}`,
]

/** The same corpus, shortened for places with a length limit (names: 200 characters). */
export const XSS_NAMES: readonly string[] = XSS_CORPUS.map((payload) => payload.slice(0, 200))
