/*
 * Northwind Threads × shopper-intent: the whole recipe.
 * The scorer decides WHEN to nudge and WHAT to say; the store decides HOW it looks.
 */
(function () {
  'use strict';

  var BANNER_ACTIONS = [
    'shipping_reassurance', 'returns_reassurance', 'free_shipping_offer', 'payment_options',
    'guest_checkout', 'cart_reminder', 'size_help', 'comparison_help'
  ];

  window.addEventListener('shopper-intent:action', function (e) {
    var d = e.detail || {};
    if (d.action === 'proactive_chat') window.NorthwindChat && window.NorthwindChat.showInvite(d.message);
    else if (BANNER_ACTIONS.indexOf(d.action) !== -1 && d.message) showBanner(d.action, d.message);
  });

  /** One store-styled reassurance banner; a newer nudge replaces the text. */
  function showBanner(action, message) {
    var banner = document.getElementById('nw-banner');
    if (!banner) {
      banner = document.createElement('div');
      banner.id = 'nw-banner';
      banner.className = 'nudge-banner';
      banner.setAttribute('role', 'status');
      var text = document.createElement('p');
      text.className = 'nudge-text';
      var close = document.createElement('button');
      close.type = 'button';
      close.className = 'nudge-close';
      close.setAttribute('aria-label', 'Dismiss');
      close.textContent = '×';
      close.addEventListener('click', function () { banner.hidden = true; });
      banner.append(text, close);
      document.body.appendChild(banner);
    }
    banner.hidden = false;
    banner.dataset.action = action; // picks the icon in store.css
    banner.querySelector('.nudge-text').textContent = message;
  }
})();
