// The demo store's static pages, from one set of templates and the catalogue in assets/store.js.
// The output is committed as plain HTML, so serving the store needs no build step; after changing
// a template or the catalogue, run `node www/pages.mjs` (tests/e2e/pages.test.mjs checks that the
// committed pages match). `node www/pages.mjs OUT_DIR` writes them elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const OUT = process.argv[2] ? path.resolve(process.argv[2]) : WWW;

// Single source of truth: the catalogue in store.js.
const sandbox = { window: {}, document: { readyState: 'loading', addEventListener() {} }, location: {}, setTimeout };
sandbox.window = sandbox;
vm.runInNewContext(fs.readFileSync(`${WWW}/assets/store.js`, 'utf8'), sandbox);
const { CATALOGUE } = sandbox.Northwind;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const money = (n) => `$${n.toFixed(2)}`;

const ICON = {
  cart: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M5 8h14l-1.2 12H6.2z"/><path d="M9 8V6.5a3 3 0 0 1 6 0V8"/></svg>',
  truck: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M2 6h12v10H2zM14 10h4l3 3v3h-7z"/><circle cx="6" cy="18" r="2"/><circle cx="17" cy="18" r="2"/></svg>',
  ret: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M9 14L4 9l5-5"/><path d="M4 9h11a5 5 0 0 1 0 10h-3"/></svg>',
  leaf: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M5 19c0-9 6-14 15-14 0 9-5 15-14 15"/><path d="M5 19l8-8"/></svg>',
  lock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/></svg>',
  ruler: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2" y="8" width="20" height="8" rx="1"/><path d="M6 8v3M10 8v4M14 8v3M18 8v4"/></svg>',
  check: '<svg viewBox="0 0 56 56" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="28" cy="28" r="25"/><path d="M17 29l7 7 15-16"/></svg>',
};
const LOGO_MARK = '<svg class="logo-mark" viewBox="0 0 34 34" aria-hidden="true"><circle cx="17" cy="17" r="16" fill="#2f4a3a"/><path d="M17 6 L20 17 L17 28 L14 17 Z" fill="#f4efe6"/><path d="M17 6 L20 17 L14 17 Z" fill="#c9a86a"/><circle cx="17" cy="17" r="1.6" fill="#2f4a3a"/></svg>';

function artSvg(handle, colour, cls = 'art', attrs = '') {
  const p = CATALOGUE[handle];
  const hex = (p.colours.find((c) => c[0] === colour) || p.colours[0])[1];
  return `<svg class="${cls}" viewBox="0 0 200 200" style="color:${hex}" aria-hidden="true" focusable="false"${attrs}><use href="/assets/products.svg#art-${handle}"/></svg>`;
}

const HEAD_SNIPPET = `<script>
  // Google Consent Mode v2 + GTM-style data layer, before anything else on the page.
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('consent','default',{ad_storage:'denied',ad_user_data:'denied',ad_personalization:'denied',analytics_storage:'denied'});
  (function () {
    var c = null;
    try { c = localStorage.getItem('nw-consent'); } catch (e) {}
    if (c === 'granted' || c === 'denied') {
      gtag('consent','update',{ad_storage:c,ad_user_data:c,ad_personalization:c,analytics_storage:c});
    }
  })();
  dataLayer.push({'gtm.start': Date.now(), event: 'gtm.js'});
</script>`;

