/**
 * The launcher's rules, shared by the widget's stylesheet and the script-tag loader, which draws
 * the same button before the widget has loaded: one source, so the two cannot drift apart.
 */
export const LAUNCHER_RULES = `
:focus{outline:none}
:focus-visible{outline:2px solid var(--obrolan-focus);outline-offset:2px}
svg{display:block;flex:none}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;bottom:20px;right:20px;z-index:var(--obrolan-z);width:56px;height:56px;border-radius:50%;
background:var(--obrolan-primary);color:var(--obrolan-on-primary);display:flex;align-items:center;justify-content:center;
box-shadow:0 4px 14px rgba(0,0,0,.25);transition:transform .15s}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline:3px solid var(--obrolan-focus);box-shadow:0 0 0 5px #fff}
:host([data-position=left]) .launcher{right:auto;left:20px}
`
