//! The compiled model: a [`Model`] as bytes, so the browser loads a store's model without running
//! the config reader and validator (which stay in the CLI and in a compiler loaded only for plain
//! JSON configs). `shopper-intent compile` writes it.
//!
//! Layout: a format byte ([`FORMAT`]), then every field in declaration order: integers as LEB128
//! varints, floats as 8 little-endian bytes, strings and lists length-prefixed, options as a flag
//! byte. A model that does not read back whole is refused; the browser then logs why.

use super::experiment::Experiment;
use super::model::{
    default_message, Actions, Conditions, Kind, Model, Nudge, On, PageRole, PageType, Per, Rule,
};
use super::scorecard::Scorecard;
use alloc::string::String;
use alloc::vec::Vec;

/// Version of the byte layout. Bump it when the layout changes. Format 3: a rule's message is
/// empty when it is its rule's default; format 2 files, which wrote every message, read the same.
pub const FORMAT: u8 = 3;

const ROLES: [PageRole; 9] = [
    PageRole::Plain,
    PageRole::Collection,
    PageRole::Shipping,
    PageRole::Returns,
    PageRole::Faq,
    PageRole::SizeGuide,
    PageRole::Pricing,
    PageRole::CheckoutShipping,
    PageRole::CheckoutPayment,
];

/// Writes a model.
struct Writer(Vec<u8>);

impl Writer {
    fn int(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn num(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn flag(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }
    fn text(&mut self, s: &str) {
        self.int(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn texts(&mut self, list: &[String]) {
        self.int(list.len() as u64);
        list.iter().for_each(|s| self.text(s));
    }
    fn bytes(&mut self, list: &[u8]) {
        self.int(list.len() as u64);
        self.0.extend_from_slice(list);
    }
    /// `None` as 0, `Some(false)` as 1, `Some(true)` as 2.
    fn yes_no(&mut self, v: Option<bool>) {
        self.0.push(v.map_or(0, |b| 1 + u8::from(b)));
    }
    fn opt_num(&mut self, v: Option<f64>) {
        self.flag(v.is_some());
        if let Some(v) = v {
            self.num(v);
        }
    }
    fn nums(&mut self, list: &[f64]) {
        self.int(list.len() as u64);
        list.iter().for_each(|&x| self.num(x));
    }
}

/// Reads a model; a short or malformed input sets `bad` and yields zeros from then on.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    bad: bool,
    /// A scorecard the scorer without scorecards skipped (see [`Unread::Scorecard`]).
    card: bool,
}

/// Why a model's bytes were not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// Another format, cut short, trailing bytes or a reference out of range.
    Damaged,
    /// A model with a scorecard, read by the scorer built without scorecards (`bundle` without
    /// the `scorecard` feature): the tag then loads the scorer with them.
    Scorecard,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        match self.bytes.get(self.at) {
            Some(&b) => {
                self.at += 1;
                b
            }
            None => {
                self.bad = true;
                0
            }
        }
    }
    fn int(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
        }
        self.bad = true;
        0
    }
    fn small(&mut self) -> u32 {
        u32::try_from(self.int()).unwrap_or_else(|_| {
            self.bad = true;
            0
        })
    }
    fn num(&mut self) -> f64 {
        let mut b = [0u8; 8];
        for x in b.iter_mut() {
            *x = self.byte();
        }
        let v = f64::from_le_bytes(b);
        // A model holds finite numbers only (the config refuses others): NaN would score NaN.
        self.bad |= !v.is_finite();
        v
    }
    fn flag(&mut self) -> bool {
        self.byte() != 0
    }
    fn len(&mut self) -> usize {
        let n = self.int() as usize;
        // No list or string is longer than what is left to read.
        if n > self.bytes.len() - self.at.min(self.bytes.len()) {
            self.bad = true;
            return 0;
        }
        n
    }
    fn raw(&mut self) -> &[u8] {
        let n = self.len();
        // `len` keeps `n` within what is left (0 once bad).
        let out = self.bytes.get(self.at..self.at + n).unwrap_or_default();
        self.at += n;
        out
    }
    fn text(&mut self) -> String {
        match super::text::utf8(self.raw()) {
            Some(s) => String::from(s),
            None => {
                self.bad = true;
                String::new()
            }
        }
    }
    fn texts(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for _ in 0..self.len() {
            out.push(self.text());
        }
        out
    }
    fn yes_no(&mut self) -> Option<bool> {
        match self.byte() {
            0 => None,
            b => Some(b == 2),
        }
    }
    fn opt_num(&mut self) -> Option<f64> {
        self.flag().then(|| self.num())
    }
    #[cfg(any(feature = "scorecard", not(feature = "bundle")))]
    fn nums(&mut self) -> Vec<f64> {
        // Each number is 8 bytes: a count beyond what is left is refused before allocating.
        let n = self.len();
        (0..n.min(self.bytes.len() / 8))
            .map(|_| self.num())
            .collect()
    }
}

