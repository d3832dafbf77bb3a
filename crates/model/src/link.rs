//! Addresses that become links (a source's `url`): only `http` and `https` are accepted,
//! so that no `javascript:` or `data:` address ever reaches a page, a report or another
//! consumer of the data. DOIs and handles, which the field cites as often as web
//! addresses, are accepted in their usual short forms and stored as their resolvers'
//! https addresses.

const DOI_RESOLVER: &str = "https://doi.org/";
const HANDLE_RESOLVER: &str = "https://hdl.handle.net/";

/// `text` as the address to store: an `http(s)://host…` address as it is, `doi:10.…`
/// or a bare `10.NNNN/…` DOI as `https://doi.org/10.…`, `hdl:…` as
/// `https://hdl.handle.net/…`. Anything else is refused with a sentence saying why.
pub fn normalise(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{text:?} contains {c:?}: an address has no spaces or control characters"));
    }
    let lower = text.to_ascii_lowercase();
    if let Some(doi) = strip_prefix_ignoring_case(text, "doi:").or_else(|| text.starts_with("10.").then_some(text)) {
        return resolved(DOI_RESOLVER, doi, is_doi, "a DOI is 10.NNNN/suffix");
    }
    if let Some(handle) = strip_prefix_ignoring_case(text, "hdl:") {
        return resolved(HANDLE_RESOLVER, handle, is_handle, "a handle is prefix/suffix");
    }
    let Some(rest) = ["https://", "http://"].iter().find_map(|s| lower.starts_with(s).then(|| &text[s.len()..])) else {
        return Err(format!(
            "`{}` is not a web address: only http:// and https:// addresses (or doi:… and hdl:… identifiers) are accepted",
            short(text)
        ));
    };
    if let Some(c) = rest.chars().find(|c| matches!(c, '"' | '<' | '>' | '\\' | '`')) {
        return Err(format!("`{}` contains {c}: percent-encode it (e.g. %22 for \")", short(text)));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let valid_host = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && host.chars().any(|c| c.is_ascii_alphanumeric());
    if !valid_host {
        return Err(format!("`{}` names no host: write it as https://host/path", short(text)));
    }
    Ok(text.to_owned())
}

/// True when `url` may be written as a link as it is: an http(s) address that
/// [`normalise`] keeps unchanged.
pub fn is_web_address(url: &str) -> bool {
    normalise(url).is_ok_and(|n| n == url)
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn resolved(resolver: &str, id: &str, valid: fn(&str) -> bool, form: &str) -> Result<String, String> {
    if !valid(id) {
        return Err(format!("`{}` is not an identifier pactbase can link: {form}", short(id)));
    }
    // Characters that would end or break an address are percent-encoded.
    let mut out = String::from(resolver);
    for c in id.chars() {
        match c {
            '"' | '<' | '>' | '#' | '%' | '?' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// `10.` + a registrant code of digits and dots, `/`, a non-empty suffix.
fn is_doi(id: &str) -> bool {
    let Some((prefix, suffix)) = id.split_once('/') else { return false };
    let Some(code) = prefix.strip_prefix("10.") else { return false };
    !code.is_empty() && code.chars().all(|c| c.is_ascii_digit() || c == '.') && !suffix.is_empty()
}

/// A naming authority, `/`, a non-empty local name.
fn is_handle(id: &str) -> bool {
    matches!(id.split_once('/'), Some((prefix, suffix)) if !prefix.is_empty() && !suffix.is_empty())
}

/// An address quoted in a message, cut short when long.
fn short(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn web_addresses_are_kept_as_they_are() {
        for ok in [
            "https://www.nato.int/cps/en/natohq/official_texts_17120.htm",
            "http://www.atopdata.org/",
            "HTTPS://EXAMPLE.ORG",
            "https://[2001:db8::1]:8080/x?a=1#b",
        ] {
            assert_eq!(normalise(ok).as_deref(), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn only_stored_web_addresses_are_links() {
        assert!(is_web_address("https://example.org/x"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address("doi:10.1093/isq/sqw045"), "normalised before it is stored");
    }

    #[test]
    fn dois_and_handles_become_resolver_addresses() {
        assert_eq!(normalise("doi:10.1080/03050620208434",).unwrap(), "https://doi.org/10.1080/03050620208434");
        assert_eq!(normalise("DOI:10.1177/0022002705281669").unwrap(), "https://doi.org/10.1177/0022002705281669");
        assert_eq!(normalise("10.1093/isq/sqw045").unwrap(), "https://doi.org/10.1093/isq/sqw045");
        assert_eq!(
            normalise("10.1002/(SICI)1097-4571<3.0.CO;2-#").unwrap(),
            "https://doi.org/10.1002/(SICI)1097-4571%3C3.0.CO;2-%23"
        );
        assert_eq!(normalise("hdl:2027/mdp.39015").unwrap(), "https://hdl.handle.net/2027/mdp.39015");
    }

    #[test]
    fn other_schemes_and_malformed_addresses_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "//evil.example/x",
            "ftp://example.org/x",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "https://example.org/\u{0}",
            "https://ex\"ample.org",
            "https://example.org/<script>",
            "www.nato.int",
            "doi:10.1080",
            "doi:11.1/x",
            "hdl:/x",
            "",
        ] {
            assert!(normalise(bad).is_err(), "{bad:?} should be refused");
        }
    }

    proptest! {
        #[test]
        fn whatever_is_accepted_is_an_http_address(text in "\\PC{0,40}") {
            if let Ok(url) = normalise(&text) {
                let lower = url.to_ascii_lowercase();
                prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"), "{url}");
                prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<'), "{url}");
            }
        }
    }
}
