/*
 * Northwind Threads × shopper-intent: the whole recipe.
 * The scorer decides WHEN to nudge and WHAT to say; the store decides HOW it looks.
 * preventDefault() tells the scorer we rendered it, so its built-in banner/bubble stays away.
 */
(function () {
  'use strict';

  window.addEventListener('shopper-intent:action', function (e) {
    var d = e.detail || {};
    if (!d.message) return;
    if (d.kind === 'chat' && window.NorthwindChat) {
      window.NorthwindChat.showInvite(d.message);
      e.preventDefault();
    } else if (d.kind === 'banner') {
      showBanner(d.action, d.message);
      e.preventDefault();
    }
  });

  /** One store-styled banner; a newer nudge replaces the text. Text only, never HTML. */
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