impl Model {
    /// The model as bytes (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(2048));
        w.0.push(FORMAT);
        for r in &self.rules {
            w.num(r.points);
            w.0.push(Per::ALL.iter().position(|&p| p == r.per).unwrap_or(0) as u8);
            w.int(r.max.into());
            w.int(r.window_ms);
        }
        for v in [
            self.session_timeout_ms,
            self.intent_window_ms,
            self.rapid_views_ms,
        ] {
            w.int(v);
        }
        for v in [
            self.rapid_views,
            self.repeat_item_visits,
            self.repeat_views,
            self.bounces_to_suppress,
        ] {
            w.int(v.into());
        }
        for v in [
            self.return_within_ms,
            self.bounce_window_ms,
            self.recent_purchase_ms,
            self.value_window_ms,
        ] {
            w.int(v);
        }
        for v in [
            self.half_life_ms,
            self.high_value_threshold,
            self.stages[0],
            self.stages[1],
            self.stages[2],
        ] {
            w.num(v);
        }
        w.int(self.page_types.len() as u64);
        for t in &self.page_types {
            w.text(&t.name);
            w.0.push(ROLES.iter().position(|&r| r == t.role).unwrap_or(0) as u8);
            w.texts(&t.patterns);
        }
        w.texts(&self.email_mediums);
        w.texts(&self.email_click_ids);
        let a = &self.actions;
        w.flag(a.enabled);
        w.int(a.max_per_visit.into());
        w.int(a.attribution_ms);
        w.int(a.rules.len() as u64);
        for n in &a.rules {
            w.text(&n.name);
            w.flag(n.enabled);
            w.text(&n.action);
            w.flag(n.kind == Kind::Chat);
            // Left out when it is the rule's default (see `default_message`).
            let message = n.message.as_str();
            w.text(if default_message(&n.name) == Some(message) {
                ""
            } else {
                message
            });
            w.flag(n.promotional);
            w.int(n.priority.into());
            w.int(n.experiment.map_or(0, |e| e as u64 + 1));
            let (on, ms) = match n.on {
                On::Page => (0, 0),
                On::Idle(ms) => (1, ms),
                On::ExitIntent => (2, 0),
            };
            w.0.push(on);
            w.int(ms);
            for v in [n.max_per_visit, n.max_per_day, n.max_per_visitor] {
                w.int(v.into());
            }
            w.int(n.cooldown_ms);
            w.int(n.when.len() as u64);
            for c in &n.when {
                w.0.extend_from_slice(&[c.stages, c.intents, c.abandoned]);
                w.yes_no(c.suppressed);
                w.bytes(&c.pages);
                w.bytes(&c.not_pages);
                w.int(c.viewed.into());
                w.int(c.variant_switches.into());
                w.yes_no(c.cart);
                w.yes_no(c.high_value);
                w.opt_num(c.min_value);
                w.yes_no(c.return_visit);
                w.int(c.dwell_ms);
            }
        }
        w.int(self.experiments.len() as u64);
        for e in &self.experiments {
            w.text(&e.key);
            w.texts(&e.variations);
            match &e.weights {
                Some(weights) => {
                    w.int(weights.len() as u64 + 1);
                    weights.iter().for_each(|&x| w.num(x));
                }
                None => w.int(0),
            }
            w.num(e.coverage);
            w.0.push(e.hash_version);
            w.flag(e.seed.is_some());
            w.text(e.seed.as_deref().unwrap_or(""));
            w.flag(e.namespace.is_some());
            if let Some((id, start, end)) = &e.namespace {
                w.text(id);
                w.num(*start);
                w.num(*end);
            }
            w.int(e.force.map_or(0, |f| f as u64 + 1));
        }
        let sc = &self.scorecard;
        w.int(sc.bins.len() as u64);
        for b in &sc.bins {
            w.0.push(b.characteristic);
            w.nums(&b.edges);
            w.nums(&b.points);
        }
        w.int(sc.crossed.len() as u64);
        for c in &sc.crossed {
            w.0.push(c.rows);
            w.nums(&c.row_edges);
            w.0.push(c.columns);
            w.nums(&c.column_edges);
            w.nums(&c.points);
        }
        w.flag(sc.odds.is_some());
        if let Some(o) = sc.odds {
            w.num(o.pdo);
            w.num(o.zero_points);
        }
        w.0
    }

    /// Reads [`Model::to_bytes`]; `None` for anything else (another format, cut short, trailing
    /// bytes), so a damaged model is never half-used.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        Model::read(bytes).ok()
    }

    /// [`Model::from_bytes`], saying why a model was not read.
    pub fn read(bytes: &[u8]) -> Result<Model, Unread> {
        let mut r = Reader {
            bytes,
            at: 0,
            bad: false,
            card: false,
        };
        if !(FORMAT - 1..=FORMAT).contains(&r.byte()) {
            return Err(Unread::Damaged);
        }
        let mut rules = [Rule {
            points: 0.0,
            per: Per::None,
            max: 0,
            window_ms: 0,
        }; 17];
        for rule in rules.iter_mut() {
            *rule = Rule {
                // Within the config's ±1e6, so that no number of signals overflows the score.
                points: match r.num() {
                    p if p.abs() <= 1e6 => p,
                    _ => {
                        r.bad = true;
                        0.0
                    }
                },
                per: Per::ALL
                    .get(r.byte() as usize)
                    .copied()
                    .unwrap_or(Per::None),
                max: r.small(),
                window_ms: r.int(),
            };
        }
        let (session_timeout_ms, intent_window_ms, rapid_views_ms) = (r.int(), r.int(), r.int());
        let (rapid_views, repeat_item_visits, repeat_views, bounces_to_suppress) =
            (r.small(), r.small(), r.small(), r.small());
        let (return_within_ms, bounce_window_ms, recent_purchase_ms, value_window_ms) =
            (r.int(), r.int(), r.int(), r.int());
        let (half_life_ms, high_value_threshold) = (r.num(), r.num());
        let stages = [r.num(), r.num(), r.num()];
        let page_types = (0..r.len())
            .map(|_| PageType {
                name: r.text(),
                role: ROLES
                    .get(r.byte() as usize)
                    .copied()
                    .unwrap_or(PageRole::Plain),
                patterns: r.texts(),
            })
            .collect();
        let email_mediums = r.texts();
        let email_click_ids = r.texts();
        let (enabled, max_per_visit, attribution_ms) = (r.flag(), r.small(), r.int());
        let mut nudges: Vec<Nudge> = (0..r.len())
            .map(|_| {
                let name = r.text();
                Nudge {
                    key: super::experiment::fnv32a(&name),
                    name,
                    enabled: r.flag(),
                    action: r.text(),
                    kind: if r.flag() { Kind::Chat } else { Kind::Banner },
                    message: r.text(),
                    promotional: r.flag(),
                    priority: r.small(),
                    experiment: (r.int() as usize).checked_sub(1),
                    on: match (r.byte(), r.int()) {
                        (1, ms) => On::Idle(ms),
                        (2, _) => On::ExitIntent,
                        _ => On::Page,
                    },
                    max_per_visit: r.small(),
                    max_per_day: r.small(),
                    max_per_visitor: r.small(),
                    cooldown_ms: r.int(),
                    when: (0..r.len())
                        .map(|_| Conditions {
                            stages: r.byte(),
                            intents: r.byte(),
                            abandoned: r.byte(),
                            suppressed: r.yes_no(),
                            pages: r.raw().into(),
                            not_pages: r.raw().into(),
                            viewed: r.small() as u16,
                            variant_switches: r.small() as u16,
                            cart: r.yes_no(),
                            high_value: r.yes_no(),
                            min_value: r.opt_num(),
                            return_visit: r.yes_no(),
                            dwell_ms: r.int(),
                        })
                        .collect(),
                }
            })
            .collect();
        r.bad |= !default_messages(&mut nudges);
        let experiments: Vec<Experiment> = (0..r.len())
            .map(|_| Experiment {
                key: r.text(),
                variations: r.texts(),
                weights: (r.int() as usize)
                    .checked_sub(1)
                    .map(|n| (0..n.min(r.bytes.len())).map(|_| r.num()).collect()),
                coverage: r.num(),
                hash_version: r.byte(),
                seed: {
                    let some = r.flag();
                    let seed = r.text();
                    some.then_some(seed)
                },
                namespace: r.flag().then(|| (r.text(), r.num(), r.num())),
                force: (r.int() as usize).checked_sub(1),
            })
            .collect();
        let scorecard = scorecard(&mut r);
        let model = Model {
            rules,
            session_timeout_ms,
            half_life_ms,
            intent_window_ms,
            rapid_views,
            rapid_views_ms,
            repeat_item_visits,
            repeat_views,
            return_within_ms,
            bounces_to_suppress,
            bounce_window_ms,
            recent_purchase_ms,
            value_window_ms,
            high_value_threshold,
            stages,
            page_types,
            email_mediums,
            email_click_ids,
            actions: Actions {
                enabled,
                max_per_visit,
                attribution_ms,
                rules: nudges,
            },
            experiments,
            scorecard,
        };
        let whole = !r.bad && r.at == bytes.len();
        let types = model.page_types.len();
        let mut references_hold = types <= super::model::MAX_PAGE_TYPES;
        for n in &model.actions.rules {
            references_hold &= n.experiment.is_none_or(|e| e < model.experiments.len());
            for c in &n.when {
                for &p in c.pages.iter().chain(&c.not_pages) {
                    references_hold &= usize::from(p) < types;
                }
            }
        }
        // Every bin and cell a characteristic can fall in has its points.
        let count = super::characteristics::COUNT as u8;
        let sc = &model.scorecard;
        for b in &sc.bins {
            references_hold &= b.characteristic < count && b.points.len() == b.edges.len() + 1;
        }
        for c in &sc.crossed {
            references_hold &= c.rows < count
                && c.columns < count
                && c.points.len() == (c.row_edges.len() + 1) * (c.column_edges.len() + 1);
        }
        match (r.card, whole && references_hold) {
            (true, _) => Err(Unread::Scorecard),
            (false, true) => Ok(model),
            (false, false) => Err(Unread::Damaged),
        }
    }
}

