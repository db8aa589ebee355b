//! Helpers for the command families' unit tests: a server driven by
//! command lines, answering as redis-cli prints.

use alloc::string::String;
use alloc::vec::Vec;

use crate::redis::event::{ClientId, Event};
use crate::redis::parse::split_args;
use crate::redis::pubsub::PubSub;
use crate::redis::server::Server;

/// A server and its connections, for tests.
pub struct Sim {
    /// The server under test.
    pub server: Server,
}

impl Sim {
    /// A single server.
    pub fn new() -> Self {
        Sim {
            server: Server::default(),
        }
    }

    /// A cluster of `primaries` primaries with `replicas` replicas each.
    pub fn cluster(primaries: u16, replicas: u16) -> Self {
        let mut server = Server::default();
        server.pubsub = PubSub::with_cluster(primaries, replicas).expect("valid shape");
        Sim { server }
    }

    /// Opens a connection to node 0.
    pub fn client(&mut self, name: &str) -> ClientId {
        self.server.connect(name.as_bytes())
    }

    /// Opens a connection to cluster node `node`.
    pub fn client_on(&mut self, name: &str, node: u16) -> ClientId {
        self.server.connect_to_node(name.as_bytes(), node)
    }

    /// Runs `line` for `client` and returns what it received, as
    /// redis-cli prints it (nothing while it waits).
    pub fn run(&mut self, client: ClientId, line: &str) -> String {
        let argv = split_args(line.as_bytes()).expect("a valid command line");
        self.server.execute(client, &argv);
        self.replies(client)
    }

    /// What `client` received since it was last asked.
    pub fn replies(&mut self, client: ClientId) -> String {
        let bytes: Vec<u8> = self
            .server
            .take_replies(client)
            .iter()
            .flat_map(|r| r.to_cli())
            .collect();
        String::from_utf8(bytes).expect("UTF-8 replies")
    }

    /// The events recorded since the last call.
    pub fn events(&mut self) -> Vec<Event> {
        self.server.take_events()
    }
}

/// Owned bytes of a string, for building expected events.
pub fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}