function head({ title, description }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${HEAD_SNIPPET}
<title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${esc(description)}">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/store.css">
<script src="/assets/store.js" defer></script>
<script src="/assets/chat-widget.js" defer></script>
<script src="/assets/nudges.js" defer></script>
<script type="module" src="/pkg/shopper-intent.js" data-config="/intent-config.json"></script>
</head>`;
}

const NAV = [
  ['/collections/all/', 'Shop all'],
  ['/blogs/news/', 'Journal'],
  ['/pages/size-guide/', 'Size guide'],
  ['/pages/faq/', 'Help'],
];

function header(current) {
  const nav = NAV.map(([href, label]) =>
    `<li><a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a></li>`).join('');
  return `<a class="skip-link" href="#main">Skip to content</a>
<div class="announcement">Free standard shipping on orders over $150 · Free 30-day returns · <a href="/policies/shipping-policy/">Details</a></div>
<header class="site-header">
  <div class="container header-inner">
    <a class="logo" href="/">${LOGO_MARK}<span class="logo-word">Northwind<small>Threads</small></span></a>
    <nav class="main-nav" aria-label="Main"><ul>${nav}</ul></nav>
    <div class="header-actions">
      <a class="cart-link" id="cart-link" href="/cart/" data-cart-link aria-label="Cart">${ICON.cart}<span class="cart-count" data-cart-count hidden>0</span></a>
    </div>
  </div>
</header>`;
}

function footer() {
  const shop = Object.entries(CATALOGUE).map(([h, p]) => `<li><a href="/products/${h}/">${esc(p.name)}</a></li>`).join('');
  return `<footer class="site-footer">
  <div class="container">
    <div class="footer-grid">
      <div>
        <a class="logo" href="/">${LOGO_MARK}<span class="logo-word">Northwind<small>Threads</small></span></a>
        <p style="margin-top:16px;max-width:26em">A small studio making everyday clothes from natural fibres, in small runs, to be worn for years.</p>
      </div>
      <div><h2>Shop</h2><ul><li><a href="/collections/all/">All products</a></li>${shop}</ul></div>
      <div><h2>Help</h2><ul>
        <li><a href="/pages/faq/">FAQ</a></li>
        <li><a href="/policies/shipping-policy/">Shipping policy</a></li>
        <li><a href="/policies/refund-policy/">Returns &amp; refunds</a></li>
        <li><a href="/pages/size-guide/">Size guide</a></li>
      </ul></div>
      <div><h2>Journal</h2><ul>
        <li><a href="/blogs/news/">All stories</a></li>
        <li><a href="/blogs/news/how-to-choose-a-coat/">How to choose a coat</a></li>
      </ul></div>
    </div>
    <div class="footer-bottom">
      <span>© 2025 Northwind Threads · A demo store for shopper-intent</span>
      <button type="button" class="link-button" id="nw-consent-open" data-consent-open>Cookie preferences</button>
      <span class="payment-icons" aria-label="We accept Visa, Mastercard, Amex, PayPal and Pay in 4"><span>VISA</span><span>MC</span><span>AMEX</span><span>PayPal</span><span>Pay in 4</span></span>
    </div>
  </div>
</footer>`;
}

function storePage({ file, title, description, page = 'content', handle, current, main }) {
  const html = `${head({ title, description })}
<body data-page="${page}"${handle ? ` data-handle="${handle}"` : ''}>
${header(current)}
<main id="main">
${main}
</main>
${footer()}
</body>
</html>
`;
  write(file, html);
}

const STEPS = [['/cart/', 'Cart'], ['/checkout/', 'Information'], ['/checkout/shipping/', 'Shipping'], ['/checkout/payment/', 'Payment']];
function steps(active) {
  const idx = STEPS.findIndex((s) => s[1] === active);
  return `<nav aria-label="Checkout steps"><ol class="steps">${STEPS.map(([href, label], i) =>
    i < idx ? `<li><a href="${href}">${label}</a></li>` : `<li${i === idx ? ' aria-current="step"' : ''}>${label}</li>`).join('')}</ol></nav>`;
}

const SUMMARY = `<aside class="checkout-side" aria-labelledby="summary-title">
  <div class="summary-card" id="order-summary">
    <h2 id="summary-title" class="visually-hidden">Order summary</h2>
    <ul class="summary-lines" id="summary-lines"></ul>
    <div class="summary-row" style="margin-top:18px"><span>Subtotal</span><span id="summary-subtotal">—</span></div>
    <div class="summary-row"><span>Shipping</span><span id="summary-shipping">—</span></div>
    <div class="summary-row total"><span>Total <small class="muted" style="font-weight:400">USD, taxes included</small></span><span id="summary-total">—</span></div>
  </div>
</aside>`;

const EMPTY_CHECKOUT = `<div id="checkout-empty" class="empty-state" hidden>
  <h1>Your cart is empty</h1>
  <p>Add something you love before checking out.</p>
  <a class="btn btn-primary" href="/collections/all/">Continue shopping</a>
</div>`;

function checkoutPage({ file, title, page, main, side = SUMMARY }) {
  const html = `${head({ title, description: 'Secure checkout — Northwind Threads' })}
<body data-page="${page}" class="checkout-page">
<a class="skip-link" href="#main">Skip to content</a>
<header class="checkout-header">
  <div class="container header-inner">
    <a class="logo" href="/">${LOGO_MARK}<span class="logo-word">Northwind<small>Threads</small></span></a>
    <span class="secure">${ICON.lock} Secure checkout</span>
  </div>
</header>
<div class="checkout-layout">
<main id="main" class="checkout-main">
${main}
</main>
${side}
</div>
</body>
</html>
`;
  write(file, html);
}

function write(rel, html) {
  const out = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, html);
}

function card(handle, { tag } = {}) {
  const p = CATALOGUE[handle];
  const dots = p.colours.map(([n, hex]) => `<span style="background:${hex}" title="${esc(n)}"></span>`).join('');
  return `<li class="product-card" data-handle="${handle}">
      <a href="/products/${handle}/">
        <div class="card-media">${tag ? `<span class="card-tag">${esc(tag)}</span>` : ''}${artSvg(handle, p.colours[0][0])}</div>
        <div class="card-body">
          <span class="card-title">${esc(p.name)}</span>
          <span class="card-price">${money(p.price)}</span>
          <span class="card-swatches" aria-label="${p.colours.length} colours: ${esc(p.colours.map((c) => c[0]).join(', '))}">${dots}</span>
        </div>
      </a>
    </li>`;
}

/* ------------------------------------------------------------------ content */

const DETAILS = {
  'linen-shirt': {
    tag: 'Summer staple',
    blurb: 'A relaxed camp-collar shirt in washed European linen. Breathable, soft from the first wear, and better with every wash after that.',
    materials: '100% European flax linen, garment-washed for softness. Corozo nut buttons. Machine wash cold, line dry, iron while damp if you like it crisp.',
    fit: 'Relaxed fit, true to size. Model is 183 cm and wears size M.',
    fitNote: null,
    rating: 4.7, count: 38, dist: [30, 5, 2, 1, 0],
    reviews: [
      ['Helen R.', 5, 'Lives in my suitcase', 'Light, cool and doesn’t look sloppy. I bought a second colour after a week.', 'M', 'Sky'],
      ['Tom B.', 5, 'Great weight', 'Not see-through like most linen shirts. The collar keeps its shape.', 'L', 'Natural'],
      ['Priya S.', 4, 'Roomy', 'Lovely fabric. It’s a boxy cut, so I sized down for a neater look.', 'S', 'Olive'],
    ],
  },
  'merino-sweater': {
    tag: 'Bestseller',
    blurb: 'A fine-gauge crew neck in extra-fine 17.5 micron merino. Warm without the bulk, easy to layer under a coat, and naturally odour-resistant.',
    materials: '100% extra-fine merino wool (17.5 micron), mulesing-free, knitted in Portugal. Hand wash cold or use a wool cycle; dry flat.',
    fit: 'Regular fit, true to size. Slightly slimmer through the body; size up for a relaxed layer.',
    fitNote: null,
    rating: 4.8, count: 52, dist: [44, 6, 1, 1, 0],
    reviews: [
      ['Daniel K.', 5, 'Not itchy at all', 'I normally can’t wear wool. This one I wear straight on the skin, all day.', 'M', 'Charcoal'],
      ['Anna L.', 5, 'Worth it', 'Three winters in and no pilling to speak of. Washes well on the wool cycle.', 'S', 'Oatmeal'],
      ['Marcus J.', 4, 'Runs a touch slim', 'Beautiful knit. I’m broad-shouldered and the L fits better than my usual M.', 'L', 'Forest'],
    ],
  },
  'canvas-tote': {
    tag: null,
    blurb: 'A heavyweight 16 oz cotton canvas tote with an inside zip pocket and long handles that sit comfortably on the shoulder, even when it’s full.',
    materials: '16 oz organic cotton canvas, undyed or garment-dyed. Reinforced bar-tacked handles. Spot clean or cold wash, reshape while damp.',
    fit: 'S: 35 × 30 cm · M: 40 × 38 cm · L: 48 × 42 cm with a 12 cm gusset.',
    fitNote: null,
    sizeLabels: { S: 'S — 35 × 30 cm', M: 'M — 40 × 38 cm', L: 'L — 48 × 42 cm' },
    rating: 4.9, count: 21, dist: [19, 2, 0, 0, 0],
    reviews: [
      ['Jo W.', 5, 'Carries everything', 'Laptop, lunch and a jumper fit in the M with room to spare.', 'M', 'Natural'],
      ['Sam P.', 5, 'Stiff in a good way', 'Stands up on its own. The inside pocket is perfect for keys.', 'L', 'Navy'],
      ['Ellie M.', 5, 'Gift hit', 'Bought two as gifts, both recipients use them daily.', 'S', 'Clay'],
    ],
  },
  'wool-overcoat': {
    tag: 'New season',
    blurb: 'A double-breasted overcoat in a dense Italian wool and cashmere blend, fully lined and cut long enough to cover a blazer. The coat you will still be wearing in ten years.',
    materials: '90% virgin wool, 10% cashmere, woven in Biella, Italy. Cupro lining. Horn buttons. Dry clean only; brush after wear.',
    fit: 'Relaxed, long fit (hits just above the knee). Designed to layer over tailoring.',
    fitNote: 'Runs slightly large. If you are between sizes, we recommend sizing down.',
    rating: 4.6, count: 17, dist: [12, 4, 1, 0, 0],
    reviews: [
      ['Oliver G.', 5, 'Heirloom quality', 'Heavy, warm, beautifully finished inside. Sized down to M as advised: perfect.', 'M', 'Camel'],
      ['Claire D.', 4, 'Size down', 'Gorgeous coat but generous. I exchanged the S for an XS for free, which was painless.', 'XS', 'Navy'],
      ['Ben A.', 5, 'Warm enough for January', 'Windproof enough for a Chicago winter with a sweater under it.', 'L', 'Charcoal'],
    ],
  },
  'chore-jacket': {
    tag: null,
    blurb: 'A French workwear classic in sturdy cotton twill: three patch pockets, corozo buttons and a boxy cut that softens and fades with wear.',
    materials: '100% organic cotton twill, 11 oz, garment-dyed. Corozo buttons. Machine wash cold, tumble dry low.',
    fit: 'Boxy fit, true to size. Roomy enough to layer a sweater underneath.',
    fitNote: null,
    rating: 4.7, count: 29, dist: [22, 5, 1, 1, 0],
    reviews: [
      ['Nina F.', 5, 'The perfect layer', 'Over a tee in spring, over the merino in autumn. Fades beautifully.', 'S', 'Indigo'],
      ['Raj P.', 4, 'Stiff at first', 'Took a few washes to soften up; now it’s my favourite jacket.', 'M', 'Ecru'],
      ['Lucy H.', 5, 'Pockets!', 'Three real pockets that fit a phone and a notebook.', 'M', 'Rust'],
    ],
  },
};

const stars = (n) => '★★★★★'.slice(0, Math.round(n)) + '☆☆☆☆☆'.slice(0, 5 - Math.round(n));

function productPage(handle) {
  const p = CATALOGUE[handle];
  const d = DETAILS[handle];
  const first = p.colours[0];
  const colourOptions = p.colours.map(([n]) => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
  const sizeOptions = p.sizes.map((s) =>
    `<option value="${s}"${s === p.defaultSize ? ' selected' : ''}>${esc(d.sizeLabels ? d.sizeLabels[s] : s)}</option>`).join('');
  const related = Object.keys(CATALOGUE).filter((h) => h !== handle).slice(0, 3).map((h) => card(h)).join('\n    ');
  const total = d.dist.reduce((a, b) => a + b, 0);
  const bars = d.dist.map((n, i) => `<li><span>${5 - i} star</span><span class="bar"><span style="width:${Math.round((n / total) * 100)}%"></span></span><span>${n}</span></li>`).join('');
  const reviews = d.reviews.map(([name, r, title, text, size, colour]) => `<li class="review">
          <span class="stars" aria-label="${r} out of 5 stars">${stars(r)}</span>
          <h3>${esc(title)}</h3>
          <p>${esc(text)}</p>
          <p class="meta">${esc(name)} · Verified buyer · Bought ${esc(colour)} / ${esc(size)}</p>
        </li>`).join('\n        ');

  storePage({
    file: `products/${handle}/index.html`,
    title: `${p.name} – Northwind Threads`,
    description: d.blurb,
    page: 'product',
    handle,
    main: `<div class="container">
  <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> / <a href="/collections/all/">All products</a> / <span aria-current="page">${esc(p.name)}</span></nav>
  <div class="product">
    <div class="product-gallery">
      <div class="product-media" id="product-media">${artSvg(handle, first[0], 'art', ' data-product-art')}</div>
      <div class="thumbs" aria-hidden="true">
        <div class="thumb">${artSvg(handle, first[0], 'art', ' data-product-art')}</div>
        <div class="thumb detail">${artSvg(handle, first[0], 'art', ' data-product-art')}</div>
        <div class="thumb back">${artSvg(handle, first[0], 'art', ' data-product-art')}</div>
        <div class="thumb">${artSvg(handle, first[0], 'art', ' data-product-art style="opacity:.55"')}</div>
      </div>
    </div>
    <div class="product-info">
      <p class="eyebrow">${esc(p.category)}</p>
      <h1>${esc(p.name)}</h1>
      <p class="price"><span id="price">${money(p.price)}</span> <small>USD</small></p>
      <p class="tax-note">Taxes included. <a href="/policies/shipping-policy/">Shipping</a> calculated at checkout.</p>
      <a class="rating" href="#reviews"><span class="stars" aria-hidden="true">${stars(d.rating)}</span> ${d.rating} · ${d.count} reviews</a>
      <form id="product-form" novalidate>
        <div class="field">
          <label for="colour">Colour <span class="colour-dot" id="colour-dot" style="background:${first[1]}" aria-hidden="true"></span></label>
          <select id="colour" name="colour">${colourOptions}</select>
        </div>
        <div class="field">
          <div class="label-row"><label for="size">Size</label><a href="/pages/size-guide/" id="size-guide-link" data-intent="size_guide">Size guide</a></div>
          <select id="size" name="size">${sizeOptions}</select>
        </div>
        ${d.fitNote ? `<p class="fit-note" id="fit-note"><strong>Fit:</strong> ${esc(d.fitNote)}</p>` : ''}
        <div class="field qty-field">
          <label for="quantity">Quantity</label>
          <input id="quantity" name="quantity" type="number" inputmode="numeric" min="1" max="10" value="1">
        </div>
        <div class="buy-buttons">
          <button type="submit" id="add-to-cart" class="btn btn-primary btn-block">Add to cart · ${money(p.price)}</button>
          <button type="button" id="add-to-wishlist" class="btn btn-secondary btn-block" aria-pressed="false"><span class="heart" aria-hidden="true">♥</span> <span class="wish-label">Add to wishlist</span></button>
        </div>
      </form>
      <div class="cart-notice" id="cart-notice" role="status" hidden>
        <p id="cart-notice-text"></p>
        <div class="actions"><a class="btn btn-secondary btn-small" href="/cart/" id="view-cart">View cart</a><a class="btn btn-primary btn-small" href="/checkout/" id="notice-checkout">Check out</a></div>
      </div>
      <ul class="assurances">
        <li>${ICON.truck}<span>Free standard shipping over $150. <a href="/policies/shipping-policy/">Shipping policy</a></span></li>
        <li>${ICON.ret}<span>Free returns and exchanges within 30 days. <a href="/policies/refund-policy/">Returns</a></span></li>
        <li>${ICON.leaf}<span>Natural fibres, made in small runs.</span></li>
      </ul>
      <p>${esc(d.blurb)}</p>
      <details class="disclosure"><summary>Materials &amp; care</summary><div><p>${esc(d.materials)}</p></div></details>
      <details class="disclosure"><summary>Fit</summary><div><p>${esc(d.fit)}</p><p><a href="/pages/size-guide/">See the size guide</a></p></div></details>
      <details class="disclosure"><summary>Shipping &amp; returns</summary><div><p>Ships in 1–2 business days. Standard delivery 3–5 business days ($5, free over $150); Express 1–2 business days ($15). Free returns within 30 days. <a href="/policies/refund-policy/">Read our returns policy</a>.</p></div></details>
    </div>
  </div>

  <section class="reviews" id="reviews" aria-labelledby="reviews-title">
    <div>
      <h2 id="reviews-title">Customer reviews</h2>
      <div class="review-score">${d.rating}</div>
      <p><span class="stars" aria-hidden="true">${stars(d.rating)}</span> <span class="muted">Based on ${d.count} reviews</span></p>
      <ul class="bars" aria-label="Rating distribution">${bars}</ul>
      <button type="button" id="read-reviews" class="btn btn-secondary" data-intent="review_engagement" aria-expanded="false" aria-controls="review-list">Read reviews</button>
    </div>
    <div>
      <p class="reviews-teaser">“${esc(d.reviews[0][3])}” — ${esc(d.reviews[0][0])}</p>
      <ol class="review-list" id="review-list" hidden>
        ${reviews}
      </ol>
    </div>
  </section>

  <section class="section" aria-labelledby="related-title">
    <div class="section-head"><h2 id="related-title">You may also like</h2><a href="/collections/all/">Shop all</a></div>
    <ul class="grid cols-3">
    ${related}
    </ul>
  </section>
</div>`,
  });
}

/* -------------------------------------------------------------------- pages */

function home() {
  const featured = ['wool-overcoat', 'merino-sweater', 'linen-shirt', 'canvas-tote'].map((h) => card(h, { tag: DETAILS[h].tag })).join('\n    ');
  storePage({
    file: 'index.html',
    title: 'Northwind Threads – Everyday clothes from natural fibres',
    description: 'Linen, merino and wool clothes made in small runs. Free shipping over $150, free 30-day returns.',
    page: 'home',
    current: null,
    main: `<section class="hero">
  <div class="container hero-inner">
    <div>
      <p class="eyebrow">Autumn / Winter collection</p>
      <h1>Clothes made to be worn for years.</h1>
      <p class="lede">Linen for the warm months, merino and wool for the cold ones. Natural fibres, honest prices, and a fit you can return for free if it isn’t right.</p>
      <div class="hero-actions">
        <a class="btn btn-primary" href="/collections/all/" id="shop-collection">Shop the collection</a>
        <a class="btn btn-secondary" href="/blogs/news/how-to-choose-a-coat/">How to choose a coat</a>
      </div>
    </div>
    <div class="hero-art" aria-hidden="true">
      <div class="disc"></div>
      ${artSvg('wool-overcoat', 'Camel', 'art a1')}
      ${artSvg('merino-sweater', 'Forest', 'art a2')}
      ${artSvg('canvas-tote', 'Natural', 'art a3')}
    </div>
  </div>
</section>

<div class="container">
  <section class="section" aria-labelledby="featured-title">
    <div class="section-head"><h2 id="featured-title">Featured</h2><a href="/collections/all/">View all products →</a></div>
    <ul class="grid" id="featured-grid">
    ${featured}
    </ul>
  </section>

  <section class="values" aria-label="Why shop with us">
    <div class="value">${ICON.truck}<div><h3>Free shipping over $150</h3><p>Standard delivery in 3–5 business days. <a href="/policies/shipping-policy/">Shipping policy</a></p></div></div>
    <div class="value">${ICON.ret}<div><h3>Free 30-day returns</h3><p>Changed your mind? Send it back, on us. <a href="/policies/refund-policy/">Returns</a></p></div></div>
    <div class="value">${ICON.ruler}<div><h3>Find your fit</h3><p>Measurements for every piece. <a href="/pages/size-guide/">Size guide</a></p></div></div>
  </section>

  <section class="section split">
    <article class="feature-card">
      <p class="eyebrow">From the journal</p>
      <h3>How to choose a coat that lasts</h3>
      <p>Fabric weight, fit over layers, and the three details that separate a ten-year coat from a one-season one.</p>
      <a class="btn btn-secondary" href="/blogs/news/how-to-choose-a-coat/">Read the guide</a>
    </article>
    <article class="feature-card dark">
      <p class="eyebrow" style="color:#c9d2c8">Questions?</p>
      <h3>We’re here to help</h3>
      <p>Sizing, delivery times, returns and payment options — answered in our FAQ, or ask us in the chat.</p>
      <a class="btn btn-light" href="/pages/faq/">Visit the FAQ</a>
    </article>
  </section>
</div>`,
  });
}

function collection() {
  const all = Object.keys(CATALOGUE).map((h) => card(h, { tag: DETAILS[h].tag })).join('\n    ');
  storePage({
    file: 'collections/all/index.html',
    title: 'All products – Northwind Threads',
    description: 'Shop every Northwind Threads piece: shirts, knitwear, outerwear and accessories.',
    page: 'collection',
    current: '/collections/all/',
    main: `<div class="container">
  <header class="page-head">
    <h1>All products</h1>
    <p>Everyday pieces in linen, merino, wool and cotton canvas. Every order over $150 ships free.</p>
  </header>
  <div class="toolbar">
    <span>${Object.keys(CATALOGUE).length} products</span>
    <label for="sort">Sort by
      <select id="sort" name="sort">
        <option value="featured">Featured</option>
        <option value="price-asc">Price, low to high</option>
        <option value="price-desc">Price, high to low</option>
      </select>
    </label>
  </div>
  <ul class="grid" id="collection-grid">
    ${all}
  </ul>
  <div style="height:72px"></div>
</div>`,
  });
}

function contentPage({ file, title, description, current, heading, eyebrow, lede, body, aside }) {
  storePage({
    file, title: `${title} – Northwind Threads`, description, page: 'content', current,
    main: `<div class="container">
  <header class="page-head">
    ${eyebrow ? `<p class="eyebrow">${eyebrow}</p>` : ''}
    <h1>${heading}</h1>
    ${lede ? `<p>${lede}</p>` : ''}
  </header>
  <div class="content-layout">
    <div class="prose">
${body}
    </div>
    ${aside || HELP_ASIDE}
  </div>
</div>`,
  });
}

const HELP_ASIDE = `<aside class="aside-card" aria-labelledby="help-title">
      <h2 id="help-title">Need a hand?</h2>
      <ul>
        <li><a href="/pages/faq/">Frequently asked questions</a></li>
        <li><a href="/policies/shipping-policy/">Shipping policy</a></li>
        <li><a href="/policies/refund-policy/">Returns &amp; refunds</a></li>
        <li><a href="/pages/size-guide/">Size guide</a></li>
      </ul>
      <p class="small muted" style="margin:14px 0 0">Or chat with us: we reply in minutes, 9am–6pm ET.</p>
    </aside>`;

function sizeGuide() {
  contentPage({
    file: 'pages/size-guide/index.html',
    title: 'Size guide', current: '/pages/size-guide/', eyebrow: 'Help',
    heading: 'Size guide',
    lede: 'Body measurements in centimetres (inches in brackets). If you are between sizes, choose the larger for a relaxed fit, or see the notes per piece.',
    description: 'Northwind Threads size guide: chest, waist and length for shirts, knitwear and outerwear.',
    body: `      <h2>Tops &amp; knitwear</h2>
      <p>Linen Shirt, Merino Crew Sweater and Cotton Chore Jacket.</p>
      <table class="data">
        <thead><tr><th scope="col">Size</th><th scope="col">Chest</th><th scope="col">Waist</th><th scope="col">Sleeve</th></tr></thead>
        <tbody>
          <tr><th scope="row">XS</th><td>84–89 (33–35)</td><td>71–76 (28–30)</td><td>80 (31½)</td></tr>
          <tr><th scope="row">S</th><td>89–94 (35–37)</td><td>76–81 (30–32)</td><td>82 (32¼)</td></tr>
          <tr><th scope="row">M</th><td>94–102 (37–40)</td><td>81–89 (32–35)</td><td>84 (33)</td></tr>
          <tr><th scope="row">L</th><td>102–109 (40–43)</td><td>89–97 (35–38)</td><td>86 (33¾)</td></tr>
          <tr><th scope="row">XL</th><td>109–117 (43–46)</td><td>97–104 (38–41)</td><td>88 (34¾)</td></tr>
        </tbody>
      </table>
      <h2>Outerwear</h2>
      <p>The <a href="/products/wool-overcoat/">Wool Overcoat</a> is cut to layer over tailoring and <strong>runs slightly large</strong>: if you are between sizes, size down. Garment measurements:</p>
      <table class="data">
        <thead><tr><th scope="col">Size</th><th scope="col">Chest (garment)</th><th scope="col">Length</th><th scope="col">Fits chest</th></tr></thead>
        <tbody>
          <tr><th scope="row">XS</th><td>104 (41)</td><td>98 (38½)</td><td>84–89</td></tr>
          <tr><th scope="row">S</th><td>110 (43¼)</td><td>100 (39½)</td><td>89–94</td></tr>
          <tr><th scope="row">M</th><td>118 (46½)</td><td>102 (40¼)</td><td>94–102</td></tr>
          <tr><th scope="row">L</th><td>126 (49½)</td><td>104 (41)</td><td>102–109</td></tr>
          <tr><th scope="row">XL</th><td>134 (52¾)</td><td>106 (41¾)</td><td>109–117</td></tr>
        </tbody>
      </table>
      <h2>How to measure</h2>
      <ul>
        <li><strong>Chest:</strong> around the fullest part of your chest, under the arms, tape level.</li>
        <li><strong>Waist:</strong> around your natural waistline, where you normally wear your trousers.</li>
        <li><strong>Sleeve:</strong> from the centre back of your neck, over the shoulder, to the wrist.</li>
      </ul>
      <p>Still unsure? Exchanges are free within 30 days, so you can try two sizes with no risk. <a href="/policies/refund-policy/">How exchanges work</a>.</p>`,
  });
}

function shippingPolicy() {
  contentPage({
    file: 'policies/shipping-policy/index.html',
    title: 'Shipping policy', eyebrow: 'Policies', heading: 'Shipping policy',
    lede: 'Orders leave our studio within 1–2 business days.',
    description: 'Northwind Threads shipping rates and delivery times.',
    body: `      <table class="data">
        <thead><tr><th scope="col">Method</th><th scope="col">Delivery time</th><th scope="col">Cost</th></tr></thead>
        <tbody>
          <tr><th scope="row">Standard</th><td>3–5 business days</td><td>$5.00 · <strong>free over $150</strong></td></tr>
          <tr><th scope="row">Express</th><td>1–2 business days</td><td>$15.00</td></tr>
          <tr><th scope="row">International</th><td>5–10 business days</td><td>From $20.00, calculated at checkout</td></tr>
        </tbody>
      </table>
      <h2>Tracking</h2>
      <p>You will get a tracking link by email as soon as your parcel is on its way.</p>
      <h2>Duties and taxes</h2>
      <p>Prices include sales tax for US orders. International orders may be subject to import duties charged by the destination country.</p>
      <h2>Packaging</h2>
      <p>Everything ships in recycled, plastic-free packaging that you can reuse for a return.</p>`,
  });
}

function refundPolicy() {
  contentPage({
    file: 'policies/refund-policy/index.html',
    title: 'Refund policy', eyebrow: 'Policies', heading: 'Returns &amp; refunds',
    lede: 'Free returns and exchanges within 30 days of delivery.',
    description: 'Northwind Threads returns and refund policy: free 30-day returns and exchanges.',
    body: `      <h2>How to return</h2>
      <ol>
        <li>Email us your order number or use the link in your shipping confirmation.</li>
        <li>We send you a prepaid return label: returns are free within the US.</li>
        <li>Pack the items unworn, with tags attached, and drop the parcel off.</li>
      </ol>
      <h2>Refunds</h2>
      <p>We refund to the original payment method within 5 business days of receiving your return. Pay in 4 plans are cancelled or adjusted automatically.</p>
      <h2>Exchanges</h2>
      <p>Need a different size or colour? Exchanges are free, and we ship the replacement as soon as the return is scanned by the carrier.</p>
      <h2>Exceptions</h2>
      <p>Items marked as final sale and items that have been worn, washed or altered cannot be returned.</p>`,
  });
}

function faq() {
  const qa = [
    ['Orders &amp; shipping', [
      ['How long does delivery take?', 'Standard delivery takes 3–5 business days and is free over $150 (otherwise $5). Express takes 1–2 business days for $15. See the <a href="/policies/shipping-policy/">shipping policy</a>.'],
      ['Do you ship internationally?', 'Yes, to most countries, in 5–10 business days. Rates are calculated at checkout.'],
      ['Can I change my order?', 'Email us within 2 hours of placing it and we’ll do our best before it ships.'],
    ]],
    ['Returns &amp; sizing', [
      ['What is your returns policy?', 'Free returns and exchanges within 30 days of delivery, as long as items are unworn with tags attached. See <a href="/policies/refund-policy/">returns &amp; refunds</a>.'],
      ['How do I find my size?', 'Our <a href="/pages/size-guide/">size guide</a> has body and garment measurements. Most pieces fit true to size; the Wool Overcoat runs slightly large.'],
    ]],
    ['Payment &amp; checkout', [
      ['Which payment methods do you accept?', 'Visa, Mastercard, American Express, PayPal, and Pay in 4: four interest-free instalments.'],
      ['Do I need an account to order?', 'No. You can check out as a guest; we only need an email address for your receipt.'],
      ['Is checkout secure?', 'Yes. Payments are processed over an encrypted connection and we never store your card number.'],
    ]],
    ['Privacy', [
      ['How do you use cookies?', 'We only store analytics cookies if you accept them in the cookie banner. You can change your choice at any time with “Cookie preferences” in the footer.'],
    ]],
  ];
  const body = qa.map(([title, items], i) => `      <h2${i === qa.length - 1 ? ' id="privacy"' : ''}>${title}</h2>
${items.map(([q, a]) => `      <details class="disclosure"><summary>${q}</summary><div><p>${a}</p></div></details>`).join('\n')}`).join('\n');
  contentPage({
    file: 'pages/faq/index.html',
    title: 'FAQ', current: '/pages/faq/', eyebrow: 'Help', heading: 'Frequently asked questions',
    lede: 'Quick answers about delivery, returns, sizing and payment.',
    description: 'Answers to common questions about Northwind Threads orders, shipping, returns and sizing.',
    body: `      <div class="faq">\n${body}\n      </div>`,
  });
}

function blogIndex() {
  storePage({
    file: 'blogs/news/index.html',
    title: 'Journal – Northwind Threads',
    description: 'Stories, guides and care tips from the Northwind Threads studio.',
    page: 'content',
    current: '/blogs/news/',
    main: `<div class="container">
  <header class="page-head"><p class="eyebrow">Journal</p><h1>Stories from the studio</h1><p>Guides to buying less and better, and looking after what you own.</p></header>
  <a class="post-card" href="/blogs/news/how-to-choose-a-coat/">
    <div class="card-media">${artSvg('wool-overcoat', 'Camel', 'art')}</div>
    <div>
      <p class="article-meta">Guides · 6 min read</p>
      <h2>How to choose a coat that lasts</h2>
      <p>Fabric weight, fit over layers, and the three details that separate a ten-year coat from a one-season one.</p>
      <span class="btn btn-secondary btn-small">Read the guide</span>
    </div>
  </a>
  <div style="height:72px"></div>
</div>`,
  });
}

function blogPost() {
  storePage({
    file: 'blogs/news/how-to-choose-a-coat/index.html',
    title: 'How to choose a coat that lasts – Northwind Threads',
    description: 'Fabric, fit and construction: how to choose a winter coat you will wear for a decade.',
    page: 'content',
    current: '/blogs/news/',
    main: `<div class="container">
  <article class="prose" style="max-width:760px;margin:0 auto;padding:40px 0 72px">
    <p class="eyebrow"><a href="/blogs/news/">Journal</a> · Guides</p>
    <h1>How to choose a coat that lasts</h1>
    <p class="article-meta">By Ingrid Holm · October 2, 2025 · 6 min read</p>
    <div class="article-hero" aria-hidden="true">
      ${artSvg('wool-overcoat', 'Navy')}
      ${artSvg('wool-overcoat', 'Camel')}
      ${artSvg('wool-overcoat', 'Charcoal')}
    </div>
    <p>A good coat is the most-worn thing in a winter wardrobe, and the one where cutting corners shows fastest. Here is what we look at when we design ours, and what we would look at if we were buying one.</p>
    <h2>1. Start with the fabric</h2>
    <p>Look for a dense, tightly woven wool: it blocks wind and keeps its shape. A little cashmere (5–10%) adds softness without making the cloth fragile. Be wary of coats that are mostly polyester with “wool” in the name: they pill quickly and aren’t as warm.</p>
    <blockquote>Hold the fabric up to a light. If you can see through it, the wind will too.</blockquote>
    <h2>2. Fit it over what you actually wear</h2>
    <p>Try a coat on over your thickest sweater or your blazer. The shoulders should sit at your shoulder bone, and you should be able to cross your arms without the back pulling tight. Sleeves should cover your shirt cuff.</p>
    <p>Many overcoats, including <a href="/products/wool-overcoat/">ours</a>, are cut generously to layer: if you are between sizes, size down. Our <a href="/pages/size-guide/">size guide</a> lists garment measurements so you can compare with a coat you already own.</p>
    <h2>3. Check three details</h2>
    <ul>
      <li><strong>A full lining</strong> (cupro or viscose, not polyester) helps the coat slide over knitwear and breathe.</li>
      <li><strong>Buttons sewn with a shank</strong>, so they sit on top of the thick cloth instead of puckering it.</li>
      <li><strong>Generous seam allowances</strong> inside: a tailor can let the coat out later.</li>
    </ul>
    <h2>4. Colour: start neutral</h2>
    <p>Camel, navy and charcoal go with everything and hide wear. Pick the one closest to the shoes you wear most.</p>
    <h2>5. Think cost per wear</h2>
    <p>A $280 coat worn 60 days a year for ten years costs less than 50 cents a wear. If it doesn’t fit, our <a href="/policies/refund-policy/">free 30-day returns</a> mean you can exchange it at no cost.</p>
    <p><a class="btn btn-primary" href="/products/wool-overcoat/">Shop the Wool Overcoat</a></p>
  </article>
</div>`,
  });
}

function cartPage() {
  storePage({
    file: 'cart/index.html',
    title: 'Your cart – Northwind Threads',
    description: 'Your shopping cart at Northwind Threads.',
    page: 'cart',
    main: `<div class="container">
  <header class="page-head"><h1>Your cart</h1></header>
  <div id="cart-empty" class="empty-state" hidden>
    <p>Your cart is empty.</p>
    <a class="btn btn-primary" href="/collections/all/">Continue shopping</a>
  </div>
  <div id="cart-filled" class="cart-layout">
    <section aria-label="Items in your cart">
      <ul class="cart-lines" id="cart-lines"></ul>
      <p style="margin-top:18px"><a href="/collections/all/">← Continue shopping</a></p>
    </section>
    <aside class="summary-card" aria-labelledby="cart-summary-title">
      <h2 id="cart-summary-title" style="font-size:1.3rem">Order summary</h2>
      <div class="summary-row"><span>Subtotal</span><strong id="cart-subtotal">$0.00</strong></div>
      <p class="small muted" id="free-shipping-text" style="margin:10px 0 0"></p>
      <div class="progress" aria-hidden="true"><span id="free-shipping-bar" style="width:0"></span></div>
      <p class="small muted">Taxes included. Shipping calculated at checkout.</p>
      <a class="btn btn-primary btn-block" href="/checkout/" id="checkout">Checkout</a>
      <ul class="assurances" style="margin-bottom:0;border-bottom:0;padding-bottom:0">
        <li>${ICON.ret}<span>Free 30-day returns. <a href="/policies/refund-policy/">Details</a></span></li>
        <li>${ICON.lock}<span>Secure checkout · Cards, PayPal, Pay in 4</span></li>
      </ul>
    </aside>
  </div>
</div>`,
  });
}

function checkoutContact() {
  checkoutPage({
    file: 'checkout/index.html',
    title: 'Checkout – Information – Northwind Threads',
    page: 'checkout',
    main: `${EMPTY_CHECKOUT}
<div id="checkout-body">
  ${steps('Information')}
  <h1>Contact</h1>
  <p class="small muted" style="margin-top:-6px">Express checkout</p>
  <div class="express" aria-hidden="true"><span class="shop">shop</span><span class="paypal">PayPal</span><span class="gpay">G Pay</span></div>
  <div class="divider">or</div>
  <form id="contact-form">
    <div class="field">
      <div class="label-row"><label for="email">Email</label><a href="#account" id="login-link">Have an account? Log in</a></div>
      <input type="email" id="email" name="email" autocomplete="email" placeholder="you@example.com" required>
    </div>
    <label class="check"><input type="checkbox" name="marketing" id="marketing"> Email me with news and offers</label>
    <div class="form-actions">
      <a href="/cart/">← Return to cart</a>
      <button type="submit" class="btn btn-primary" id="to-shipping">Continue to shipping</button>
    </div>
  </form>
  <div class="divider">or</div>
  <div class="account-note" id="account">
    <p style="margin:0 0 10px">No account needed: you can check out as a guest and add your email for the receipt later.</p>
    <button type="button" class="btn btn-secondary btn-small" id="guest-checkout">Continue as guest</button>
  </div>
</div>`,
  });
}

function checkoutShipping() {
  checkoutPage({
    file: 'checkout/shipping/index.html',
    title: 'Checkout – Shipping – Northwind Threads',
    page: 'checkout-shipping',
    main: `${EMPTY_CHECKOUT}
<div id="checkout-body">
  ${steps('Shipping')}
  <form id="shipping-form">
    <h1>Shipping address</h1>
    <div class="field-row">
      <div class="field"><label for="first-name">First name</label><input type="text" id="first-name" name="first-name" autocomplete="given-name" value="Alex" required></div>
      <div class="field"><label for="last-name">Last name</label><input type="text" id="last-name" name="last-name" autocomplete="family-name" value="Morgan" required></div>
    </div>
    <div class="field"><label for="address1">Address</label><input type="text" id="address1" name="address1" autocomplete="address-line1" value="12 Harbour Street" required></div>
    <div class="field-row">
      <div class="field"><label for="city">City</label><input type="text" id="city" name="city" autocomplete="address-level2" value="Portland" required></div>
      <div class="field"><label for="zip">ZIP code</label><input type="text" id="zip" name="zip" autocomplete="postal-code" value="04101" required></div>
    </div>
    <p class="help" style="margin:-6px 0 8px">Demo store: the address is pre-filled and never leaves your browser.</p>
    <h2>Shipping method</h2>
    <fieldset class="choices">
      <legend>Shipping method</legend>
      <label class="choice"><input type="radio" name="shipping_tier" value="Standard" id="tier-standard" checked><span class="grow"><span>Standard</span><span class="sub">3–5 business days · free over $150</span></span><strong id="tier-standard-price">$5.00</strong></label>
      <label class="choice"><input type="radio" name="shipping_tier" value="Express" id="tier-express"><span class="grow"><span>Express</span><span class="sub">1–2 business days</span></span><strong>$15.00</strong></label>
    </fieldset>
    <div class="form-actions">
      <a href="/checkout/">← Return to information</a>
      <button type="submit" class="btn btn-primary" id="to-payment">Continue to payment</button>
    </div>
  </form>
</div>`,
  });
}

function checkoutPayment() {
  checkoutPage({
    file: 'checkout/payment/index.html',
    title: 'Checkout – Payment – Northwind Threads',
    page: 'checkout-payment',
    main: `${EMPTY_CHECKOUT}
<div id="checkout-body">
  ${steps('Payment')}
  <dl class="review-box">
    <div><dt>Ship to</dt><dd>12 Harbour Street, Portland 04101</dd></div>
    <div><dt>Method</dt><dd id="shipping-method-review">Standard</dd></div>
  </dl>
  <form id="payment-form">
    <h1>Payment</h1>
    <p class="small muted" style="margin-top:-6px">All transactions are secure and encrypted.</p>
    <fieldset class="choices">
      <legend>Payment method</legend>
      <label class="choice"><input type="radio" name="payment_type" value="Credit Card" id="pay-card" checked><span class="grow"><span>Credit card</span><span class="sub">Visa, Mastercard, Amex</span></span></label>
      <div class="card-fields" id="card-fields">
        <div class="field"><label for="card-number">Card number</label><input type="text" id="card-number" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242"></div>
        <div class="field-row">
          <div class="field"><label for="card-exp">Expiry (MM / YY)</label><input type="text" id="card-exp" autocomplete="cc-exp" value="12 / 29"></div>
          <div class="field"><label for="card-cvc">Security code</label><input type="text" id="card-cvc" inputmode="numeric" autocomplete="cc-csc" value="123"></div>
        </div>
        <p class="help">Demo store: no payment is taken.</p>
      </div>
      <label class="choice"><input type="radio" name="payment_type" value="PayPal" id="pay-paypal"><span class="grow"><span>PayPal</span><span class="sub">You will confirm in PayPal</span></span></label>
      <label class="choice"><input type="radio" name="payment_type" value="Pay Later" id="pay-later"><span class="grow"><span>Pay in 4</span><span class="sub">Four interest-free instalments</span></span></label>
    </fieldset>
    <div class="form-actions">
      <a href="/checkout/shipping/">← Return to shipping</a>
      <button type="submit" class="btn btn-primary" id="place-order">Pay now</button>
    </div>
  </form>
</div>`,
  });
}

function thankYou() {
  checkoutPage({
    file: 'checkout/thank-you/index.html',
    title: 'Thank you for your order – Northwind Threads',
    page: 'checkout-thank-you',
    main: `<div class="thanks">
  ${ICON.check.replace('<svg ', '<svg class="check-circle" ')}
  <p class="eyebrow">Order <span id="order-number">confirmed</span></p>
  <h1>Thank you for your order!</h1>
  <p id="order-email">We’ve received your order and will email you when it ships.</p>
  <dl class="review-box" id="order-details-box">
    <div><dt>Delivery</dt><dd id="order-shipping">—</dd></div>
    <div><dt>Payment</dt><dd id="order-payment">—</dd></div>
  </dl>
  <div class="form-actions"><span></span><a class="btn btn-primary" href="/collections/all/" id="continue-shopping" style="color:#fff">Continue shopping</a></div>
</div>`,
    side: `<aside class="checkout-side" aria-labelledby="summary-title">
  <div class="summary-card" id="order-details" hidden>
    <h2 id="summary-title" class="visually-hidden">Order summary</h2>
    <ul class="summary-lines" id="summary-lines"></ul>
    <div class="summary-row" style="margin-top:18px"><span>Subtotal</span><span id="summary-subtotal">—</span></div>
    <div class="summary-row"><span>Shipping</span><span id="summary-shipping">—</span></div>
    <div class="summary-row total"><span>Total <small class="muted" style="font-weight:400">USD</small></span><span id="summary-total">—</span></div>
  </div>
</aside>`,
  });
}

function notFound() {
  storePage({
    file: '404.html',
    title: 'Page not found – Northwind Threads',
    description: 'Page not found.',
    page: 'content',
    main: `<div class="container empty-state">
  <h1>Page not found</h1>
  <p>The page you were looking for doesn’t exist or has moved.</p>
  <a class="btn btn-primary" href="/collections/all/">Shop all products</a>
</div>`,
  });
}

home();
collection();
for (const h of Object.keys(CATALOGUE)) productPage(h);
sizeGuide();
shippingPolicy();
refundPolicy();
faq();
blogIndex();
blogPost();
cartPage();
checkoutContact();
checkoutShipping();
checkoutPayment();
thankYou();
notFound();