/// Puts back the messages a compiled model left out, each its rule's default; false when a rule
/// without one is not a default rule.
#[cfg(any(feature = "nudges", feature = "compiler", not(feature = "bundle")))]
fn default_messages(rules: &mut [Nudge]) -> bool {
    let mut known = true;
    for n in rules.iter_mut().filter(|n| n.message.is_empty()) {
        match default_message(&n.name) {
            Some(m) => n.message = m.into(),
            None => known = false,
        }
    }
    known
}

/// The scorers show no message (only the nudge engine does): theirs stay as read.
#[cfg(all(feature = "bundle", not(any(feature = "nudges", feature = "compiler"))))]
fn default_messages(_: &mut [Nudge]) -> bool {
    true
}

/// The scorecard section.
#[cfg(any(feature = "scorecard", not(feature = "bundle")))]
fn scorecard(r: &mut Reader) -> Scorecard {
    use super::scorecard::{Binned, Crossed, Odds};
    let bins = (0..r.len())
        .map(|_| Binned {
            characteristic: r.byte(),
            edges: r.nums(),
            points: r.nums(),
        })
        .collect();
    let crossed = (0..r.len())
        .map(|_| Crossed {
            rows: r.byte(),
            row_edges: r.nums(),
            columns: r.byte(),
            column_edges: r.nums(),
            points: r.nums(),
        })
        .collect();
    let odds = r.flag().then(|| Odds {
        pdo: r.num(),
        zero_points: r.num(),
    });
    Scorecard {
        bins,
        crossed,
        odds,
    }
}

