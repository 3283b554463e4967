// The built-in renderer, for stores without a chat widget: a banner, or a chat-invite bubble.
// Loaded on the first nudge a page does not render itself.
//
// One nudge at a time, in one element (#shopper-intent-nudge). Accessible: a banner is a polite
// live region (role="status"), a chat invite a non-modal role="dialog"; both are focusable, close
// with their button or Esc, and skip the entrance animation under prefers-reduced-motion. It never
// moves focus on its own. Text is ALWAYS set with textContent: messages carry product names from
// the page or the data layer, and must never be parsed as HTML.
//
// Styles: a <style> element, with the nonce of the tag under a strict CSP (`style-src 'nonce-…'`),
// or, with `runtime.stylesheet`, a <link> to a stylesheet the store hosts (`style-src 'self'`);
// pkg/shopper-intent.css holds the same rules.

export const NUDGE_ID = 'shopper-intent-nudge';
export const STYLE_ID = 'shopper-intent-style';

export const CSS = '#shopper-intent-nudge{position:fixed;z-index:2147483000;bottom:16px;right:16px;' +
  'box-sizing:border-box;max-width:min(360px,calc(100vw - 32px));padding:12px 44px 12px 16px;' +
  'background:#fff;color:#1a1a1a;border:1px solid #c8c8c8;border-radius:12px;' +
  'box-shadow:0 4px 16px rgba(0,0,0,.18);font:15px/1.45 system-ui,sans-serif;animation:si-in .25s ease-out}' +
  '#shopper-intent-nudge.si-banner{left:16px;max-width:none;border-radius:8px}' +
  '#shopper-intent-nudge p{margin:0}' +
  '#shopper-intent-nudge button{position:absolute;top:6px;right:6px;width:32px;height:32px;border:0;' +
  'border-radius:6px;background:none;color:inherit;font-size:22px;line-height:1;cursor:pointer}' +
  '@keyframes si-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}' +
  '@media (prefers-reduced-motion: reduce){#shopper-intent-nudge{animation:none;transition:none}}';

function styles(rt) {
  if (document.getElementById(STYLE_ID)) return;
  let el;
  if (rt && rt.stylesheet) {
    el = document.createElement('link');
    el.rel = 'stylesheet';
    el.href = rt.stylesheet;
  } else {
    el = document.createElement('style');
    const tag = document.querySelector('script[src*="shopper-intent"][nonce]');
    const nonce = tag && (tag.nonce || tag.getAttribute('nonce'));
    if (nonce) el.nonce = nonce;
    el.textContent = CSS;
  }
  el.id = STYLE_ID;
  (document.head || document.body).appendChild(el);
}

let current = null;

/** Removes the nudge and its listeners (navigation, reset(), consent withdrawn); no callback. */
export function hide() {
  if (current) current();
  current = null;
}

/**
 * Shows `message` as a banner or chat-invite bubble, replacing any shown before. `onClose` runs
 * once if the visitor closes it (button or Esc). Returns the function that hides it.
 */
export function show(kind, message, onClose, rt) {
  hide();
  if (!document.body) return hide;
  styles(rt);
  const root = document.createElement('div');
  root.id = NUDGE_ID;
  root.tabIndex = 0;
  if (kind === 'chat') {
    root.className = 'si-nudge si-chat';
    root.setAttribute('role', 'dialog');
    root.setAttribute('aria-modal', 'false');
    root.setAttribute('aria-label', 'Chat invitation');
  } else {
    root.className = 'si-nudge si-banner';
    root.setAttribute('role', 'status');
    root.setAttribute('aria-live', 'polite');
  }
  const text = document.createElement('p');
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  close.textContent = '\u00d7';
  root.append(text, close);
  const closed = () => {
    hide();
    onClose();
  };
  const onKey = (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) closed();
  };
  document.addEventListener('keydown', onKey);
  close.addEventListener('click', closed);
  document.body.appendChild(root);
  const mine = () => {
    document.removeEventListener('keydown', onKey);
    root.remove();
  };
  current = mine;
  return () => {
    if (current === mine) hide();
  };
}

/** Whether a nudge is shown. */
export function isShown() {
  return current !== null;
}
