/**
 * shopper-intent → chat widget recipes.
 *
 * The scorer fires each nudge as a `shopper-intent:action` CustomEvent on `window`, with
 * `detail = {action, kind, rule, experiment, variant, message, product, reason}`. A recipe
 * passes the chat nudges (`kind: 'chat'`) to the store's chat widget through the widget's
 * public JavaScript API, and marks the event handled (`preventDefault()`), so the scorer's
 * built-in bubble stays hidden. Nothing here throws into the page: a missing widget is
 * reported once with console.warn and the built-in bubble is shown instead.
 *
 *   <script type="module">
 *     import { connectChat } from '/integrations/chat-recipes.js';
 *     connectChat('crisp');                     // or 'intercom', 'zendesk', 'tidio'
 *     connectChat((detail) => myChat.invite(detail.message));   // any other widget
 *   </script>
 *
 * `detail.message` and `detail.product` come from the page and the dataLayer: hand them to
 * APIs that take plain text (all of the below do), never to innerHTML.
 */

/** The recipes by name: `(detail, window, options) => true` when the widget took the nudge. */
export const recipes = {
  /**
   * Intercom: `Intercom('trackEvent', …)` lets an Intercom-side message target the nudge, then
   * `Intercom('showNewMessage', prefill)` opens the messenger. Intercom puts `prefill` in the
   * VISITOR's composer, so our operator-voiced message is not used; pass
   * `{intercomPrefill: (detail) => 'Hi, I have a question about ' + detail.product}` to prefill.
   */
  intercom(detail, w, options) {
    if (typeof w.Intercom !== 'function') return false;
    w.Intercom('trackEvent', 'shopper-intent-nudge', {
      action: detail.action,
      rule: detail.rule,
      product: detail.product || '',
    });
    const prefill = options.intercomPrefill ? String(options.intercomPrefill(detail) || '') : '';
    if (prefill) w.Intercom('showNewMessage', prefill);
    else w.Intercom('showNewMessage');
    return true;
  },

  /**
   * Zendesk Web Widget (messaging): tags the conversation for the agent, then opens the
   * messenger (`zE('messenger', 'open')`). Its API cannot post a message as the operator:
   * write the greeting in Zendesk (e.g. a proactive message), since our text is not shown.
   */
  zendesk(detail, w) {
    if (typeof w.zE !== 'function') return false;
    w.zE('messenger:set', 'conversationTags', ['shopper-intent', String(detail.action)]);
    w.zE('messenger', 'open');
    return true;
  },

  /**
   * Tidio: `tidioChatApi.messageFromOperator(text)` shows our message as the operator's and
   * opens the chat. Before Tidio is ready (`tidioChat-ready`), the latest nudge waits for it.
   */
  tidio(detail, w) {
    const api = w.tidioChatApi;
    if (api && typeof api.messageFromOperator === 'function') {
      api.messageFromOperator(String(detail.message));
      return true;
    }
    if (!w.document || !w.document.addEventListener) return false;
    // The Tidio snippet is on the page but still loading: deliver when it is ready.
    pendingTidio.set(w, detail);
    if (!pendingTidio.listening.has(w)) {
      pendingTidio.listening.add(w);
      w.document.addEventListener('tidioChat-ready', () => {
        const waiting = pendingTidio.get(w);
        pendingTidio.delete(w);
        const ready = w.tidioChatApi;
        if (waiting && ready && typeof ready.messageFromOperator === 'function') {
          ready.messageFromOperator(String(waiting.message));
        }
      }, { once: true });
    }
    return true;
  },

  /**
   * Crisp: `$crisp.push(['do', 'message:show', ['text', text]])` shows our message as the
   * operator's, and `['do', 'chat:open']` opens the box. `$crisp` queues calls until Crisp loads.
   */
  crisp(detail, w) {
    const queue = w.$crisp;
    if (!queue || typeof queue.push !== 'function') return false;
    queue.push(['do', 'message:show', ['text', String(detail.message)]]);
    queue.push(['do', 'chat:open']);
    return true;
  },
};

/** Nudges waiting for Tidio to be ready, per window. */
const pendingTidio = Object.assign(new WeakMap(), { listening: new WeakSet() });

/**
 * Passes nudges to a chat widget. `recipe` is a name from `recipes`, or a function
 * `(detail, event) => boolean | void` (the generic callback; return `false` to leave the nudge
 * to the built-in renderer). Options:
 * - `kinds`: the nudge kinds to pass (default `['chat']`; `['chat', 'banner']` for all);
 * - `actions`: only these moves (e.g. `['proactive_chat']`); all by default;
 * - `target`: the window (default `globalThis`);
 * - `warn`: where to report a missing widget (default `console.warn`), once per connection;
 * - `intercomPrefill`: see the Intercom recipe.
 * Returns a function that disconnects.
 */
export function connectChat(recipe, options = {}) {
  const w = options.target || globalThis;
  const kinds = options.kinds || ['chat'];
  const actions = options.actions || null;
  const warn = options.warn || ((m) => globalThis.console && console.warn(m));
  const name = typeof recipe === 'function' ? 'callback' : String(recipe);
  const deliver = typeof recipe === 'function' ? null : recipes[name];
  if (typeof recipe !== 'function' && !deliver) {
    warn('shopper-intent: no chat recipe named "' + name + '"; the recipes are ' +
      Object.keys(recipes).join(', '));
    return () => {};
  }
  let warned = false;
  const listener = (event) => {
    const detail = event && event.detail;
    if (!detail || !kinds.includes(detail.kind)) return;
    if (actions && !actions.includes(detail.action)) return;
    let handled;
    try {
      handled = deliver ? deliver(detail, w, options) : recipe(detail, event) !== false;
    } catch (error) {
      handled = false;
      if (!warned) warn('shopper-intent: the ' + name + ' chat recipe failed: ' + error);
      warned = true;
    }
    if (handled) {
      event.preventDefault();
    } else if (deliver && !warned) {
      warned = true;
      warn('shopper-intent: the ' + name + ' chat widget is not on this page; ' +
        'showing the built-in invitation instead');
    }
  };
  w.addEventListener('shopper-intent:action', listener);
  return () => w.removeEventListener('shopper-intent:action', listener);
}
