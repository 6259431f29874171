//! The Python subset pyVmomi's registry files are written in, read as data.
//!
//! A statement is either an import (skipped), or a call whose arguments are literals:
//! strings (either quote, with backslash escapes), integers, `None`/`True`/`False`, names,
//! `A | B` flag expressions, tuples and lists. Newlines inside brackets and after a
//! backslash continue the line; `#` starts a comment. Anything else is a diagnostic at its
//! position and the rest of that logical line is skipped — never a panic, never a guess.

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, Span};

/// Nesting deeper than this is not in any registry file; the bound keeps recursion (and the
/// stack) small whatever the input.
const MAX_DEPTH: usize = 32;

/// A literal argument with the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    None,
    Bool(bool),
    /// A bare (possibly dotted) name, such as `F_OPTIONAL`.
    Name(String),
    /// `A | B | ...`, two or more operands.
    Or(Vec<Node>),
    Tuple(Vec<Node>),
    List(Vec<Node>),
}

/// `func(args...)` at statement level. `func` may be dotted (`newestVersions.Add`).
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub func: String,
    pub func_span: Span,
    pub args: Vec<Node>,
    /// From the name to the closing parenthesis.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    Str(String),
    Int(i64),
    Open(u8),
    Close(u8),
    Comma,
    Pipe,
    Minus,
    /// The end of a logical line.
    Newline,
    /// A character outside the subset.
    Other(char),
    Eof,
}

/// The tokenizer: bytes -> tokens, tracking bracket depth so that newlines inside brackets
/// are not line ends (Python's implicit continuation).
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    file: FileId,
}

impl<'a> Lexer<'a> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.pos)
    }

    /// The next token and its span; lexical errors are pushed and lexing goes on.
    fn next(&mut self, diags: &mut Diagnostics) -> (Tok, Span) {
        let b = self.text.as_bytes();
        loop {
            match b.get(self.pos) {
                Some(b' ' | b'\t' | b'\x0c' | b'\r') => self.pos += 1,
                Some(b'#') => {
                    while self.pos < b.len() && b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                Some(b'\\') if matches!(b.get(self.pos + 1), Some(b'\n')) => self.pos += 2,
                Some(b'\\') if b.get(self.pos + 1) == Some(&b'\r') && b.get(self.pos + 2) == Some(&b'\n') => self.pos += 3,
                Some(b'\n') if self.depth > 0 => self.pos += 1,
                _ => break,
            }
        }
        let start = self.pos;
        let Some(&c) = b.get(self.pos) else {
            return (Tok::Eof, self.span(start));
        };
        self.pos += 1;
        let tok = match c {
            b'\n' => Tok::Newline,
            b'(' | b'[' => {
                self.depth += 1;
                Tok::Open(c)
            }
            b')' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                Tok::Close(c)
            }
            b',' => Tok::Comma,
            b'|' => Tok::Pipe,
            b'-' => Tok::Minus,
            b'"' | b'\'' => self.string(c, start, diags),
            b'0'..=b'9' => self.number(start, diags),
            c if c == b'_' || c.is_ascii_alphabetic() => {
                while b.get(self.pos).is_some_and(|&c| c == b'_' || c == b'.' || c.is_ascii_alphanumeric()) {
                    self.pos += 1;
                }
                Tok::Name(self.text[start..self.pos].to_string())
            }
            _ => {
                // Step over the whole character so spans stay on character boundaries.
                let ch = self.text[start..].chars().next().unwrap_or('\u{fffd}');
                self.pos = start + ch.len_utf8();
                Tok::Other(ch)
            }
        };
        (tok, self.span(start))
    }

    fn number(&mut self, start: usize, diags: &mut Diagnostics) -> Tok {
        let b = self.text.as_bytes();
        while b.get(self.pos).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.') {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        match text.parse::<i64>() {
            Ok(n) => Tok::Int(n),
            Err(_) => {
                diags.push(
                    Diagnostic::new(Kind::PySyntax, format!("`{text}` is not a decimal integer"))
                        .at(self.span(start))
                        .note("the registry subset has decimal integers only"),
                );
                Tok::Int(0)
            }
        }
    }

    /// A string literal; `quote` was just read. Triple quotes and prefixes are outside the
    /// subset (a prefix lexes as a name and fails in the parser).
    fn string(&mut self, quote: u8, start: usize, diags: &mut Diagnostics) -> Tok {
        let b = self.text.as_bytes();
        if b.get(self.pos) == Some(&quote) && b.get(self.pos + 1) == Some(&quote) {
            self.pos += 2;
            diags.push(Diagnostic::new(Kind::PyUnsupported, "triple-quoted strings are not in the registry subset").at(self.span(start)));
            return Tok::Str(String::new());
        }
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match b.get(self.pos) {
                None | Some(b'\n') => {
                    diags.push(Diagnostic::new(Kind::PySyntax, "unterminated string").at(self.span(start)).label("the string starts here"));
                    // The line is lost: let its newline end it, so the next line is read.
                    self.depth = 0;
                    out.push_str(&self.text[run..self.pos]);
                    return Tok::Str(out);
                }
                Some(&c) if c == quote => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Tok::Str(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out, diags);
                    run = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// One backslash escape at `pos`, appended to `out`.
    fn escape(&mut self, out: &mut String, diags: &mut Diagnostics) {
        let at = self.pos;
        self.pos += 1;
        let Some(ch) = self.text[self.pos..].chars().next() else { return };
        self.pos += ch.len_utf8();
        match ch {
            '\\' | '\'' | '"' => out.push(ch),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '\n' => {}
            _ => {
                diags.push(
                    Diagnostic::new(Kind::PyUnsupported, format!("the escape `\\{ch}` is not in the registry subset")).at(self.span(at)),
                );
                out.push(ch);
            }
        }
    }
}

/// The parser: one token of lookahead over the lexer.
struct Parser<'a> {
    lex: Lexer<'a>,
    tok: Tok,
    span: Span,
}

