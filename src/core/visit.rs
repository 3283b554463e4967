//! Visits and where they came from: landing page, acquisition channel, email click-through.

use super::model::Model;
use super::text;
use super::url::{has_param, host_of, param};
use alloc::string::String;

/// How a visit reached the store, from its landing URL and referrer (EVENTS.md §3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Channel {
    /// No campaign, no click id, no external referrer.
    #[default]
    Direct,
    /// An email link (`utm_medium=email` or an email platform's click id).
    Email,
    /// An SMS link.
    Sms,
    /// A search ad click.
    PaidSearch,
    /// A social ad click.
    PaidSocial,
    /// An unpaid search result.
    Organic,
    /// A link on another site (organic social included).
    Referral,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 7] = [
        Channel::Direct,
        Channel::Email,
        Channel::Sms,
        Channel::PaidSearch,
        Channel::PaidSocial,
        Channel::Organic,
        Channel::Referral,
    ];

    /// The channel at `index` (stored state); direct for an unknown index.
    pub fn from_index(index: u8) -> Channel {
        Channel::ALL
            .get(index as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Its index in [`Channel::ALL`], as stored.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The channel's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::PaidSearch => "paid_search",
            Channel::PaidSocial => "paid_social",
            Channel::Organic => "organic",
            Channel::Referral => "referral",
        }
    }
}

// Lists as space-separated words (see `text::words`): a `&[&str]` is a table of pointers in the
// wasm, the words alone are just text.
const SEARCH_CLICK_IDS: &str = "gclid gbraid wbraid dclid msclkid gad_source";
const SOCIAL_CLICK_IDS: &str = "fbclid ttclid twclid li_fat_id epik sccid";
const SOCIAL_SOURCES: &str =
    "facebook fb instagram ig meta tiktok pinterest snapchat linkedin twitter x reddit youtube";
const PAID_SOCIAL_MEDIUMS: &str = "paid_social paidsocial social_paid social-paid";
const PAID_MEDIUMS: &str = "cpc ppc paid paidsearch paid_search paid-search cpm display";
const SEARCH_ENGINES: &str =
    "google. bing. duckduckgo. yahoo. baidu. yandex. ecosia. startpage. search.brave. qwant.";
const SOCIAL_SITES: &str =
    "facebook. instagram. t.co twitter. x.com tiktok. pinterest. linkedin. reddit. youtube.";

/// True when the landing URL marks a visit from email (SCORING.md, "Visits").
pub fn is_from_email(model: &Model, landing: &str) -> bool {
    let medium = param(landing, "utm_medium").map(decode_lower);
    medium.is_some_and(|m| model.email_mediums.contains(&m))
        || has_param(landing, model.email_click_ids.iter().map(String::as_str))
}

/// Campaign values are compared lowercased, with `+` and `%20` as spaces and `%2D` as `-`.
fn decode_lower(v: &str) -> String {
    let lower = text::replace(&v.to_ascii_lowercase(), "+", " ");
    text::replace(&text::replace(&lower, "%20", " "), "%2d", "-")
}

/// The channel of a visit from its landing URL and the page referrer.
pub fn channel(model: &Model, landing: &str, referrer: Option<&str>) -> Channel {
    if is_from_email(model, landing) {
        return Channel::Email;
    }
    let medium = param(landing, "utm_medium")
        .map(decode_lower)
        .unwrap_or_default();
    let source = param(landing, "utm_source")
        .map(decode_lower)
        .unwrap_or_default();
    if text::one_of(&medium, "sms text") {
        return Channel::Sms;
    }
    if has_param(landing, text::words(SOCIAL_CLICK_IDS))
        || text::one_of(&medium, PAID_SOCIAL_MEDIUMS)
    {
        return Channel::PaidSocial;
    }
    if text::one_of(&medium, PAID_MEDIUMS) {
        return if text::one_of(&source, SOCIAL_SOURCES) {
            Channel::PaidSocial
        } else {
            Channel::PaidSearch
        };
    }
    if has_param(landing, text::words(SEARCH_CLICK_IDS)) {
        return Channel::PaidSearch;
    }
    if medium == "organic" {
        return Channel::Organic;
    }
    if !medium.is_empty() {
        return Channel::Referral;
    }
    let own = host_of(landing);
    match referrer.and_then(host_of) {
        Some(r) if Some(&r) == own.as_ref() => Channel::Direct,
        Some(r)
            if text::words(SEARCH_ENGINES).any(|s| text::contains(&r, s))
                && !text::words(SOCIAL_SITES).any(|s| text::contains(&r, s)) =>
        {
            Channel::Organic
        }
        Some(_) => Channel::Referral,
        None => Channel::Direct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels() {
        let m = Model::default();
        let c = |l: &str, r: Option<&str>| channel(&m, l, r);
        assert_eq!(
            c("https://s.example/p?utm_medium=EMAIL", None),
            Channel::Email
        );
        assert_eq!(c("https://s.example/p?_kx=abc.def", None), Channel::Email);
        assert_eq!(
            c("https://s.example/p?mc_cid=1&mc_eid=2", None),
            Channel::Email
        );
        assert_eq!(c("https://s.example/p?utm_medium=sms", None), Channel::Sms);
        assert_eq!(c("https://s.example/p?gclid=x", None), Channel::PaidSearch);
        assert_eq!(c("https://s.example/p?fbclid=x", None), Channel::PaidSocial);
        assert_eq!(
            c(
                "https://s.example/p?utm_medium=cpc&utm_source=facebook",
                None
            ),
            Channel::PaidSocial
        );
        assert_eq!(
            c("https://s.example/p", Some("https://www.google.com/")),
            Channel::Organic
        );
        assert_eq!(
            c("https://s.example/p", Some("https://blog.other.org/post")),
            Channel::Referral
        );
        assert_eq!(
            c("https://s.example/p", Some("https://s.example/")),
            Channel::Direct
        );
        assert_eq!(c("https://s.example/p", None), Channel::Direct);
    }
}
