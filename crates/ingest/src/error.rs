use std::fmt;

/// One problem in an input file, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    /// 1-based line, when the problem is at a place in the file.
    pub line: Option<usize>,
    /// 1-based column (characters for TOML, field number for CSV).
    pub column: Option<usize>,
    /// The field, e.g. `members[3].state`.
    pub field: Option<String>,
    pub message: String,
    /// The file could not be read at all (missing, unreadable): an I/O failure, not a
    /// problem in its data.
    pub unreadable: bool,
}

impl DataError {
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_owned(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            unreadable: false,
        }
    }

    /// `file` could not be opened or read: `what` failed with `e`.
    pub fn unreadable(file: &str, what: &str, e: &std::io::Error) -> Self {
        DataError { unreadable: true, ..DataError::file(file, format!("{what}: {e}")) }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Locates the error at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        self.at(line, column)
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one load; a load with any problem is refused whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

impl DataErrors {
    /// True when an input could not be read at all, so that its data was never checked.
    pub fn unreadable(&self) -> bool {
        self.0.iter().any(|e| e.unreadable)
    }
}

/// Problems listed in a message; a file wrong on every row would otherwise print one
/// line per row (17,000 for NMC with two columns swapped).
const LISTED: usize = 100;

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        let s = if n == 1 { "" } else { "s" };
        if self.unreadable() {
            writeln!(f, "{n} problem{s} reading the input; nothing was loaded:")?;
        } else {
            writeln!(f, "{n} problem{s} in the data; nothing was loaded:")?;
        }
        for e in self.0.iter().take(LISTED) {
            writeln!(f, "  {e}")?;
        }
        if n > LISTED {
            writeln!(f, "  … and {} more (fix these first: the rest are often the same mistake)", n - LISTED)?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbb = 2\n";
        let e = DataError::file("x.toml", "bad").at_offset(text, 9);
        assert_eq!((e.line, e.column), (Some(2), Some(4)));
        assert_eq!(e.field("bb").to_string(), "x.toml:2:4: bb: bad");
    }

    #[test]
    fn a_long_list_of_problems_is_cut_short_with_a_count() {
        let errors = DataErrors((1..=150).map(|line| DataError::file("x.csv", "bad").at(line, 1)).collect());
        let text = errors.to_string();
        assert!(text.starts_with("150 problems in the data"));
        assert!(text.contains("x.csv:100:1: bad") && !text.contains("x.csv:101:1"));
        assert!(text.contains("… and 50 more"), "{text}");
    }
}
