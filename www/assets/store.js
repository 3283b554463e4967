/*
 * Northwind Threads storefront script (demo store for shopper-intent).
 *
 * Plain browser JavaScript, no dependencies, loaded with `defer` on every page.
 * It owns the store's data (catalogue, cart in localStorage `nw-cart`, wishlist in
 * `nw-wishlist`, checkout details in sessionStorage `nw-checkout`, consent choice in
 * localStorage `nw-consent`) and instruments the pages exactly the way a GTM store does:
 * `{ecommerce: null}` clear, then `{event, ecommerce}` (GA4 recommended events).
 *
 * It knows nothing about the scorer: the scorer reads `window.dataLayer` on its own.
 * Test hooks live on `window.Northwind`.
 */
(function () {
  'use strict';

  var CURRENCY = 'USD';
  var BRAND = 'Northwind Threads';
  var FREE_SHIPPING_OVER = 150;
  var SHIPPING_TIERS = {
    Standard: { label: 'Standard', detail: '3–5 business days', price: 5 },
    Express: { label: 'Express', detail: '1–2 business days', price: 15 }
  };
  var APPAREL_SIZES = ['XS', 'S', 'M', 'L', 'XL'];

  /** The product catalogue. `id` is the GA4 item_id (one per product, not per variant). */
  var CATALOGUE = {
    'linen-shirt': {
      id: 'NW-1001', name: 'Linen Shirt', category: 'Shirts', price: 45,
      sizes: APPAREL_SIZES, defaultSize: 'M',
      colours: [['Natural', '#e9dfcb'], ['Sky', '#a9c3d6'], ['Olive', '#858b62']]
    },
    'merino-sweater': {
      id: 'NW-1002', name: 'Merino Crew Sweater', category: 'Knitwear', price: 120,
      sizes: APPAREL_SIZES, defaultSize: 'M',
      colours: [['Oatmeal', '#dccfb6'], ['Charcoal', '#4b4c52'], ['Forest', '#3f5b48']]
    },
    'canvas-tote': {
      id: 'NW-1003', name: 'Canvas Tote', category: 'Accessories', price: 25,
      sizes: ['S', 'M', 'L'], defaultSize: 'M',
      colours: [['Natural', '#e7ddc7'], ['Navy', '#2f3c57'], ['Clay', '#b9775a']]
    },
    'wool-overcoat': {
      id: 'NW-1004', name: 'Wool Overcoat', category: 'Outerwear', price: 280,
      sizes: APPAREL_SIZES, defaultSize: 'M',
      colours: [['Camel', '#b98b5d'], ['Navy', '#28334b'], ['Charcoal', '#3e3f45']]
    },
    'chore-jacket': {
      id: 'NW-1005', name: 'Cotton Chore Jacket', category: 'Outerwear', price: 95,
      sizes: APPAREL_SIZES, defaultSize: 'M',
      colours: [['Indigo', '#35476c'], ['Ecru', '#e5ddc9'], ['Rust', '#a65c3c']]
    }
  };

  /* ---------------------------------------------------------------- storage */

  var memory = {};
  function store(kind) {
    try {
      var s = window[kind];
      var probe = '__nw_probe__';
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null; // disabled, blocked or full: fall back to memory
    }
  }
  function readJSON(kind, key, fallback) {
    var s = store(kind);
    var raw = s ? s.getItem(key) : memory[kind + ':' + key];
    if (raw == null) return fallback;
    try { return JSON.parse(raw); } catch (e) { return fallback; }
  }
  function writeJSON(kind, key, value) {
    var raw = JSON.stringify(value);
    var s = store(kind);
    try { if (s) { s.setItem(key, raw); return; } } catch (e) { /* full */ }
    memory[kind + ':' + key] = raw;
  }
  function removeKey(kind, key) {
    var s = store(kind);
    if (s) s.removeItem(key);
    delete memory[kind + ':' + key];
  }

  /* ------------------------------------------------------------- formatting */

  function round2(n) { return Math.round(n * 100) / 100; }
  function money(n) { return '$' + n.toFixed(2); }
  function colourHex(p, colour) {
    for (var i = 0; i < p.colours.length; i++) if (p.colours[i][0] === colour) return p.colours[i][1];
    return p.colours[0][1];
  }
  function variantName(colour, size) { return colour + ' / ' + size; }

  /* ------------------------------------------------------------ GA4 helpers */

  /** Push one GA4 ecommerce event the GTM way: clear, then the event. */
  function dl(event, ecommerce) {
    window.dataLayer = window.dataLayer || [];
    window.dataLayer.push({ ecommerce: null });
    window.dataLayer.push({ event: event, ecommerce: ecommerce });
  }

  /** A GA4 item for a product handle and (optional) variant/quantity/list position. */
  function item(handle, opts) {
    var p = CATALOGUE[handle];
    opts = opts || {};
    var it = {
      item_id: p.id,
      item_name: p.name,
      item_brand: BRAND,
      item_category: p.category,
      item_variant: variantName(opts.colour || p.colours[0][0], opts.size || p.defaultSize),
      price: p.price,
      quantity: opts.quantity || 1
    };
    if (opts.index != null) it.index = opts.index;
    if (opts.listId) { it.item_list_id = opts.listId; it.item_list_name = opts.listName; }
    return it;
  }
  function sumValue(items) {
    var v = 0;
    for (var i = 0; i < items.length; i++) v += items[i].price * items[i].quantity;
    return round2(v);
  }
  function ecom(items, extra) {
    var e = { currency: CURRENCY, value: sumValue(items) };
    if (extra) for (var k in extra) e[k] = extra[k];
    e.items = items;
    return e;
  }

  /* ------------------------------------------------------------------- cart */

  /** The cart: an array of lines `{handle, size, colour, quantity}` in localStorage `nw-cart`. */
  var cart = {
    lines: function () {
      var raw = readJSON('localStorage', 'nw-cart', []);
      if (!Array.isArray(raw)) return [];
      return raw.filter(function (l) {
        return l && CATALOGUE[l.handle] && l.quantity > 0;
      });
    },
    save: function (lines) { writeJSON('localStorage', 'nw-cart', lines); renderCartCount(); },
    add: function (handle, size, colour, quantity) {
      var lines = cart.lines();
      var found = lines.filter(function (l) { return l.handle === handle && l.size === size && l.colour === colour; })[0];
      if (found) found.quantity = Math.min(99, found.quantity + quantity);
      else lines.push({ handle: handle, size: size, colour: colour, quantity: quantity });
      cart.save(lines);
    },
    setQuantity: function (index, quantity) {
      var lines = cart.lines();
      if (!lines[index]) return;
      if (quantity <= 0) lines.splice(index, 1); else lines[index].quantity = quantity;
      cart.save(lines);
    },
    clear: function () { removeKey('localStorage', 'nw-cart'); renderCartCount(); },
    count: function () { return cart.lines().reduce(function (n, l) { return n + l.quantity; }, 0); },
    items: function () {
      return cart.lines().map(function (l) {
        return item(l.handle, { size: l.size, colour: l.colour, quantity: l.quantity });
      });
    },
    subtotal: function () { return sumValue(cart.items()); }
  };

  function renderCartCount() {
    var n = cart.count();
    var els = document.querySelectorAll('[data-cart-count]');
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = String(n);
      els[i].hidden = n === 0;
    }
    var links = document.querySelectorAll('[data-cart-link]');
    for (var j = 0; j < links.length; j++) {
      links[j].setAttribute('aria-label', 'Cart, ' + n + (n === 1 ? ' item' : ' items'));
    }
  }

  /* ------------------------------------------------------------- DOM helpers */

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') el.textContent = attrs[k];
      else if (k === 'class') el.className = attrs[k];
      else if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }
  /** Product art: an <svg> that <use>s the sprite symbol, coloured with CSS `color`. */
  function art(handle, colour, cls) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 200 200');
    svg.setAttribute('class', cls || 'art');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.style.color = colourHex(CATALOGUE[handle], colour);
    var use = document.createElementNS(SVG_NS, 'use');
    use.setAttribute('href', '/assets/products.svg#art-' + handle);
    svg.appendChild(use);
    return svg;
  }
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function go(url) {
    // Like GTM's eventTimeout: give synchronous dataLayer listeners a beat before unloading.
    setTimeout(function () { location.assign(url); }, 150);
  }

  /* ---------------------------------------------------------------- consent */

  function setConsent(choice) {
    var v = choice === 'granted' ? 'granted' : 'denied';
    try { localStorage.setItem('nw-consent', v); } catch (e) { /* remembered for this page only */ }
    window.gtag('consent', 'update', {
      ad_storage: v, ad_user_data: v, ad_personalization: v, analytics_storage: v
    });
  }
  function storedConsent() {
    try { return localStorage.getItem('nw-consent'); } catch (e) { return null; }
  }
  function showConsentBanner(focus) {
    var existing = $('#nw-consent');
    if (existing) { existing.hidden = false; if (focus) $('#nw-consent-accept').focus(); return; }
    var banner = h('section', {
      id: 'nw-consent', class: 'consent', role: 'region',
      'aria-labelledby': 'nw-consent-title', 'aria-describedby': 'nw-consent-text'
    },
      h('h2', { id: 'nw-consent-title', class: 'consent-title', text: 'Cookies & privacy' }),
      h('p', { id: 'nw-consent-text', class: 'consent-text' },
        'We use cookies to understand how the shop is used and to improve it. You can change your mind at any time from the footer. ',
        h('a', { href: '/pages/faq/#privacy', text: 'Learn more' })),
      h('div', { class: 'consent-actions' },
        h('button', { type: 'button', id: 'nw-consent-decline', class: 'btn btn-secondary btn-small', text: 'Decline' }),
        h('button', { type: 'button', id: 'nw-consent-accept', class: 'btn btn-primary btn-small', text: 'Accept' })));
    document.body.appendChild(banner);
    function choose(v) {
      return function () {
        setConsent(v);
        banner.hidden = true;
      };
    }
    $('#nw-consent-accept').addEventListener('click', choose('granted'));
    $('#nw-consent-decline').addEventListener('click', choose('denied'));
    if (focus) $('#nw-consent-accept').focus();
  }
  function initConsent() {
    var c = storedConsent();
    if (c !== 'granted' && c !== 'denied') showConsentBanner(false);
    $all('[data-consent-open]').forEach(function (a) {
      a.addEventListener('click', function (e) { e.preventDefault(); showConsentBanner(true); });
    });
  }

  /* ----------------------------------------------------------- intent panel */

  function initIntentPanel() {
    // The tag opens the panel itself on ?intent-debug; Alt+Shift+I is this demo's own shortcut.
    function open() { import('/pkg/intent-panel.js').then(function (m) { m.toggle(); }); }
    document.addEventListener('keydown', function (e) {
      if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyI') { e.preventDefault(); open(); }
    });
  }

  /* ------------------------------------------------------------------ pages */

  function initCollection() {
    var LIST = { listId: 'all', listName: 'All products' };
    var cards = $all('.product-card[data-handle]');
    var items = cards.map(function (card, i) {
      return item(card.getAttribute('data-handle'), { index: i, listId: LIST.listId, listName: LIST.listName });
    });
    dl('view_item_list', { item_list_id: LIST.listId, item_list_name: LIST.listName, items: items });

    cards.forEach(function (card) {
      card.addEventListener('click', function (e) {
        var link = e.target.closest('a');
        if (!link) return;
        var pos = $all('.product-card[data-handle]').indexOf(card);
        dl('select_item', {
          item_list_id: LIST.listId, item_list_name: LIST.listName,
          items: [item(card.getAttribute('data-handle'), { index: pos, listId: LIST.listId, listName: LIST.listName })]
        });
      });
    });

    var sort = $('#sort');
    var grid = $('#collection-grid');
    if (sort && grid) {
      var original = cards.slice();
      sort.addEventListener('change', function () {
        var order = original.slice();
        var price = function (c) { return CATALOGUE[c.getAttribute('data-handle')].price; };
        if (sort.value === 'price-asc') order.sort(function (a, b) { return price(a) - price(b); });
        if (sort.value === 'price-desc') order.sort(function (a, b) { return price(b) - price(a); });
        order.forEach(function (c) { grid.appendChild(c); });
      });
    }
  }

  function initProduct(handle) {
    var p = CATALOGUE[handle];
    if (!p) return;
    var size = $('#size');
    var colour = $('#colour');
    var qty = $('#quantity');
    var media = $all('[data-product-art]');
    function current(quantity) {
      return item(handle, { size: size.value, colour: colour.value, quantity: quantity || 1 });
    }
    function paint() {
      var hex = colourHex(p, colour.value);
      media.forEach(function (m) { m.style.color = hex; });
      var dot = $('#colour-dot');
      if (dot) dot.style.background = hex;
    }
    paint();

    dl('view_item', ecom([current(1)]));

    function onVariant() {
      paint();
      dl('select_variant', ecom([current(1)]));
    }
    size.addEventListener('change', onVariant);
    colour.addEventListener('change', onVariant);

    $('#product-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var n = Math.max(1, Math.min(10, parseInt(qty.value, 10) || 1));
      qty.value = String(n);
      cart.add(handle, size.value, colour.value, n);
      dl('add_to_cart', ecom([current(n)]));
      var notice = $('#cart-notice');
      if (notice) {
        $('#cart-notice-text').textContent =
          'Added ' + (n > 1 ? n + ' × ' : '') + p.name + ' (' + variantName(colour.value, size.value) + ') to your cart.';
        notice.hidden = false;
      }
    });

    var wish = $('#add-to-wishlist');
    function wishlist() { var w = readJSON('localStorage', 'nw-wishlist', []); return Array.isArray(w) ? w : []; }
    function paintWish() {
      var on = wishlist().indexOf(handle) !== -1;
      wish.setAttribute('aria-pressed', String(on));
      $('.wish-label', wish).textContent = on ? 'Saved to wishlist' : 'Add to wishlist';
    }
    paintWish();
    wish.addEventListener('click', function () {
      var w = wishlist();
      var at = w.indexOf(handle);
      if (at === -1) {
        w.push(handle);
        dl('add_to_wishlist', ecom([current(1)]));
      } else {
        w.splice(at, 1); // GA4 has no remove_from_wishlist event
      }
      writeJSON('localStorage', 'nw-wishlist', w);
      paintWish();
    });

    var read = $('#read-reviews');
    var list = $('#review-list');
    if (read && list) {
      read.addEventListener('click', function () {
        var open = list.hidden;
        list.hidden = !open;
        read.setAttribute('aria-expanded', String(open));
        read.textContent = open ? 'Hide reviews' : 'Read reviews';
      });
    }
  }

  function lineView(l, i, opts) {
    var p = CATALOGUE[l.handle];
    var href = '/products/' + l.handle + '/';
    var info = h('div', { class: 'line-info' },
      opts.link ? h('a', { class: 'line-name', href: href, text: p.name }) : h('span', { class: 'line-name', text: p.name }),
      h('span', { class: 'line-variant', text: variantName(l.colour, l.size) }),
      opts.editable ? null : h('span', { class: 'line-qty', text: 'Qty ' + l.quantity }));
    var media = h('div', { class: 'line-media' }, art(l.handle, l.colour));
    if (!opts.editable && l.quantity > 1) media.appendChild(h('span', { class: 'line-badge', text: String(l.quantity) }));
    var row = h('li', { class: opts.editable ? 'cart-line' : 'summary-line', 'data-line': String(i), 'data-handle': l.handle },
      media, info);
    if (opts.editable) {
      var label = p.name + ', ' + variantName(l.colour, l.size);
      row.appendChild(h('div', { class: 'qty-stepper', role: 'group', 'aria-label': 'Quantity for ' + label },
        h('button', { type: 'button', class: 'qty-dec', 'aria-label': 'Decrease quantity', text: '−' }),
        h('span', { class: 'qty-value', 'aria-live': 'polite', text: String(l.quantity) }),
        h('button', { type: 'button', class: 'qty-inc', 'aria-label': 'Increase quantity', text: '+' })));
      row.appendChild(h('button', { type: 'button', class: 'cart-remove link-button', 'aria-label': 'Remove ' + label, text: 'Remove' }));
    }
    row.appendChild(h('span', { class: 'line-price', text: money(p.price * l.quantity) }));
    return row;
  }

  function initCart() {
    var list = $('#cart-lines');
    function render() {
      var lines = cart.lines();
      list.textContent = '';
      lines.forEach(function (l, i) { list.appendChild(lineView(l, i, { editable: true, link: true })); });
      var empty = lines.length === 0;
      $('#cart-empty').hidden = !empty;
      $('#cart-filled').hidden = empty;
      var subtotal = cart.subtotal();
      $('#cart-subtotal').textContent = money(subtotal);
      var left = round2(FREE_SHIPPING_OVER - subtotal);
      $('#free-shipping-text').textContent = left > 0
        ? 'You are ' + money(left) + ' away from free standard shipping.'
        : 'Your order ships free.';
      $('#free-shipping-bar').style.width = Math.min(100, subtotal / FREE_SHIPPING_OVER * 100) + '%';
    }
    render();
    dl('view_cart', ecom(cart.items()));

    list.addEventListener('click', function (e) {
      var row = e.target.closest('.cart-line');
      if (!row) return;
      var i = Number(row.getAttribute('data-line'));
      var l = cart.lines()[i];
      if (!l) return;
      var one = { size: l.size, colour: l.colour, quantity: 1 };
      if (e.target.closest('.cart-remove')) {
        cart.setQuantity(i, 0);
        one.quantity = l.quantity;
        dl('remove_from_cart', ecom([item(l.handle, one)]));
      } else if (e.target.closest('.qty-dec')) {
        cart.setQuantity(i, l.quantity - 1);
        dl('remove_from_cart', ecom([item(l.handle, one)]));
      } else if (e.target.closest('.qty-inc')) {
        if (l.quantity >= 99) return;
        cart.setQuantity(i, l.quantity + 1);
        dl('add_to_cart', ecom([item(l.handle, one)]));
      } else {
        return;
      }
      render();
    });
  }

  function checkoutData() { return readJSON('sessionStorage', 'nw-checkout', {}) || {}; }
  function saveCheckout(patch) {
    var d = checkoutData();
    for (var k in patch) d[k] = patch[k];
    writeJSON('sessionStorage', 'nw-checkout', d);
  }
  function shippingCost(tier, subtotal) {
    var t = SHIPPING_TIERS[tier];
    if (!t) return null;
    if (tier === 'Standard' && subtotal >= FREE_SHIPPING_OVER) return 0;
    return t.price;
  }

  /** Order summary sidebar on checkout pages; returns false when the cart is empty. */
  function renderSummary(tier) {
    var lines = cart.lines();
    var box = $('#order-summary');
    var empty = $('#checkout-empty');
    var body = $('#checkout-body');
    if (lines.length === 0) {
      if (empty) empty.hidden = false;
      if (body) body.hidden = true;
      if (box) box.hidden = true;
      return false;
    }
    if (!box) return true;
    var list = $('#summary-lines', box);
    list.textContent = '';
    lines.forEach(function (l, i) { list.appendChild(lineView(l, i, { editable: false })); });
    var subtotal = cart.subtotal();
    var ship = shippingCost(tier, subtotal);
    $('#summary-subtotal').textContent = money(subtotal);
    $('#summary-shipping').textContent = ship == null ? 'Calculated at next step' : (ship === 0 ? 'Free' : money(ship));
    $('#summary-total').textContent = money(subtotal + (ship || 0));
    return true;
  }

  function initCheckoutContact() {
    if (!renderSummary(checkoutData().shipping_tier)) return;
    dl('begin_checkout', ecom(cart.items()));
    var email = $('#email');
    if (checkoutData().email) email.value = checkoutData().email;
    $('#contact-form').addEventListener('submit', function (e) {
      e.preventDefault();
      saveCheckout({ email: email.value.trim(), guest: false });
      location.assign('/checkout/shipping/');
    });
    $('#guest-checkout').addEventListener('click', function () {
      saveCheckout({ email: '', guest: true });
      location.assign('/checkout/shipping/');
    });
  }

  function selectedRadio(name) {
    var r = $('input[name="' + name + '"]:checked');
    return r ? r.value : null;
  }

  function initCheckoutShipping() {
    var saved = checkoutData();
    if (saved.shipping_tier) {
      var r = $('input[name="shipping_tier"][value="' + saved.shipping_tier + '"]');
      if (r) r.checked = true;
    }
    if (!renderSummary(selectedRadio('shipping_tier'))) return;
    var subtotal = cart.subtotal();
    var std = $('#tier-standard-price');
    if (std) std.textContent = shippingCost('Standard', subtotal) === 0 ? 'Free' : money(SHIPPING_TIERS.Standard.price);
    $all('input[name="shipping_tier"]').forEach(function (r) {
      r.addEventListener('change', function () { renderSummary(selectedRadio('shipping_tier')); });
    });
    var form = $('#shipping-form');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var tier = selectedRadio('shipping_tier') || 'Standard';
      saveCheckout({ shipping_tier: tier });
      dl('add_shipping_info', ecom(cart.items(), { shipping_tier: tier }));
      $('#to-payment').disabled = true;
      go('/checkout/payment/');
    });
  }

  function initCheckoutPayment() {
    var tier = checkoutData().shipping_tier || 'Standard';
    if (!renderSummary(tier)) return;
    var method = $('#shipping-method-review');
    if (method) method.textContent = tier + ' · ' + SHIPPING_TIERS[tier].detail;
    var card = $('#card-fields');
    function paintType() {
      var t = selectedRadio('payment_type');
      if (card) card.hidden = t !== 'Credit Card';
      $all('#card-fields input').forEach(function (i) { i.required = t === 'Credit Card'; });
    }
    $all('input[name="payment_type"]').forEach(function (r) { r.addEventListener('change', paintType); });
    paintType();

    $('#payment-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var type = selectedRadio('payment_type') || 'Credit Card';
      var items = cart.items();
      var subtotal = sumValue(items);
      var shipping = shippingCost(tier, subtotal) || 0;
      dl('add_payment_info', ecom(items, { payment_type: type }));
      var transactionId = 'NW-' + Date.now().toString(36).toUpperCase() +
        Math.floor(Math.random() * 1296).toString(36).toUpperCase();
      dl('purchase', ecom(items, { transaction_id: transactionId, shipping: shipping, tax: 0 }));
      writeJSON('sessionStorage', 'nw-last-order', {
        transaction_id: transactionId, lines: cart.lines(), subtotal: subtotal,
        shipping: shipping, shipping_tier: tier, payment_type: type, email: checkoutData().email || ''
      });
      cart.clear();
      removeKey('sessionStorage', 'nw-checkout');
      $('#place-order').disabled = true;
      go('/checkout/thank-you/');
    });
  }

  function initThankYou() {
    var order = readJSON('sessionStorage', 'nw-last-order', null);
    if (!order || !Array.isArray(order.lines)) return;
    $('#order-number').textContent = order.transaction_id;
    $('#order-details').hidden = false;
    var list = $('#summary-lines');
    order.lines.filter(function (l) { return CATALOGUE[l.handle]; })
      .forEach(function (l, i) { list.appendChild(lineView(l, i, { editable: false })); });
    $('#summary-subtotal').textContent = money(order.subtotal);
    $('#summary-shipping').textContent = order.shipping ? money(order.shipping) : 'Free';
    $('#summary-total').textContent = money(order.subtotal + order.shipping);
    $('#order-shipping').textContent = order.shipping_tier + ' shipping';
    $('#order-payment').textContent = order.payment_type;
    if (order.email) $('#order-email').textContent = 'A confirmation is on its way to ' + order.email + '.';
  }

  /* ------------------------------------------------------------------- boot */

  window.Northwind = {
    CATALOGUE: CATALOGUE, CURRENCY: CURRENCY, FREE_SHIPPING_OVER: FREE_SHIPPING_OVER,
    SHIPPING_TIERS: SHIPPING_TIERS, cart: cart, dl: dl, item: item, art: art,
    showConsentBanner: showConsentBanner
  };

  function boot() {
    window.dataLayer = window.dataLayer || [];
    window.dataLayer.push({
      event: 'page_view',
      page_location: location.href,
      page_referrer: document.referrer,
      page_title: document.title
    });

    var page = document.body.getAttribute('data-page');
    renderCartCount();
    initConsent();
    initIntentPanel();

    switch (page) {
      case 'collection': initCollection(); break;
      case 'product': initProduct(document.body.getAttribute('data-handle')); break;
      case 'cart': initCart(); break;
      case 'checkout': initCheckoutContact(); break;
      case 'checkout-shipping': initCheckoutShipping(); break;
      case 'checkout-payment': initCheckoutPayment(); break;
      case 'checkout-thank-you': initThankYou(); break;
    }
    // Another tab changed the cart: keep the header count honest.
    window.addEventListener('storage', function (e) { if (e.key === 'nw-cart') renderCartCount(); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
