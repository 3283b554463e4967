// The words of the engine's refusals: `Error::message` of src/core/error.rs, from the parts the
// scorer hands over (`Error::parts`: code, four texts, numbers [item, a, b], item -1 for none).
// A chunk of its own, loaded on the first refusal: the phrases stay out of what loads at start.
// tests/errors.rs writes every kind of error with its message to tests/fixtures/errors.json, and
// tests/e2e/errors.test.mjs checks that this gives the same text for each.

/** The message for parts `p` ({ c, t, n }). */
export function message({ c, t, n }) {
  const [a, b, x, y] = t;
  const [item, m, k] = n;
  // `items[i].name`, `items[i]` or `name`, as the core's `field`.
  const at = (name) => (item >= 0 ? 'items[' + item + ']' + (name ? '.' : '') : '') + name;
  const event = (s) => a + ': ' + s;
  switch (c) {
    case 0:
      return event(at(b) + ' must be ' + x + ', not ' + y);
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
      return b === '(the config)' ? a + ': the argument ' + x : a + ': field `' + b + '`: ' + x;
    case 9:
      return 'event at ' + m + " ms is earlier than this visitor's previous event at " + k + ' ms; events of one visitor must come in time order';
    case 10:
      return 'stored state: ' + a;
    default:
      return 'refused (error ' + c + ')';
  }
}
