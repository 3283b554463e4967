//! The parts of a URL the engine reads: the path, the host, and query or fragment parameters.
//!
//! Deliberately minimal (no IDNA, no normalisation): the `url` crate would triple the wasm.

use super::text;
use alloc::string::String;

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

/// Whether `url` has any of the parameters `names`.
pub fn has_param<'a>(url: &str, mut names: impl Iterator<Item = &'a str>) -> bool {
    names.any(|n| param(url, n).is_some())
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
    fn landing_drops_query() {
        assert_eq!(
            path_of("https://s.example/products/a?email=a@b.c"),
            "/products/a"
        );
    }
}
