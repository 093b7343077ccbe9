//! A small Rust lexer for the checks: identifiers, punctuation and string
//! literals with their line numbers, comments dropped. Reading tokens rather
//! than text means a `{` in a string, a `crate::` in a comment or a lifetime
//! never confuses a check (the tests crate does not depend on `syn`, and
//! line numbers from `proc-macro2` would need a feature that rebuilds the
//! whole workspace).

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword (`r#` stripped).
    Ident(String),
    /// One punctuation character; `::` is two `:` tokens.
    Punct(char),
    /// A string literal's text between its quotes, escapes left as written.
    Str(String),
    /// A number, character, byte or lifetime: nothing a check reads.
    Other,
}

/// A token and the 1-based line it starts on.
#[derive(Debug, Clone)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Where it starts.
    pub line: usize,
}

impl Token {
    /// Whether this is the identifier `name`.
    pub fn is_ident(&self, name: &str) -> bool {
        matches!(&self.kind, Kind::Ident(id) if id == name)
    }

    /// Whether this is the punctuation `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// The identifier, if it is one.
    pub fn ident(&self) -> Option<&str> {
        match &self.kind {
            Kind::Ident(id) => Some(id),
            _ => None,
        }
    }
}

/// Whether `tokens[at]` and `tokens[at + 1]` spell `::`.
pub fn is_path_sep(tokens: &[Token], at: usize) -> bool {
    tokens.get(at).is_some_and(|t| t.is_punct(':'))
        && tokens.get(at + 1).is_some_and(|t| t.is_punct(':'))
}

/// `toks` without the `mod tests { }` blocks (this codebase's unit tests),
/// for checks about library code.
pub fn without_tests(toks: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut skipping: Option<usize> = None;
    let mut depth = 0usize;
    for (i, tok) in toks.iter().enumerate() {
        let opens_tests = tok.is_ident("mod")
            && toks.get(i + 1).is_some_and(|t| t.is_ident("tests"))
            && toks.get(i + 2).is_some_and(|t| t.is_punct('{'));
        if skipping.is_none() && opens_tests {
            skipping = Some(depth);
        }
        if tok.is_punct('{') {
            depth += 1;
        } else if tok.is_punct('}') {
            depth = depth.saturating_sub(1);
            if skipping == Some(depth) {
                skipping = None;
                continue;
            }
        }
        if skipping.is_none() {
            out.push(tok.clone());
        }
    }
    out
}

