//! Renderers: pure functions from domain views to text, one module per format, writing
//! to any `Write`. Data goes to stdout; messages go to stderr from the commands.

pub mod document;
pub mod json;
pub mod table;
pub mod wrap;

/// How tables and the `show` layout look: colours only on a terminal without NO_COLOR.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}