/// The scorecard section, in the scorer built without scorecards (1,010 B of its gzipped wasm,
/// with the points they add at snapshot time): a model with one is refused as
/// [`Unread::Scorecard`]. The characteristics are still observed, so a profile reads the same in
/// either scorer and a store that calibrates later keeps its visitors' history.
#[cfg(all(feature = "bundle", not(feature = "scorecard")))]
fn scorecard(r: &mut Reader) -> Scorecard {
    let (bins, crossed) = (r.len(), r.len());
    r.card = bins + crossed > 0;
    // The odds (pdo, zero points) do not score: read past.
    if r.flag() {
        r.num();
        r.num();
    }
    Scorecard::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scorecard::{Binned, Crossed, Odds};

    #[test]
    fn a_scorecard_round_trips() {
        let mut model = Model {
            scorecard: Scorecard {
                bins: alloc::vec![Binned {
                    characteristic: 0,
                    edges: alloc::vec![1.0],
                    points: alloc::vec![0.0, 43.0],
                }],
                crossed: alloc::vec![Crossed {
                    rows: 2,
                    row_edges: alloc::vec![2.0],
                    columns: 5,
                    column_edges: alloc::vec![2.0, 3.0],
                    points: alloc::vec![44.0, 14.0, 0.0, 0.0, 17.0, 20.0],
                }],
                odds: Some(Odds {
                    pdo: 10.0,
                    zero_points: 0.0014,
                }),
            },
            ..Model::default()
        };
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes), Some(model.clone()));
        // A table whose points do not fill its cells is refused.
        model.scorecard.crossed[0].points.pop();
        assert_eq!(Model::from_bytes(&model.to_bytes()), None);
        // Damaged, not "needs the scorer with scorecards": this build reads scorecards.
        assert_eq!(Model::read(&model.to_bytes()), Err(Unread::Damaged));
    }

    #[test]
    fn the_default_model_round_trips_and_damage_is_refused() {
        let model = Model::default();
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes), Some(model.clone()));
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Model::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Model::from_bytes(&longer), None);
        let mut other = bytes;
        other[0] = FORMAT + 1;
        assert_eq!(Model::from_bytes(&other), None);
    }

    /// `text` as the writer writes it: its length (one byte, under 128), then its bytes.
    fn written(text: &str) -> Vec<u8> {
        assert!(text.len() < 128);
        [&[text.len() as u8][..], text.as_bytes()].concat()
    }

    fn replaced(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
        [&bytes[..at], to, &bytes[at + from.len()..]].concat()
    }

    #[test]
    fn default_messages_are_left_out_and_read_back() {
        use crate::core::model::DEFAULT_MESSAGES;
        let model = Model::default();
        let bytes = model.to_bytes();
        for (name, message) in DEFAULT_MESSAGES {
            let rule = model.actions.rules.iter().find(|n| n.name == name).unwrap();
            assert_eq!(rule.message, message);
            assert!(
                !bytes
                    .windows(message.len())
                    .any(|w| w == message.as_bytes()),
                "{name}"
            );
        }
        // A store's own message is written, on a default rule too.
        let mut own = model.clone();
        own.actions.rules[0].message = "Need a hand?".into();
        assert_eq!(Model::from_bytes(&own.to_bytes()), Some(own));

        // Format 2 wrote every message in full: such a file reads as the same model. Built from
        // placeholders, each then replaced by its rule's default as format 2 wrote it.
        let mut placeholders = model.clone();
        for (i, n) in placeholders.actions.rules.iter_mut().enumerate() {
            n.message = String::from("\u{1}message of rule ");
            n.message.push(char::from(b'a' + i as u8));
        }
        let mut old = placeholders.to_bytes();
        for (i, n) in model.actions.rules.iter().enumerate() {
            old = replaced(
                &old,
                &written(&placeholders.actions.rules[i].message),
                &written(&n.message),
            );
        }
        old[0] = 2;
        assert_eq!(Model::from_bytes(&old), Some(model.clone()));

        // A message left out on a rule that is not a default one has nothing to stand for.
        let name = &model.actions.rules[0].name;
        let other: String = name.chars().map(|_| 'x').collect();
        assert_eq!(
            Model::from_bytes(&replaced(&bytes, &written(name), &written(&other))),
            None
        );
    }
}