/// The tokens of a Rust source file. Malformed input (an unclosed string or
/// comment) ends the token list early instead of failing.
pub fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer {
        chars: &chars,
        at: 0,
        line: 1,
        out: Vec::new(),
    };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    chars: &'a [char],
    at: usize,
    line: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn push(&mut self, kind: Kind, line: usize) {
        self.out.push(Token { kind, line });
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let line = self.line;
            match c {
                _ if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.peek(1) == Some('/') => self.line_comment(),
                '/' if self.peek(1) == Some('*') => self.block_comment(),
                '"' => {
                    self.bump();
                    let text = self.quoted();
                    self.push(Kind::Str(text), line);
                }
                '\'' => self.char_or_lifetime(),
                _ if c.is_ascii_digit() => self.number(),
                _ if c == '_' || c.is_alphabetic() => self.word(),
                _ => {
                    self.bump();
                    self.push(Kind::Punct(c), line);
                }
            }
        }
    }

    fn line_comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    /// Block comments nest in Rust.
    fn block_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            if c == '/' && self.peek(1) == Some('*') {
                depth += 1;
                self.bump();
            } else if c == '*' && self.peek(1) == Some('/') {
                depth -= 1;
                self.bump();
                if depth == 0 {
                    self.bump();
                    return;
                }
            }
            self.bump();
        }
    }

    /// The rest of a `"`-string after its opening quote.
    fn quoted(&mut self) -> String {
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    text.push(c);
                    text.extend(self.bump());
                }
                '"' => break,
                _ => text.push(c),
            }
        }
        text
    }

    /// The rest of a raw string after its `r`: `#`s, quote, text, quote, `#`s.
    fn raw_quoted(&mut self) -> String {
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            hashes += 1;
            self.bump();
        }
        self.bump(); // the opening quote
        let mut text = String::new();
        while let Some(c) = self.bump() {
            if c == '"' && (0..hashes).all(|i| self.peek(i) == Some('#')) {
                for _ in 0..hashes {
                    self.bump();
                }
                break;
            }
            text.push(c);
        }
        text
    }

    /// `'a'`, `'\n'` and `'\u{1F600}'` are characters; `'a` and `'static`
    /// are lifetimes.
    fn char_or_lifetime(&mut self) {
        let line = self.line;
        self.bump();
        if self.peek(0) == Some('\\') {
            while let Some(c) = self.bump() {
                if c == '\\' {
                    self.bump();
                } else if c == '\'' {
                    break;
                }
            }
        } else if self.peek(1) == Some('\'') {
            self.bump();
            self.bump();
        } else {
            while self
                .peek(0)
                .is_some_and(|c| c == '_' || c.is_alphanumeric())
            {
                self.bump();
            }
        }
        self.push(Kind::Other, line);
    }

    /// Digits, suffixes and a fraction; `1..2` stays a range.
    fn number(&mut self) {
        let line = self.line;
        while let Some(c) = self.peek(0) {
            let fraction = c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit());
            if c == '_' || c.is_alphanumeric() || fraction {
                self.bump();
            } else {
                break;
            }
        }
        self.push(Kind::Other, line);
    }

    /// An identifier, or the prefix of a literal (`r"`, `r#"`, `b"`, `br"`,
    /// `b'x'`, `c"`), or a raw identifier (`r#type`).
    fn word(&mut self) {
        let line = self.line;
        let start = self.at;
        while self
            .peek(0)
            .is_some_and(|c| c == '_' || c.is_alphanumeric())
        {
            self.bump();
        }
        let word: String = self.chars[start..self.at].iter().collect();
        let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
        match self.peek(0) {
            Some('"') if matches!(word.as_str(), "b" | "c") => {
                self.bump();
                let text = self.quoted();
                self.push(Kind::Str(text), line);
            }
            Some('"') if raw_prefix => {
                let text = self.raw_quoted();
                self.push(Kind::Str(text), line);
            }
            Some('#') if raw_prefix && matches!(self.peek(1), Some('#' | '"')) => {
                let text = self.raw_quoted();
                self.push(Kind::Str(text), line);
            }
            Some('#') if word == "r" => {
                self.bump();
                let start = self.at;
                while self
                    .peek(0)
                    .is_some_and(|c| c == '_' || c.is_alphanumeric())
                {
                    self.bump();
                }
                let ident: String = self.chars[start..self.at].iter().collect();
                self.push(Kind::Ident(ident), line);
            }
            Some('\'') if word == "b" => self.char_or_lifetime(),
            _ => self.push(Kind::Ident(word), line),
        }
    }
}

/// The kinds of `text`'s tokens.
fn kinds(text: &str) -> Vec<Kind> {
    tokens(text).into_iter().map(|t| t.kind).collect()
}

#[test]
fn strings_comments_and_lifetimes_hide_nothing_and_invent_nothing() {
    let text =
        "fn a<'x>(c: char) { // }\n/* { /* } */ */ let s = r#\"}\"#; let q = '}'; let e = '\\''; }";
    let braces: Vec<usize> = tokens(text)
        .iter()
        .filter(|t| t.is_punct('{') || t.is_punct('}'))
        .map(|t| t.line)
        .collect();
    assert_eq!(braces, [1, 2]);
    assert!(
        kinds("b\"x{\" br#\"}\"#")
            .iter()
            .all(|k| matches!(k, Kind::Str(_)))
    );
    assert_eq!(kinds("r#type"), [Kind::Ident("type".into())]);
}
