/*
 * NorthwindChat: a MOCK third-party chat widget (think Intercom/Gorgias launcher).
 * It stands in for whatever live-chat vendor a store already uses. Self-contained:
 * it injects its own styles and DOM, talks to nobody, and answers with canned replies.
 *
 * Public API (all safe to call before the DOM is ready):
 *   NorthwindChat.open()            open the conversation panel
 *   NorthwindChat.showInvite(text)  show a proactive invite bubble above the launcher
 *   NorthwindChat.hide()            hide the invite and the panel (the launcher stays)
 *
 * Every dynamic string is rendered with textContent, never innerHTML.
 */
(function () {
  'use strict';
  if (window.NorthwindChat) return;

  var CSS = [
    '.nwc-root{position:fixed;right:20px;bottom:20px;z-index:2147482000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2421}',
    '.nwc-launcher{width:56px;height:56px;border-radius:50%;border:0;background:#2f4a3a;color:#fff;display:grid;place-items:center;cursor:pointer;box-shadow:0 6px 20px rgba(20,30,25,.28);transition:transform .15s ease}',
    '.nwc-launcher:hover{transform:scale(1.05)}',
    '.nwc-launcher:focus-visible,.nwc-root button:focus-visible,.nwc-input:focus-visible{outline:3px solid #c9a86a;outline-offset:2px}',
    '.nwc-launcher svg{width:26px;height:26px}',
    '.nwc-invite{position:absolute;right:0;bottom:70px;width:280px;background:#fff;border-radius:14px 14px 4px 14px;box-shadow:0 10px 30px rgba(20,30,25,.2);padding:14px 34px 14px 14px;animation:nwc-in .25s ease-out}',
    '.nwc-invite[hidden],.nwc-panel[hidden]{display:none}',
    '.nwc-agent{display:flex;align-items:center;gap:8px;margin-bottom:6px;font-size:12px;color:#6b6f69}',
    '.nwc-avatar{width:24px;height:24px;border-radius:50%;background:#c9a86a;color:#fff;display:grid;place-items:center;font-weight:600;font-size:12px;flex:none}',
    '.nwc-invite-text{margin:0;cursor:pointer}',
    '.nwc-invite-reply{margin-top:10px;border:1px solid #d9d3c7;background:#faf8f4;border-radius:999px;padding:6px 12px;font:inherit;font-size:13px;cursor:pointer;color:#2f4a3a}',
    '.nwc-close{position:absolute;top:6px;right:6px;width:26px;height:26px;border:0;background:transparent;border-radius:50%;cursor:pointer;color:#6b6f69;font-size:18px;line-height:1}',
    '.nwc-close:hover{background:#f0ece4}',
    '.nwc-panel{position:absolute;right:0;bottom:70px;width:340px;max-width:calc(100vw - 40px);height:440px;max-height:calc(100vh - 110px);background:#fff;border-radius:16px;box-shadow:0 14px 40px rgba(20,30,25,.25);display:flex;flex-direction:column;overflow:hidden;animation:nwc-in .2s ease-out}',
    '.nwc-head{background:#2f4a3a;color:#fff;padding:16px 44px 16px 16px;position:relative}',
    '.nwc-head h2{margin:0;font-family:inherit;font-size:16px;font-weight:600;letter-spacing:0;line-height:1.3}',
    '.nwc-head p{margin:2px 0 0;font-size:12px;opacity:.8}',
    '.nwc-head .nwc-close{color:#fff;top:12px;right:10px}',
    '.nwc-head .nwc-close:hover{background:rgba(255,255,255,.15)}',
    '.nwc-log{flex:1;overflow:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#faf8f4;margin:0;list-style:none}',
    '.nwc-msg{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word}',
    '.nwc-msg.agent{background:#fff;border:1px solid #ebe6dc;align-self:flex-start;border-bottom-left-radius:4px}',
    '.nwc-msg.visitor{background:#2f4a3a;color:#fff;align-self:flex-end;border-bottom-right-radius:4px}',
    '.nwc-form{display:flex;gap:8px;padding:10px;border-top:1px solid #ebe6dc}',
    '.nwc-input{flex:1;border:1px solid #d9d3c7;border-radius:999px;padding:8px 14px;font:inherit}',
    '.nwc-send{border:0;background:#2f4a3a;color:#fff;border-radius:999px;padding:0 14px;font:inherit;cursor:pointer}',
    '.nwc-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@keyframes nwc-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}',
    '@media (prefers-reduced-motion:reduce){.nwc-invite,.nwc-panel{animation:none}.nwc-launcher{transition:none}}'
  ].join('\n');

  var AGENT = 'Maya from Northwind';
  var GREETING = 'Hi there! Questions about sizing, shipping or returns? I’m happy to help.';
  var REPLIES = [
    [/size|fit|small|large|measure/i, 'Most of our pieces fit true to size. The Wool Overcoat runs slightly large, so many customers size down. The size guide has exact measurements: /pages/size-guide/'],
    [/ship|deliver|arriv/i, 'Standard shipping is $5 (free over $150) and takes 3–5 business days; Express is $15 and takes 1–2.'],
    [/return|refund|exchange/i, 'Returns and exchanges are free within 30 days, as long as the tags are on.'],
    [/pay|klarna|paypal|instal/i, 'We take all major cards, PayPal, and Pay in 4 (interest-free instalments) at checkout.']
  ];
  var FALLBACK = 'Thanks! This is a demo chat, so nobody is really here, but a teammate would reply within a few minutes.';

  var state = { ready: false, queue: [], pendingInvite: null };
  var els = {};

  function h(tag, attrs, text) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) el.setAttribute(k, attrs[k]);
    if (text != null) el.textContent = text;
    return el;
  }

  function build() {
    var style = h('style', { id: 'nwc-style' });
    style.textContent = CSS;
    document.head.appendChild(style);

    var root = h('div', { id: 'nw-chat', class: 'nwc-root' });

    // Invite bubble
    var invite = h('div', { id: 'nw-chat-invite', class: 'nwc-invite', role: 'dialog', 'aria-label': 'Message from ' + AGENT });
    invite.hidden = true;
    var agent = h('div', { class: 'nwc-agent' });
    agent.appendChild(h('span', { class: 'nwc-avatar', 'aria-hidden': 'true' }, 'M'));
    agent.appendChild(h('span', null, AGENT));
    var inviteText = h('p', { id: 'nw-chat-invite-text', class: 'nwc-invite-text' });
    var reply = h('button', { type: 'button', class: 'nwc-invite-reply', id: 'nw-chat-invite-reply' }, 'Reply');
    var closeInvite = h('button', { type: 'button', class: 'nwc-close', id: 'nw-chat-invite-close', 'aria-label': 'Dismiss message' }, '×');
    invite.appendChild(agent);
    invite.appendChild(inviteText);
    invite.appendChild(reply);
    invite.appendChild(closeInvite);

    // Conversation panel
    var panel = h('section', { id: 'nw-chat-panel', class: 'nwc-panel', role: 'dialog', 'aria-labelledby': 'nw-chat-title' });
    panel.hidden = true;
    var head = h('header', { class: 'nwc-head' });
    head.appendChild(h('h2', { id: 'nw-chat-title' }, 'Northwind Threads'));
    head.appendChild(h('p', null, 'We usually reply in a few minutes'));
    var closePanel = h('button', { type: 'button', class: 'nwc-close', 'aria-label': 'Close chat' }, '×');
    head.appendChild(closePanel);
    var log = h('ol', { class: 'nwc-log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
    var form = h('form', { class: 'nwc-form' });
    var label = h('label', { for: 'nw-chat-input', class: 'nwc-sr' }, 'Your message');
    var input = h('input', { id: 'nw-chat-input', class: 'nwc-input', type: 'text', autocomplete: 'off', placeholder: 'Write a message…' });
    var send = h('button', { type: 'submit', class: 'nwc-send' }, 'Send');
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(head);
    panel.appendChild(log);
    panel.appendChild(form);

    // Launcher
    var launcher = h('button', { type: 'button', id: 'nw-chat-launcher', class: 'nwc-launcher', 'aria-label': 'Chat with us', 'aria-expanded': 'false', 'aria-controls': 'nw-chat-panel' });
    var svgNS = 'http://www.w3.org/2000/svg';
    var icon = document.createElementNS(svgNS, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(svgNS, 'path');
    path.setAttribute('d', 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A1.5 1.5 0 0 1 4 14.5z');
    path.setAttribute('fill', 'currentColor');
    icon.appendChild(path);
    launcher.appendChild(icon);

    root.appendChild(invite);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    els = { root: root, invite: invite, inviteText: inviteText, panel: panel, log: log, input: input, launcher: launcher };

    launcher.addEventListener('click', function () { if (panel.hidden) api.open(); else api.hide(); });
    inviteText.addEventListener('click', function () { api.open(); });
    reply.addEventListener('click', function () { api.open(); });
    closeInvite.addEventListener('click', function () { invite.hidden = true; state.pendingInvite = null; });
    closePanel.addEventListener('click', function () { api.hide(); launcher.focus(); });
    panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') { api.hide(); launcher.focus(); } });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      say('visitor', text);
      input.value = '';
      var answer = FALLBACK;
      for (var i = 0; i < REPLIES.length; i++) if (REPLIES[i][0].test(text)) { answer = REPLIES[i][1]; break; }
      setTimeout(function () { say('agent', answer); }, 600);
    });

    state.ready = true;
    var q = state.queue;
    state.queue = [];
    q.forEach(function (fn) { fn(); });
  }

  function say(who, text) {
    var li = h('li', { class: 'nwc-msg ' + who }, String(text));
    els.log.appendChild(li);
    els.log.scrollTop = els.log.scrollHeight;
  }

  function whenReady(fn) {
    if (state.ready) fn(); else state.queue.push(fn);
  }

  var api = {
    open: function () {
      whenReady(function () {
        if (!els.panel.hidden) return;
        if (!els.log.firstChild) say('agent', GREETING);
        if (state.pendingInvite) { say('agent', state.pendingInvite); state.pendingInvite = null; }
        els.invite.hidden = true;
        els.panel.hidden = false;
        els.launcher.setAttribute('aria-expanded', 'true');
        els.input.focus();
      });
    },
    showInvite: function (text) {
      var msg = text == null || text === '' ? GREETING : String(text);
      whenReady(function () {
        if (!els.panel.hidden) { say('agent', msg); return; }
        state.pendingInvite = msg;
        els.inviteText.textContent = msg;
        els.invite.hidden = false;
      });
    },
    hide: function () {
      whenReady(function () {
        els.invite.hidden = true;
        els.panel.hidden = true;
        els.launcher.setAttribute('aria-expanded', 'false');
      });
    }
  };
  window.NorthwindChat = api;

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
