// The words of every warning the tag logs, in a chunk of their own loaded on the first one: the
// phrases stay out of what loads at start. Two kinds:
// - the engine's refusals: `Error::message` of src/core/error.rs, from the parts the scorer hands
//   over (`Error::parts`: code, two texts, numbers [item, a, b], item -1 for none; a and b are
//   indices of TYPES for a wrong type, a of STORED for stored state). The core
//   writes every kind with its message to tests/fixtures/errors.json, and
//   tests/e2e/errors.test.mjs checks that this gives the same text for each;
// - the tag's own: a key of WORDS and its arguments (the e2e tests check their text).

/** The core's words for types and for a stored profile that does not read (`TYPES` and `STORED`
 * of src/core/error.rs, pinned by tests/web_names.rs): a refusal hands their indices over. */
const TYPES = ['missing', 'null', 'a boolean', 'a number', 'a string', 'an array', 'an object', 'an unsupported value', 'a string or an integer', 'a fractional or non-finite number'];
const STORED = ['empty', 'corrupt; its fields do not decode', 'written by a newer version of this library', 'written by an older, unsupported version', 'not base64; it was not written by this library'];

/** `kind()`'s types (consent.js) as the core's `Value::kind`; any other is an unsupported value. */
const KINDS = { undefined: 0, null: 1, boolean: 2, number: 3, string: 4, array: 5, object: 6 };
const kindOf = (k) => TYPES[KINDS[k] ?? 7];

/** `call: field \`f\`: why`, or `call: the argument why`: an API call's argument (facts.js, consent.js). */
const arg = (call, field, why) => call + ': ' + (field ? 'field `' + field + '`: ' : 'the argument ') + why;

// Quoted keys: esbuild's --mangle-props leaves them alone (the tag names them in strings).
const WORDS = {
  'badName': () => 'track(name, params): the name must be a short string',
  'unreadable': (name, e) => name + ': its parameters could not be read (' + e + '); refused',
  'tooMany': (n) => 'more than ' + n + ' events on one page: the oldest are no longer re-applied when consent arrives or another tab writes',
  'noNudges': (e) => 'the nudge engine could not be loaded: ' + e,
  'noRender': (e) => 'the built-in nudge could not be shown: ' + e,
  'noTriggers': (e) => 'the idle and exit-intent watchers could not be loaded: those rules do not fire on this page (' + e + ')',
  'noShopify': (e) => "the Shopify adapter could not be loaded: Shopify's storefront events are not read on this page (" + e + ')',
  'replaced': (why) => 'the stored profile was replaced: ' + message(why),
  // As `Profile::decode` says it natively (src/core/state.rs).
  'notBase64': () => 'stored state: ' + STORED[4],
  'cleared': () => 'another tab deleted the stored profile; this tab goes on as a new visitor',
  'failed': (what, e) => what + ' failed: ' + e,
  'noStorage': () => 'localStorage is unavailable; this visitor is remembered for this page only',
  'full': () => 'localStorage refused the profile (full?); kept in memory, and saving is retried',
  'notArray': (name) => 'runtime.data_layer: window.' + name + ' is not an array; the data layer is not watched',
  'badOn': (types) => 'on(type, callback): type is one of ' + types + ', callback a function',
  // Start-up: the model, and why the scorer did not start (a string, or words).
  'notModelFile': (what, e) => what + ' is neither a model file (shopper-intent compile) nor JSON: ' + e,
  'damaged': (what) => what + ': a damaged model file',
  'oldModel': (what) => what + ' is a model file of an older version: compile it again',
  'unreadModel': () => 'the model does not read (compiled by another version?)',
  'notStarted': (w) => (typeof w === 'string' ? w : message(w)) + ' (not started)',
  // The arguments of identify() and consent(): the call, the field (none: the argument itself), a value.
  'object': (call, field, k) => arg(call, field, 'must be an object, not ' + kindOf(k)),
  'unknown': (call, field, list) => arg(call, field, 'unknown field; expected one of ' + list),
  'whole': (call, field, k) => arg(call, field, 'must be a whole number of 0 or more, not ' + kindOf(k)),
  'trueFalse': (call, field, k) => arg(call, field, 'must be true or false, not ' + kindOf(k)),
  'bounces': (call, field) => arg(call, field, 'must be true, false or a whole number of bounces'),
  'finite': (call, field, k) => arg(call, field, 'must be a finite number, not ' + kindOf(k)),
  'time': (call, field) => arg(call, field, 'must be a time in ms since 1970, as Date.now() gives it'),
  'noTime': (call, field) => arg(call, field, "is missing; it is the purchase's time in ms"),
  'noChoice': (call, field) => arg(call, field, 'is missing; pass {analytics: true} or {analytics: false}'),
  'unread': (call, field, e) => arg(call, field, 'could not be read (' + e + ')'),
};

/** The message for a warning: the tag's own `[key, ...args]`, or an engine refusal's parts ({ c, t, n }). */
export function message(p) {
  if (Array.isArray(p)) {
    const words = WORDS[p[0]];
    return words ? words(...p.slice(1)) : p.join(' ');
  }
  const { c, t, n } = p;
  const [a, b] = t;
  const [item, m, k] = n;
  // `items[i].name`, `items[i]` or `name`, as the core's `field`.
  const at = (name) => (item >= 0 ? 'items[' + item + ']' + (name ? '.' : '') : '') + name;
  const event = (s) => a + ': ' + s;
  switch (c) {
    case 0:
      return event(at(b) + ' must be ' + TYPES[m] + ', not ' + TYPES[k]);
    case 1:
      return event(b === 'items' ? 'items is missing or empty; this event needs at least one item'
        : item >= 0 ? at('') + ' has neither item_id nor item_name' : at(b) + ' is missing');
    case 2:
      return event(at(b) + ' is not a finite number');
    case 3:
      return event(at(b) + ' is negative');
    case 4:
      return event(at(b) + ' is above 1e15, the largest number accepted');
    case 5:
      return event(at(b) + ' is ' + m + ' characters long; the limit is ' + k);
    case 6:
      return event('items has ' + m + ' elements; GA4 allows at most ' + k);
    case 7:
      return 'config field `' + a + '`: ' + b;
    case 8:
      return 'event at ' + m + " ms is earlier than this visitor's previous event at " + k + ' ms; events of one visitor must come in time order';
    case 9:
      return 'stored state: ' + STORED[m];
    default:
      return 'refused (error ' + c + ')';
  }
}
