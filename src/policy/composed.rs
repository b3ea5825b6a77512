//! A composed server as the gateway serves it: its tools, each forwarding to a tool of another
//! server, and the `tools/list` its clients see. The snapshot builds it; a call's grant to the
//! source server is [`super::compose`]'s.

use std::collections::HashMap;
use std::sync::Arc;

/// A composed server's tools.
#[derive(Debug)]
pub struct Composed {
    /// By the name clients call.
    pub tools: HashMap<String, ComposedTool>,
    /// The `tools` array of its `tools/list` result (JSON): the tools whose source is offered.
    pub catalogue: Arc<str>,
}

impl Default for Composed {
    fn default() -> Self {
        Composed { tools: HashMap::new(), catalogue: Arc::from("[]") }
    }
}

/// One tool of a composed server.
#[derive(Debug)]
pub struct ComposedTool {
    /// `None`: the source server was deleted.
    pub source_server_id: Option<i64>,
    /// The source server's name (as it was, once deleted).
    pub source_server: String,
    pub source_tool: String,
    /// The arguments the gateway sets, and their values (JSON).
    pub fixed: Vec<(String, serde_json::Value)>,
    /// The optional arguments a client's value is dropped for.
    pub hidden: Vec<String>,
    /// Why a call is refused now, as the snapshot was built (the source tool stopped or gone, its
    /// server deleted); `None`: it is offered.
    pub unavailable: Option<String>,
}

impl ComposedTool {
    /// `SERVER:TOOL`.
    pub fn origin(&self) -> String {
        format!("{}:{}", self.source_server, self.source_tool)
    }

    /// The arguments to send the source tool: the client's, less the hidden and fixed ones, plus
    /// the fixed values (a client's value for a fixed argument is replaced).
    pub fn arguments(&self, mut client: serde_json::Map<String, serde_json::Value>) -> serde_json::Value {
        for name in &self.hidden {
            client.remove(name);
        }
        for (name, value) in &self.fixed {
            client.insert(name.clone(), value.clone());
        }
        serde_json::Value::Object(client)
    }
}
