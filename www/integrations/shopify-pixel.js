// shopper-intent × Shopify: a custom pixel for the checkout.
//
// The scorer runs on the theme's pages (the one script tag), where it reads the GA4 data layer
// and Shopify's storefront events. Checkout pages are Shopify's own: a theme script never runs
// there, but a custom pixel does. This pixel forwards the checkout's Web Pixel events to the
// scorer as canonical (GA4) events; the scorer applies them, at the time they happened, on the
// visitor's next storefront page. That is what lets it tell a checkout abandoned at the
// shipping or payment step from one never started, and a purchase from an abandonment.
//
// Install: Shopify admin → Settings → Customer events → Add custom pixel → paste this file.
//   Customer privacy → Permission: "Required", Analytics (so it runs only with consent).
//   Data sale: "Data collected does not qualify as data sale".
// If the theme's config sets runtime.storage_key, use the same key + ":inbox" below.
//
// How it hands events over: Web Pixels run in a sandbox, so the pixel cannot call
// window.shopperIntent. It appends {name, time, params} to the storefront's localStorage under
// "shopper-intent:inbox" (through the pixel API's browser.localStorage, which writes to the
// shop's own origin); the scorer takes and removes that list when it starts. Only item ids,
// names, categories, prices and totals are forwarded: no email, address or phone.
//
// Storefront events (product_viewed, product_added_to_cart, …) are left to the script tag,
// which sees them as they happen. For a storefront with neither GA4 nor Shopify's storefront
// events, set FORWARD_STOREFRONT = true: they then arrive one page late.

const INBOX = 'shopper-intent:inbox';
const MAX_QUEUED = 50;
const FORWARD_STOREFRONT = false;

/** A GA4 item from a Web Pixel ProductVariant (the product id names the item, as on the theme). */
function item(variant, quantity) {
  if (!variant) return null;
  const product = variant.product || {};
  return {
    item_id: String(product.id || variant.id),
    item_name: product.title || undefined,
    item_category: product.type || undefined,
    price: variant.price ? variant.price.amount : undefined,
    quantity: quantity || 1,
  };
}

function checkoutParams(checkout) {
  const items = ((checkout && checkout.lineItems) || [])
    .map((line) => item(line.variant, line.quantity))
    .filter(Boolean)
    .slice(0, 200);
  const total = checkout && checkout.totalPrice ? checkout.totalPrice.amount : undefined;
  return { currency: checkout && checkout.currencyCode, value: total, items };
}

/** Web Pixel event → [GA4 event name, params]. */
const CHECKOUT = {
  checkout_started: (d) => ['begin_checkout', checkoutParams(d.checkout)],
  checkout_shipping_info_submitted: (d) => ['add_shipping_info', checkoutParams(d.checkout)],
  payment_info_submitted: (d) => ['add_payment_info', checkoutParams(d.checkout)],
  checkout_completed: (d) => ['purchase', checkoutParams(d.checkout)],
};
const STOREFRONT = {
  product_viewed: (d) => ['view_item', { items: [item(d.productVariant)].filter(Boolean) }],
  product_added_to_cart: (d) =>
    ['add_to_cart', { items: [item(d.cartLine && d.cartLine.merchandise, d.cartLine && d.cartLine.quantity)].filter(Boolean) }],
  product_removed_from_cart: (d) =>
    ['remove_from_cart', { items: [item(d.cartLine && d.cartLine.merchandise, d.cartLine && d.cartLine.quantity)].filter(Boolean) }],
  cart_viewed: () => ['view_cart', {}],
  collection_viewed: () => ['view_item_list', {}],
  search_submitted: () => ['search', {}],
};

// The pixel API's storage is asynchronous: one write at a time, so no event overwrites another.
let queue = Promise.resolve();

function forward(name, params, timestamp) {
  const time = Date.parse(timestamp) || Date.now();
  queue = queue
    .then(() => browser.localStorage.getItem(INBOX))
    .then((text) => {
      let list = [];
      try {
        list = JSON.parse(text || '[]');
      } catch (e) {
        list = [];
      }
      if (!Array.isArray(list)) list = [];
      list.push({ name, time, params });
      return browser.localStorage.setItem(INBOX, JSON.stringify(list.slice(-MAX_QUEUED)));
    })
    .catch(() => {
      /* storage unavailable: the event is lost, the checkout is not affected */
    });
  return queue;
}

function subscribe(table) {
  Object.keys(table).forEach((webPixelEvent) => {
    analytics.subscribe(webPixelEvent, (event) => {
      const [name, params] = table[webPixelEvent](event.data || {});
      return forward(name, params, event.timestamp);
    });
  });
}

subscribe(CHECKOUT);
if (FORWARD_STOREFRONT) subscribe(STOREFRONT);
