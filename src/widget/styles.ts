/**
 * The widget's stylesheet, adopted into its shadow root as a constructable `CSSStyleSheet` (never a
 * `<style>` element or a `style` attribute, so it runs under `style-src 'self'`).
 *
 * Theming: every colour and size a site may want to change is a custom property on `:host`. A page
 * can override them from outside, because the page's rules for the host element beat `:host`:
 *
 *   [data-obrolan-widget] { --obrolan-primary: #7c3aed; }
 *
 *   --obrolan-primary       launcher, header, own bubbles, send button (option `primaryColor`)
 *   --obrolan-on-primary    text and icons on the primary colour (derived from a hex `primaryColor`)
 *   --obrolan-z             z-index of launcher and panel (option `zIndex`)
 *   --obrolan-font          font stack
 *   --obrolan-radius        panel corner radius
 *   --obrolan-bg            panel background
 *   --obrolan-surface       other side's bubbles, composer field
 *   --obrolan-text          body text
 *   --obrolan-muted         times, labels, secondary text
 *   --obrolan-border        separators and field borders
 *   --obrolan-link          links in the other side's bubbles
 *   --obrolan-read          the blue double tick
 *   --obrolan-danger        errors and failed messages
 *   --obrolan-focus         focus rings
 *   --obrolan-ok / --obrolan-warn / --obrolan-bad   connection dot colours
 *
 * Dark values apply with `prefers-color-scheme: dark` when the host has `data-color-scheme="auto"`,
 * or always with `data-color-scheme="dark"`. The text colours meet WCAG AA on their backgrounds in
 * both schemes. `--obrolan-vvh` / `--obrolan-vv-top` are set by the widget from `visualViewport`
 * so the full-screen panel (narrow screens) keeps the composer above the on-screen keyboard.
 */

import { LAUNCHER_RULES } from './launcher-css'

const DARK =
  '--obrolan-bg:#18181b;--obrolan-surface:#27272a;--obrolan-text:#f4f4f5;--obrolan-muted:#a1a1aa;' +
  '--obrolan-border:#3f3f46;--obrolan-link:#93c5fd;--obrolan-read:#60a5fa;--obrolan-danger:#fca5a5;' +
  '--obrolan-focus:#93c5fd;'

