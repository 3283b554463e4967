// A GA4/GTM-instrumented test shop, as a store's theme would do it. It never calls the scorer:
// the scorer learns from the data layer alone. Consent: a CMP that replays the visitor's choice
// (stored under `cmp`) as a Consent Mode update on every page.
window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied' });
var choice = localStorage.getItem('cmp');
if (choice) gtag('consent', 'update', { ad_storage: choice, analytics_storage: choice });
dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' });

var COAT = { item_id: 'SKU-COAT', item_name: 'Wool coat', item_category: 'Coats', price: 149, quantity: 1 };

function ecommerce(event, extra) {
  dataLayer.push({ ecommerce: null });
  var e = { currency: 'USD', value: 149, items: [COAT] };
  for (var k in extra || {}) e[k] = extra[k];
  dataLayer.push({ event: event, ecommerce: e });
}

document.addEventListener('DOMContentLoaded', function () {
  var page = document.body.getAttribute('data-page');
  dataLayer.push({ event: 'page_view', page_location: location.href, page_title: document.title });
  if (page === 'product') {
    ecommerce('view_item');
    document.getElementById('add').addEventListener('click', function () { ecommerce('add_to_cart'); });
  }
  if (page === 'checkout') ecommerce('begin_checkout');
  var accept = document.getElementById('accept');
  if (accept) accept.addEventListener('click', function () {
    localStorage.setItem('cmp', 'granted');
    gtag('consent', 'update', { ad_storage: 'granted', analytics_storage: 'granted' });
  });
  var decline = document.getElementById('decline');
  if (decline) decline.addEventListener('click', function () {
    localStorage.setItem('cmp', 'denied');
    gtag('consent', 'update', { ad_storage: 'denied', analytics_storage: 'denied' });
  });
});
