//! Visits and where they came from: landing page, acquisition channel, email click-through.
//!
//! URL handling is deliberately minimal (no IDNA, no normalisation): we only need the path,
//! the query or fragment parameters and the host, and the `url` crate would triple the wasm.

use super::model::Model;
use super::text;
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

/// The path of a URL, absolute or relative, without query or fragment; `/` when empty.
pub fn path_of(url: &str) -> &str {
    let rest = match text::find(url, "://") {
        Some(i) => {
            let after = text::from(url, i + 3);
            match text::find_any(after, b"/?#") {
                Some(j) => text::from(after, j),
                None => "",
            }
        }
        None => url,
    };
    let end = text::find_any(rest, b"?#").unwrap_or(rest.len());
    let path = text::slice(rest, 0, end);
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

/// The lowercase host of an absolute URL, without port or credentials.
pub fn host_of(url: &str) -> Option<String> {
    let after = text::from(url, text::find(url, "://")? + 3);
    let end = text::find_any(after, b"/?#").unwrap_or(after.len());
    let authority = text::slice(after, 0, end);
    let at = authority
        .bytes()
        .rposition(|b| b == b'@')
        .map_or(0, |i| i + 1);
    let host = text::from(authority, at);
    let host = text::slice(host, 0, text::find_any(host, b":").unwrap_or(host.len()));
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The value of a query or fragment parameter (campaign builders also put UTMs in the fragment).
pub fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = text::from(url, text::find_any(url, b"?#")? + 1);
    loop {
        let end = text::find_any(rest, b"&?#").unwrap_or(rest.len());
        let pair = text::slice(rest, 0, end);
        let eq = text::find_any(pair, b"=");
        let key = text::slice(pair, 0, eq.unwrap_or(pair.len()));
        if key.eq_ignore_ascii_case(name) {
            return Some(eq.map_or("", |i| text::from(pair, i + 1)));
        }
        if end >= rest.len() {
            return None;
        }
        rest = text::from(rest, end + 1);
    }
}

fn has_param<'a>(url: &str, mut names: impl Iterator<Item = &'a str>) -> bool {
    names.any(|n| param(url, n).is_some())
}

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
    fn paths_hosts_and_params() {
        assert_eq!(
            path_of("https://shop.example/products/a?x=1#y"),
            "/products/a"
        );
        assert_eq!(path_of("https://shop.example"), "/");
        assert_eq!(path_of("/cart?x"), "/cart");
        assert_eq!(
            host_of("https://u:p@Shop.Example:8080/x").as_deref(),
            Some("shop.example")
        );
        assert_eq!(
            param("https://s/x?a=1&UTM_Medium=Email", "utm_medium"),
            Some("Email")
        );
        assert_eq!(
            param("https://s/x#utm_medium=email", "utm_medium"),
            Some("email")
        );
        assert_eq!(param("https://s/x?a=1", "b"), None);
    }

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

    #[test]
    fn landing_drops_query() {
        assert_eq!(
            path_of("https://s.example/products/a?email=a@b.c"),
            "/products/a"
        );
    }
}