export const WIDGET_CSS = `
:host{all:initial !important;
--obrolan-primary:#1d4ed8;--obrolan-on-primary:#fff;--obrolan-z:2147483000;
--obrolan-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;--obrolan-radius:16px;
--obrolan-bg:#fff;--obrolan-surface:#f3f4f6;--obrolan-text:#111827;--obrolan-muted:#4b5563;--obrolan-border:#d1d5db;
--obrolan-link:#1d4ed8;--obrolan-read:#1d4ed8;--obrolan-danger:#b91c1c;--obrolan-focus:#1d4ed8;
--obrolan-ok:#16a34a;--obrolan-warn:#eab308;--obrolan-bad:#dc2626}
@media (prefers-color-scheme:dark){:host([data-color-scheme=auto]){${DARK}}:host([data-color-scheme=auto]) .root{color-scheme:dark}}
:host([data-color-scheme=dark]){${DARK}}:host([data-color-scheme=dark]) .root{color-scheme:dark}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none !important}
.root{color-scheme:light;font-family:var(--obrolan-font);font-size:14px;line-height:1.45;color:var(--obrolan-text);-webkit-text-size-adjust:100%;text-align:start}
button,textarea,input,select{font:inherit;color:inherit;margin:0}
button{cursor:pointer;border:0;background:none;padding:0}
${LAUNCHER_RULES}.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;
background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;box-shadow:0 0 0 2px #fff;
animation:obrolan-pop .25s ease-out}
@keyframes obrolan-pop{from{transform:scale(.4)}}
.panel{position:fixed;bottom:88px;right:20px;z-index:var(--obrolan-z);width:360px;height:560px;
max-height:calc(100vh - 108px);max-height:calc(100dvh - 108px);max-width:calc(100vw - 40px);display:flex;flex-direction:column;
background:var(--obrolan-bg);border-radius:var(--obrolan-radius);overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.3);
animation:obrolan-in .18s ease-out}
:host([data-position=left]) .panel{right:auto;left:20px}
@keyframes obrolan-in{from{opacity:0;transform:translateY(8px)}}
@media (max-width:480px){.panel,:host([data-position=left]) .panel{inset:auto 0 auto 0;top:var(--obrolan-vv-top,0px);
width:100%;max-width:none;height:100vh;height:var(--obrolan-vvh,100dvh);max-height:none;border-radius:0}}
.header{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;background:var(--obrolan-primary);color:var(--obrolan-on-primary)}
.header :focus-visible{outline-color:currentColor}
.heading{flex:1;min-width:0}
.title{margin:0;font-size:16px;font-weight:700;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sub{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px}
.conn{display:inline-flex;align-items:center;gap:6px}
.dot{width:9px;height:9px;border-radius:50%;background:var(--obrolan-bad);box-shadow:0 0 0 2px rgba(255,255,255,.85)}
.conn[data-tone=green] .dot{background:var(--obrolan-ok)}
.conn[data-tone=yellow] .dot{background:var(--obrolan-warn);animation:obrolan-pulse 1.2s ease-in-out infinite}
@keyframes obrolan-pulse{50%{opacity:.35}}
.icon-btn{width:36px;height:36px;border-radius:50%;display:flex;align-items:center;justify-content:center}
.icon-btn:hover{background:rgba(127,127,127,.2)}
.mute[aria-pressed=true]{opacity:.75}
.body{position:relative;flex:1;min-height:0;display:flex;flex-direction:column}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px;display:flex;flex-direction:column;gap:10px}
.notice{align-self:center;text-align:center;font-size:12px;color:var(--obrolan-muted);margin:4px 8px}
.notice.closed{align-self:stretch;border-top:1px solid var(--obrolan-border);padding-top:8px}
.reply-time{opacity:.9}
.away{padding:10px 12px;border-top:1px solid var(--obrolan-border);background:var(--obrolan-surface);font-size:13px}
.away p{margin:0}
.away-text{margin-bottom:6px !important}
.email-prompt label,.form-row label{display:block;font-size:12px;font-weight:600;margin:6px 0 4px}
.optional{font-weight:400;color:var(--obrolan-muted)}
.email-known{font-size:12px;color:var(--obrolan-muted)}
.field-error{margin:4px 0 0;font-size:12px;color:var(--obrolan-danger)}
.pre-chat{flex:1;min-height:0;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:4px}
.pre-chat-title{margin:0;font-size:16px}
.pre-chat-intro{margin:0 0 6px;color:var(--obrolan-muted)}
.pre-chat .input{width:100%;min-height:40px}
.pre-chat .start{margin-top:10px;align-self:flex-start}
select.input{appearance:auto}
.hint{margin:0 0 6px;font-size:12px;color:var(--obrolan-muted)}
.older{align-self:center;font-size:12px;color:var(--obrolan-muted);text-decoration:underline;padding:4px 8px;border-radius:8px}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:85%;gap:2px}
.row.own{align-self:flex-end;align-items:flex-end}
.bubble{padding:8px 12px;border-radius:14px;border-bottom-left-radius:4px;background:var(--obrolan-surface);
white-space:pre-wrap;overflow-wrap:anywhere;word-break:normal}
.own .bubble{background:var(--obrolan-primary);color:var(--obrolan-on-primary);border-radius:14px;border-bottom-right-radius:4px}
.bubble a{color:var(--obrolan-link);text-decoration:underline}
.own .bubble a{color:inherit}
.deleted{font-style:italic;color:var(--obrolan-muted)}
.own .bubble.is-deleted{background:none;border:1px dashed var(--obrolan-border)}
.meta{display:flex;align-items:center;gap:6px;font-size:11px;color:var(--obrolan-muted)}
.ticks{display:inline-flex;color:var(--obrolan-muted)}
.ticks[data-status=read]{color:var(--obrolan-read)}
.failed{display:flex;flex-wrap:wrap;align-items:center;justify-content:flex-end;gap:4px 8px;font-size:12px;color:var(--obrolan-danger)}
.link-btn{font-size:12px;font-weight:600;text-decoration:underline;padding:2px 4px;border-radius:4px}
.failed .link-btn{color:var(--obrolan-danger)}
.meta{position:relative}
/* Out of the flow, left of the time: shown or hidden, the row keeps one height. */
.actions{position:absolute;right:100%;top:50%;transform:translateY(-50%);display:flex;gap:2px;padding-right:4px;white-space:nowrap;opacity:0;transition:opacity .1s}
.actions .link-btn{color:var(--obrolan-muted);padding:0 4px}
.row:hover .actions,.row:focus-within .actions{opacity:1}
@media (hover:none){.actions{opacity:1}}
.undo-line{display:flex;align-items:center;gap:8px;padding:8px 12px;border-radius:14px;border:1px dashed var(--obrolan-border);font-size:13px;color:var(--obrolan-muted)}
.undo-line .link-btn{color:var(--obrolan-text)}
.typing{display:flex;align-items:center;align-self:flex-start;padding:10px 12px;border-radius:14px;background:var(--obrolan-surface)}
.dots{display:flex;gap:4px}
.dots span{width:6px;height:6px;border-radius:50%;background:var(--obrolan-muted);animation:obrolan-bounce 1.2s infinite}
.dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}
@keyframes obrolan-bounce{0%,60%,100%{transform:none}30%{transform:translateY(-4px)}}
.new-hint{position:absolute;bottom:10px;left:50%;transform:translateX(-50%);padding:6px 14px;border-radius:16px;
background:var(--obrolan-primary);color:var(--obrolan-on-primary);font-size:12px;font-weight:600;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.composer{border-top:1px solid var(--obrolan-border);padding:8px 12px 12px;background:var(--obrolan-bg)}
/* The alert region stays rendered (empty, no height) so screen readers announce what appears in it. */
.alert{font-size:12px;color:var(--obrolan-danger)}
.alert:not(:empty){margin-bottom:6px}
.editing{margin-bottom:6px;display:flex;align-items:center;justify-content:space-between;font-size:12px;color:var(--obrolan-muted)}
.editing .link-btn{color:var(--obrolan-text)}
.field{display:flex;align-items:flex-end;gap:8px}
.input{flex:1;resize:none;min-height:40px;max-height:120px;field-sizing:content;padding:9px 12px;border:1px solid var(--obrolan-muted);
border-radius:12px;background:var(--obrolan-surface);line-height:1.4}
.input::placeholder{color:var(--obrolan-muted);opacity:1}
.input:focus-visible{outline-offset:0}
.send{height:40px;padding:0 14px;border-radius:12px;background:var(--obrolan-primary);color:var(--obrolan-on-primary);font-weight:600}
.attach{width:40px;height:40px;flex:none;border-radius:12px;display:flex;align-items:center;justify-content:center;color:var(--obrolan-muted)}
.attach:hover{background:var(--obrolan-surface)}
.file{display:flex;flex-direction:column;gap:4px;max-width:100%}
.own .file{align-items:flex-end}
.thumb{display:block;position:relative;padding:0;border-radius:12px;overflow:hidden;background:var(--obrolan-surface);max-width:100%}
.thumb canvas{display:block;max-width:100%;height:auto}
.thumb[data-state=loading] canvas{opacity:0}
.thumb-name{position:absolute;inset:auto 6px 6px;font-size:12px;color:var(--obrolan-muted);overflow-wrap:anywhere}
.file-chip{display:flex;align-items:center;gap:8px;padding:8px 12px;border-radius:12px;border:1px solid var(--obrolan-border);
background:var(--obrolan-bg);text-align:start;max-width:260px}
.file-chip svg{flex:none;color:var(--obrolan-muted)}
.file-text{display:flex;flex-direction:column;min-width:0}
.file-name{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.file-meta{font-size:12px;color:var(--obrolan-muted)}
.upload{display:flex;align-items:center;gap:8px;font-size:12px;color:var(--obrolan-muted)}
.upload progress{width:140px;height:6px;accent-color:var(--obrolan-primary)}
.upload .link-btn{color:var(--obrolan-muted)}
.reactions{display:flex;flex-wrap:wrap;gap:4px}
.reaction{display:inline-flex;align-items:center;gap:3px;padding:1px 8px;border-radius:12px;border:1px solid var(--obrolan-border);
background:var(--obrolan-bg);font-size:13px;line-height:20px}
.reaction[aria-pressed=true]{border-color:var(--obrolan-primary);background:var(--obrolan-surface)}
.reaction:disabled{cursor:default}
.reaction-count{font-size:12px;color:var(--obrolan-muted);font-variant-numeric:tabular-nums}
.react{position:relative;display:inline-flex}
.react-btn{display:flex;padding:2px;border-radius:50%;color:var(--obrolan-muted);opacity:.55}
.react-btn:hover,.react-btn:focus-visible,.react-btn[aria-expanded=true]{opacity:1}
.picker{position:absolute;bottom:calc(100% + 4px);left:-8px;z-index:2;display:flex;gap:2px;padding:4px;border-radius:20px;
background:var(--obrolan-bg);border:1px solid var(--obrolan-border);box-shadow:0 4px 16px rgba(0,0,0,.18)}
.own .picker{left:auto;right:-8px}
.pick{width:32px;height:32px;border-radius:50%;font-size:18px;line-height:32px}
.pick,.reaction>:first-child{font-family:"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji",var(--obrolan-font)}
.pick:hover,.pick[aria-pressed=true]{background:var(--obrolan-surface)}
.drop{position:absolute;inset:0;z-index:3;display:flex;align-items:center;justify-content:center;padding:24px;text-align:center;
font-weight:600;color:var(--obrolan-primary);background:var(--obrolan-bg);border:3px dashed var(--obrolan-primary);border-radius:var(--obrolan-radius);opacity:.95}
.lightbox{position:absolute;inset:0;z-index:4;display:flex;flex-direction:column;background:#0c0c0e;color:#fff}
.lightbox-bar{display:flex;align-items:center;gap:8px;padding:8px 8px 8px 16px}
.lightbox-bar .link-btn{color:#fff}
.lightbox-name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-weight:600}
.lightbox-body{flex:1;min-height:0;display:flex;align-items:center;justify-content:center;padding:0 12px 12px}
.lightbox-body canvas{max-width:100%;max-height:100%;width:auto;height:auto;object-fit:contain}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none !important;transition:none !important}}
`
