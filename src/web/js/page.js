// Page views and clicks. One page view for the page load (with location.href and
// document.referrer, which give the visit its landing page and channel), one per SPA navigation
// (history.pushState / replaceState, popstate) and one per back-forward cache restore (pageshow
// with `persisted`); the scorer counts one page view per path per navigation, so a GA4 or Shopify
// page_view of the same page is not counted twice. And `data-intent` attributes:
// <button data-intent="size_guide"> turns a click into the event a store cannot express in GA4.

const MAX_URL = 8192;

/** location.href, cut to the path when it is too long to keep (queries can be long, and personal). */
export function href() {
  const h = location.href;
  if (h.length <= MAX_URL) return h;
  const end = h.search(/[?#]/);
  return h.slice(0, Math.min(end < 0 ? h.length : end, MAX_URL));
}

/** The path of a URL, as the core's `url::path_of` takes it: no query or fragment; "/" when empty. */
export function pathOf(url) {
  let rest = url;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    const after = url.slice(scheme + 3);
    const j = after.search(/[/?#]/);
    rest = j < 0 ? '' : after.slice(j);
  }
  const end = rest.search(/[?#]/);
  const path = end < 0 ? rest : rest.slice(0, end);
  return path || '/';
}

/** Calls `notify()` after each history.pushState / replaceState. */
export function watchHistory(history, notify) {
  ['pushState', 'replaceState'].forEach((method) => {
    const original = history[method];
    if (typeof original !== 'function') return;
    history[method] = function () {
      const result = original.apply(this, arguments);
      try {
        notify(method);
      } catch (e) {
        /* the scorer logs its own problems */
      }
      return result;
    };
  });
}

export function listenNavigation(s) {
  const navigated = () => {
    s.recheck();
    s.pageView('page');
  };
  watchHistory(history, navigated);
  s.listen(window, 'popstate', navigated);
  s.listen(window, 'pageshow', (e) => {
    if (!e.persisted) return;
    // Frozen in the cache, the page missed other tabs' writes.
    s.load();
    s.pageView('restore');
  });
}

const INTENTS = {
  size_guide: 'view_size_guide', shipping: 'view_shipping_policy', returns: 'view_returns_policy',
  faq: 'view_faq', pricing: 'view_pricing', review: 'review_engagement', reviews: 'review_engagement',
  quiz: 'quiz_complete', coupon: 'apply_coupon', wishlist: 'add_to_wishlist', variant: 'select_variant',
  social: 'social_follow',
};

/** One delegated listener, in the capture phase so a handler stopping propagation hides nothing. */
export function listenClicks(s) {
  s.listen(document, 'click', (e) => {
    const el = e.target?.closest?.('[data-intent]');
    const intent = el?.getAttribute('data-intent');
    if (!intent || intent.length > 64) return;
    const params = {};
    const id = el.getAttribute('data-intent-item');
    if (id !== null) {
      const it = { item_id: id };
      const price = el.getAttribute('data-intent-price');
      if (price !== null) it.price = price;
      params.items = [it];
    }
    s.recheck();
    const name = intent.trim();
    s.track(INTENTS[name] || name, params, 'click');
  }, true);
}
