//! Text made safe inside markup: the one escape for every SVG, GraphML, GEXF and HTML
//! fragment pactbase writes by hand (maud escapes the pages and the report itself).

/// `text` as XML 1.0 / HTML character data or an attribute value in either quote:
/// the five special characters as entities, and control characters other than tab and
/// newlines, which XML 1.0 does not allow, left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn special_and_control_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b\tc\nd"), "ab\tc\nd");
        assert_eq!(escape("Côte d’Ivoire"), "Côte d’Ivoire");
    }
}
