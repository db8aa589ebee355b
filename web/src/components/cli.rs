//! A redis-cli exchange: the prompt, a command, and its reply exactly as
//! redis-cli prints it.

use yew::prelude::*;

/// What redis-cli shows before a command.
pub const PROMPT: &str = "127.0.0.1:6379>";

/// Props of [`CliExchange`].
#[derive(Properties, PartialEq)]
pub struct CliExchangeProps {
    /// Who sent it (a script client, the console), when not the console.
    #[prop_or_default]
    pub client: Option<AttrValue>,
    /// The command line (empty for a reply that came later, as to a
    /// blocked read).
    pub line: AttrValue,
    /// The reply, as the engine rendered it.
    pub reply: AttrValue,
}

/// One command and its reply, in monospace, never reflowed.
#[component]
pub fn CliExchange(props: &CliExchangeProps) -> Html {
    html! {
        <div class="cli__exchange">
            <div class="cli__line">
                if let Some(client) = &props.client {
                    <span class="cli__client">{ client }</span>
                }
                <span class="cli__prompt" aria-hidden="true">{ PROMPT }</span>
                <span class="cli__command">{ &props.line }</span>
            </div>
            <pre class="cli__reply">{ props.reply.trim_end() }</pre>
        </div>
    }
}
