// Shopify: the storefront events a theme dispatches on the document (shopify:product:view ->
// view_item, shopify:cart:lines-update -> add_to_cart / remove_from_cart, shopify:product:select
// -> select_variant, ...) and the customer privacy API. Themes decide which events exist, so each
// is optional. Payload fields sit on the event (Shopify's dispatcher) or in `detail` (a theme's
// CustomEvent); both are read. Web Pixel events reach only a custom pixel: see
// www/integrations/shopify-pixel.js.

const EVENTS = ['shopify:page:view', 'shopify:product:view', 'shopify:product:select', 'shopify:collection:view',
  'shopify:cart:view', 'shopify:cart:lines-update', 'shopify:search:update', 'visitorConsentCollected'];

/** The events that map to a GA4 event without parameters. */
const PLAIN = { 'shopify:collection:view': 'view_item_list', 'shopify:cart:view': 'view_cart', 'shopify:search:update': 'search' };

const obj = (v) => (v && typeof v === 'object' ? v : null);
const field = (e, k) => (e[k] !== undefined ? e[k] : obj(e.detail)?.[k]);

/** Ids are often numbers; only whole ones make sense as ids. */
function text(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 9e15) return String(v);
  return undefined;
}

/** gid://shopify/Product/123 -> 123, as GA4 integrations usually name the item. */
function id(v) {
  const t = text(v);
  return t === undefined ? undefined : t.slice(t.lastIndexOf('/') + 1);
}

/** A price: a number, a numeric string, or a MoneyV2 {amount}. */
function price(v) {
  if (obj(v)) return v.amount;
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** A GA4 item from a product and its variant (either may be missing). */
function item(product, variant, quantity) {
  product = obj(product) || obj(obj(variant)?.product);
  const itemId = id(product?.id) || id(obj(variant)?.id);
  if (itemId === undefined) return null;
  const out = { item_id: itemId };
  const name = text(product?.title);
  if (name !== undefined) out.item_name = name;
  const amount = price(obj(variant)?.price);
  const p = amount !== undefined ? amount : price(product?.price);
  if (p !== undefined) out.price = p;
  if (quantity !== undefined) out.quantity = quantity;
  return out;
}

export function listenShopify(s) {
  EVENTS.forEach((name) => s.listen(document, name, (e) => onEvent(s, e)));
}

function onEvent(s, e) {
  const type = e.type;
  if (type === 'shopify:page:view') return s.pageView('page');
  if (type === 'visitorConsentCollected') {
    const d = obj(e.detail);
    if (typeof d?.analyticsAllowed === 'boolean') s.consentChanged((c) => (c.shopify = { granted: d.analyticsAllowed, chosen: true }));
    return;
  }
  const context = text(field(e, 'context'));
  let name;
  let params = {};
  if (type === 'shopify:product:view' || type === 'shopify:product:select') {
    // A product page or a quick-view dialog; grid cards and recommendations are not views.
    if (context !== undefined && context !== 'page' && context !== 'dialog') return;
    const it = item(field(e, 'product'), field(e, 'selectedVariant'));
    if (!it) return;
    name = type === 'shopify:product:select' ? 'select_variant' : 'view_item';
    params = { items: [it] };
  } else if (type === 'shopify:cart:lines-update') {
    const action = text(field(e, 'action'));
    // An update gives the new quantity, not the change: not an add or a removal.
    if (action !== 'add' && action !== 'remove') return;
    name = action === 'add' ? 'add_to_cart' : 'remove_from_cart';
    const lines = field(e, 'lines');
    const items = [];
    if (Array.isArray(lines)) {
      for (let i = 0; i < lines.length && i < 200; i++) {
        const line = obj(lines[i]);
        if (!line) continue;
        const m = obj(line.merchandise) || { id: line.merchandiseId !== undefined ? line.merchandiseId : line.id };
        const it = item(null, m, line.quantity);
        if (it) items.push(it);
      }
    }
    params = { items };
  } else name = PLAIN[type];
  s.track(name, params, 'shopify');
}