/// Reads one file into its call statements. Imports are skipped; everything else that is
/// not a call of literals is a diagnostic.
pub fn parse_file(file: FileId, text: &str, diags: &mut Diagnostics) -> Vec<Call> {
    let mut lex = Lexer { text, pos: 0, depth: 0, file };
    let (tok, span) = lex.next(diags);
    let mut p = Parser { lex, tok, span };
    let mut calls = Vec::new();
    loop {
        match &p.tok {
            Tok::Eof => return calls,
            Tok::Newline => p.bump(diags),
            Tok::Name(n) if n == "from" || n == "import" => p.skip_line(diags),
            _ => {
                let before = diags.list.len();
                let first = p.span.start;
                match p.statement(diags) {
                    Ok(call) if diags.list.len() == before => calls.push(call),
                    // The lexer reported this line already: the call is incomplete.
                    Ok(_) => {}
                    Err(d) => {
                        // After a lexical error (an unterminated string) the parser's
                        // complaint is a consequence, not news.
                        if diags.list.len() == before {
                            diags.push(d);
                        }
                        // A statement that stopped at the next line's first name (an
                        // unclosed bracket) leaves that name to start the next statement.
                        if p.span.start == first || !p.name_at_line_start() {
                            p.skip_line(diags);
                        } else {
                            p.lex.depth = 0;
                        }
                    }
                }
            }
        }
    }
}

type PResult<T> = Result<T, Diagnostic>;

