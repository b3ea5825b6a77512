//! An rmcp client that declares sampling, elicitation and roots, and records what it is sent.

use std::sync::{Arc, Mutex};

use rmcp::model::*;
use rmcp::service::{NotificationContext, RequestContext, RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{ClientHandler, ErrorData as McpError, ServiceExt};

#[derive(Clone, Default)]
pub struct TestClient {
    pub progress: Arc<Mutex<Vec<ProgressNotificationParam>>>,
    pub logs: Arc<Mutex<Vec<LoggingMessageNotificationParam>>>,
    pub tool_list_changed: Arc<Mutex<usize>>,
    pub resource_updates: Arc<Mutex<Vec<String>>>,
    /// Declare no capabilities (for capability gating tests).
    pub bare: bool,
}

#[allow(deprecated)]
impl ClientHandler for TestClient {
    async fn create_message(
        &self,
        params: CreateMessageRequestParams,
        _: RequestContext<RoleClient>,
    ) -> Result<CreateMessageResult, McpError> {
        // The reply repeats the prompt's text, so a test can see the request arrived whole.
        let content = params.messages.first().and_then(|m| serde_json::to_value(&m.content).ok()).unwrap_or_default();
        let asked = content.get("text").or_else(|| content.get(0).and_then(|c| c.get("text")));
        let asked = asked.and_then(|t| t.as_str()).unwrap_or("?").to_string();
        Ok(CreateMessageResult::new(SamplingMessage::assistant_text(format!("echo of {asked}")), "test-model".into()))
    }

    async fn create_elicitation(
        &self,
        _: ElicitRequestParams,
        _: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, McpError> {
        Ok(ElicitResult::new(ElicitationAction::Accept).with_content(serde_json::json!({"name": "Zed"})))
    }

    async fn list_roots(&self, _: RequestContext<RoleClient>) -> Result<ListRootsResult, McpError> {
        Ok(ListRootsResult::new(vec![Root::new("file:///a"), Root::new("file:///b")]))
    }

    async fn on_progress(&self, params: ProgressNotificationParam, _: NotificationContext<RoleClient>) {
        self.progress.lock().unwrap().push(params);
    }

    async fn on_logging_message(&self, params: LoggingMessageNotificationParam, _: NotificationContext<RoleClient>) {
        self.logs.lock().unwrap().push(params);
    }

    async fn on_tool_list_changed(&self, _: NotificationContext<RoleClient>) {
        *self.tool_list_changed.lock().unwrap() += 1;
    }

    async fn on_resource_updated(&self, params: ResourceUpdatedNotificationParam, _: NotificationContext<RoleClient>) {
        self.resource_updates.lock().unwrap().push(params.uri);
    }

    fn get_info(&self) -> ClientConfig {
        let caps = if self.bare {
            ClientCapabilities::default()
        } else {
            ClientCapabilities::builder().enable_roots().enable_sampling().enable_elicitation().build()
        };
        ClientConfig::new(caps, Implementation::new("mcpcp-it", "1.0.0"))
            .with_protocol_version(ProtocolVersion::V_2025_06_18)
    }
}

pub type Client = RunningService<RoleClient, TestClient>;

/// Connects through the gateway with `token`.
pub async fn connect(url: &str, token: &str, handler: TestClient) -> Result<Client, String> {
    let config = StreamableHttpClientTransportConfig::with_uri(url.to_string()).auth_header(token.to_string());
    let transport = StreamableHttpClientTransport::from_config(config);
    handler.serve(transport).await.map_err(|e| e.to_string())
}

/// The text of the first content block of a tool result.
pub fn text(result: &CallToolResult) -> String {
    result.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone()).unwrap_or_default()
}

pub fn args(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    v.as_object().cloned().unwrap_or_default()
}