impl Parser<'_> {
    fn bump(&mut self, diags: &mut Diagnostics) {
        (self.tok, self.span) = self.lex.next(diags);
    }

    /// Skips to the start of the next logical line. Brackets left open by a bad statement
    /// are closed first, so one error does not swallow the rest of the file.
    /// A name at column 1 also starts a new statement: an unclosed bracket would otherwise
    /// carry the error into the next line, which the files never continue that way.
    /// Always consumes the current token (unless it ends the line), so the caller's loop
    /// makes progress.
    fn skip_line(&mut self, diags: &mut Diagnostics) {
        self.lex.depth = 0;
        while !matches!(self.tok, Tok::Newline | Tok::Eof) {
            self.bump(diags);
            self.lex.depth = 0;
            if self.name_at_line_start() {
                break;
            }
        }
    }

    fn name_at_line_start(&self) -> bool {
        let start = self.span.start as usize;
        matches!(self.tok, Tok::Name(_)) && (start == 0 || self.lex.text.as_bytes().get(start - 1) == Some(&b'\n'))
    }

    fn unexpected(&self, wanted: &str) -> Diagnostic {
        let found = match &self.tok {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Str(_) => "a string".into(),
            Tok::Int(_) => "a number".into(),
            Tok::Open(c) | Tok::Close(c) => format!("`{}`", *c as char),
            Tok::Comma => "`,`".into(),
            Tok::Pipe => "`|`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Newline => "the end of the line".into(),
            Tok::Other(c) => format!("`{}`", c.escape_default()),
            Tok::Eof => "the end of the file".into(),
        };
        Diagnostic::new(Kind::PySyntax, format!("expected {wanted}, found {found}")).at(self.span).label(format!("expected {wanted}"))
    }

    /// `name(args)` then the end of the line.
    fn statement(&mut self, diags: &mut Diagnostics) -> PResult<Call> {
        let Tok::Name(func) = &self.tok else {
            return Err(self.unexpected("a call or an import").note("the registry subset is calls of literals"));
        };
        let (func, func_span) = (func.clone(), self.span);
        self.bump(diags);
        if self.tok != Tok::Open(b'(') {
            return Err(self.unexpected("`(`").note("the registry subset has no assignments or other statements"));
        }
        let (args, _, end) = self.sequence(b')', 1, diags)?;
        if !matches!(self.tok, Tok::Newline | Tok::Eof) {
            return Err(self.unexpected("the end of the line"));
        }
        Ok(Call { func, func_span, args, span: Span::new(func_span.file, func_span.start as usize, end.end as usize) })
    }

    /// Comma-separated expressions after an opening bracket (the current token) up to
    /// `close`; a trailing comma is allowed. Returns the items, whether the last one was
    /// followed by a comma (`(x,)` is a tuple, `(x)` is not), and the closing span.
    fn sequence(&mut self, close: u8, depth: usize, diags: &mut Diagnostics) -> PResult<(Vec<Node>, bool, Span)> {
        if depth > MAX_DEPTH {
            return Err(Diagnostic::new(Kind::PyUnsupported, format!("brackets nested deeper than {MAX_DEPTH}")).at(self.span));
        }
        self.bump(diags);
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            if self.tok == Tok::Close(close) {
                let end = self.span;
                self.bump(diags);
                return Ok((items, comma, end));
            }
            items.push(self.expr(depth, diags)?);
            match &self.tok {
                Tok::Comma => {
                    comma = true;
                    self.bump(diags);
                }
                Tok::Close(c) if *c == close => comma = false,
                _ => return Err(self.unexpected(&format!("`,` or `{}`", close as char))),
            }
        }
    }

    /// `atom ('|' atom)*`.
    fn expr(&mut self, depth: usize, diags: &mut Diagnostics) -> PResult<Node> {
        let first = self.atom(depth, diags)?;
        if self.tok != Tok::Pipe {
            return Ok(first);
        }
        let mut ops = vec![first];
        while self.tok == Tok::Pipe {
            self.bump(diags);
            ops.push(self.atom(depth, diags)?);
        }
        let span = Span::new(ops[0].span.file, ops[0].span.start as usize, ops[ops.len() - 1].span.end as usize);
        Ok(Node { value: Value::Or(ops), span })
    }

    fn atom(&mut self, depth: usize, diags: &mut Diagnostics) -> PResult<Node> {
        let start = self.span;
        let value = match &self.tok {
            Tok::Str(s) => Value::Str(s.clone()),
            Tok::Int(n) => Value::Int(*n),
            Tok::Minus => {
                self.bump(diags);
                let Tok::Int(n) = self.tok else { return Err(self.unexpected("a number after `-`")) };
                Value::Int(n.saturating_neg())
            }
            Tok::Name(n) => match n.as_str() {
                "None" => Value::None,
                "True" => Value::Bool(true),
                "False" => Value::Bool(false),
                _ => Value::Name(n.clone()),
            },
            Tok::Open(open) => return self.bracketed(*open, depth, diags),
            _ => return Err(self.unexpected("a literal, a name, `(` or `[`")),
        };
        let span = Span::new(start.file, start.start as usize, self.span.end as usize);
        self.bump(diags);
        if matches!(self.tok, Tok::Str(_)) && matches!(value, Value::Name(_)) {
            return Err(
                Diagnostic::new(Kind::PyUnsupported, "string prefixes (r\"\", b\"\", f\"\"...) are not in the registry subset").at(start)
            );
        }
        Ok(Node { value, span })
    }

    /// `( ... )` (a tuple, or one parenthesized expression) or `[ ... ]` (a list).
    fn bracketed(&mut self, open: u8, depth: usize, diags: &mut Diagnostics) -> PResult<Node> {
        let start = self.span;
        let close = if open == b'(' { b')' } else { b']' };
        let (mut items, comma, end) = self.sequence(close, depth + 1, diags)?;
        let span = Span::new(start.file, start.start as usize, end.end as usize);
        if open == b'(' {
            if items.len() == 1 && !comma {
                return Ok(items.pop().expect("one item"));
            }
            return Ok(Node { value: Value::Tuple(items), span });
        }
        Ok(Node { value: Value::List(items), span })
    }
}
