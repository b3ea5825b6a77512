
use builtin;
use str;

set edit:completion:arg-completer[mcpcp] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mcpcp'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mcpcp'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Run the gateway: every enabled server at /mcp/NAME'
            cand server 'Upstream MCP servers exposed by the gateway'
            cand tool 'The tools of a server, and which are offered'
            cand token 'Server-scoped API tokens'
            cand user 'End users'
            cand group 'Groups of users, and the servers they grant'
            cand key 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)'
            cand sso 'Single sign-on through an external OpenID Connect provider'
            cand logs 'The activity log: every request the gateway received'
            cand admin 'Administrators other than the person at the machine, their roles and API tokens'
            cand role 'Admin roles: sets of permissions, built-in and custom'
            cand audit 'The audit trail of administrative changes'
            cand siem 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)'
            cand config 'The process configuration'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;serve'= {
            cand --listen 'Address to listen on [env: MCPCP_LISTEN] [default: 127.0.0.1:7330]'
            cand --public-url 'The externally visible base URL, used in every discovery document [env: MCPCP_PUBLIC_URL]'
            cand --tls-cert 'TLS certificate chain (PEM) [env: MCPCP_TLS_CERT]'
            cand --tls-key 'TLS private key (PEM) [env: MCPCP_TLS_KEY]'
            cand --metrics-listen 'Also serve the Prometheus metrics at /metrics on this address [env: MCPCP_METRICS_LISTEN] [default: off]'
            cand --admin-listen 'Serve the admin API (/api/v1) on this address instead of the main listener [env: MCPCP_ADMIN_LISTEN] [default: the main listener]'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --tls-self-signed 'Serve TLS with a self-signed certificate kept in the data directory'
            cand --insecure-http 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME'
            cand list 'List servers'
            cand show 'Show one server with its tools, tokens and groups'
            cand connections 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
            cand connect 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)'
            cand disconnect 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)'
            cand rename 'Rename a server (its URL path changes with it)'
            cand delete 'Delete a server with its tools, tokens and group grants'
            cand enable 'Enable a disabled server'
            cand disable 'Disable a server: clients are refused until it is enabled'
            cand capture 'Set what the activity log keeps of the server''s requests'
            cand limits 'Rate limits and usage quotas on tools/call; no flags shows them'
            cand upstream-auth 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
            cand identity 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
            cand refresh 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes'
            cand tool 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden'
            cand ip 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;create'= {
            cand --url 'A remote MCP server (Streamable HTTP, falling back to HTTP+SSE)'
            cand --command 'A local MCP server started as a process speaking stdio, e.g. "npx -y @modelcontextprotocol/server-everything"'
            cand --openapi 'A REST API: its OpenAPI 3.0/3.1 document (JSON), a file or an http(s) URL; its operations become the tools'
            cand --base-url 'With --openapi: the API''s base URL (http or https), which operation paths are appended to'
            cand --operations 'With --openapi: import only these operations (operationIds, comma separated)'
            cand --tag 'With --openapi: import only the operations with this tag'
            cand --env 'An environment variable for the process (repeatable); values are encrypted at rest'
            cand --auth 'How clients authenticate'
            cand --description 'What the server is for'
            cand --capture 'What the activity log keeps: full (with inputs and outputs), metadata, or off'
            cand --upstream-auth 'How the gateway authenticates to the upstream: none, or header (the --header values with every request)'
            cand --header 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest'
            cand --client-id 'With --upstream-auth oauth: mcpcp''s client id at the upstream''s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there'
            cand --scopes 'The scopes to ask for, space separated [default: what the upstream advertises]'
            cand --authorization-url 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)'
            cand --token-url 'The token endpoint (with --authorization-url)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --composed 'No upstream of its own: its tools are picked from other servers with `server tool add`'
            cand --skip-unsupported 'With --openapi: import what is supported and list what was skipped, instead of refusing'
            cand --value-stdin 'Read the --header values from standard input: one line each, in the order of the flags'
            cand --client-secret-stdin 'Read that client''s secret from standard input (its first line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;connections'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;connect'= {
            cand --timeout 'How long the link works and the command waits for the sign-in (at most 10m)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;disconnect'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;rename'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;delete'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;enable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;disable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;capture'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;limits'= {
            cand --rate 'Rate limit: N calls per INTERVAL, e.g. 100/1m, 5/1s, 1000/1d (GCRA: smooth, no fixed windows)'
            cand --burst 'Calls admitted at once from rest (default: N)'
            cand --quota 'Usage quota: N calls per calendar PERIOD (hour, day, week, month); refused until the period ends'
            cand --timezone 'The quota''s time zone (IANA name, e.g. Europe/Berlin): periods start at local midnight [default: UTC]'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --no-rate 'Remove the rate limit'
            cand --no-quota 'Remove the quota'
            cand --per-user 'The limits apply to each principal (user or token) on its own, beside the server-wide ones'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;upstream-auth'= {
            cand --header 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest'
            cand --client-id 'With --upstream-auth oauth: mcpcp''s client id at the upstream''s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there'
            cand --scopes 'The scopes to ask for, space separated [default: what the upstream advertises]'
            cand --authorization-url 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)'
            cand --token-url 'The token endpoint (with --authorization-url)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --value-stdin 'Read the --header values from standard input: one line each, in the order of the flags'
            cand --client-secret-stdin 'Read that client''s secret from standard input (its first line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;identity'= {
            cand --forward 'none, or any of headers, jwt, meta joined by commas (e.g. headers,jwt)'
            cand --jwt-header 'The header the signed JWT travels in [default: X-MCPCP-Identity]'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;refresh'= {
            cand --openapi 'Read the document from here from now on (a file path or an http(s) URL) [default: where it was read from]'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --yes 'Apply the changes (without it, they are only shown)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;tool'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden'
            cand remove 'Remove a tool from a composed server'
            cand list 'List a composed server''s tools and where they forward to'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;tool;add'= {
            cand --from 'The tool it forwards to'
            cand --as 'The name clients see [default: the source tool''s]'
            cand --description 'The description clients see [default: the source tool''s]'
            cand --set 'Fix an argument (repeatable): removed from the schema clients see; a client''s value is replaced'
            cand --hide 'Remove an optional argument from the schema clients see (repeatable); a client''s value is dropped'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;tool;remove'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;tool;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;tool;help'= {
            cand add 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden'
            cand remove 'Remove a tool from a composed server'
            cand list 'List a composed server''s tools and where they forward to'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;tool;help;add'= {
        }
        &'mcpcp;server;tool;help;remove'= {
        }
        &'mcpcp;server;tool;help;list'= {
        }
        &'mcpcp;server;tool;help;help'= {
        }
        &'mcpcp;server;ip'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand allow 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)'
            cand deny 'Refuse clients from CIDR (403), before any authentication'
            cand remove 'Remove the rule for CIDR'
            cand list 'Show the allow and deny lists'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;ip;allow'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;ip;deny'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;ip;remove'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;ip;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;server;ip;help'= {
            cand allow 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)'
            cand deny 'Refuse clients from CIDR (403), before any authentication'
            cand remove 'Remove the rule for CIDR'
            cand list 'Show the allow and deny lists'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;ip;help;allow'= {
        }
        &'mcpcp;server;ip;help;deny'= {
        }
        &'mcpcp;server;ip;help;remove'= {
        }
        &'mcpcp;server;ip;help;list'= {
        }
        &'mcpcp;server;ip;help;help'= {
        }
        &'mcpcp;server;help'= {
            cand create 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME'
            cand list 'List servers'
            cand show 'Show one server with its tools, tokens and groups'
            cand connections 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
            cand connect 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)'
            cand disconnect 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)'
            cand rename 'Rename a server (its URL path changes with it)'
            cand delete 'Delete a server with its tools, tokens and group grants'
            cand enable 'Enable a disabled server'
            cand disable 'Disable a server: clients are refused until it is enabled'
            cand capture 'Set what the activity log keeps of the server''s requests'
            cand limits 'Rate limits and usage quotas on tools/call; no flags shows them'
            cand upstream-auth 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
            cand identity 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
            cand refresh 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes'
            cand tool 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden'
            cand ip 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;server;help;create'= {
        }
        &'mcpcp;server;help;list'= {
        }
        &'mcpcp;server;help;show'= {
        }
        &'mcpcp;server;help;connections'= {
        }
        &'mcpcp;server;help;connect'= {
        }
        &'mcpcp;server;help;disconnect'= {
        }
        &'mcpcp;server;help;rename'= {
        }
        &'mcpcp;server;help;delete'= {
        }
        &'mcpcp;server;help;enable'= {
        }
        &'mcpcp;server;help;disable'= {
        }
        &'mcpcp;server;help;capture'= {
        }
        &'mcpcp;server;help;limits'= {
        }
        &'mcpcp;server;help;upstream-auth'= {
        }
        &'mcpcp;server;help;identity'= {
        }
        &'mcpcp;server;help;refresh'= {
        }
        &'mcpcp;server;help;tool'= {
            cand add 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden'
            cand remove 'Remove a tool from a composed server'
            cand list 'List a composed server''s tools and where they forward to'
        }
        &'mcpcp;server;help;tool;add'= {
        }
        &'mcpcp;server;help;tool;remove'= {
        }
        &'mcpcp;server;help;tool;list'= {
        }
        &'mcpcp;server;help;ip'= {
            cand allow 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)'
            cand deny 'Refuse clients from CIDR (403), before any authentication'
            cand remove 'Remove the rule for CIDR'
            cand list 'Show the allow and deny lists'
        }
        &'mcpcp;server;help;ip;allow'= {
        }
        &'mcpcp;server;help;ip;deny'= {
        }
        &'mcpcp;server;help;ip;remove'= {
        }
        &'mcpcp;server;help;ip;list'= {
        }
        &'mcpcp;server;help;help'= {
        }
        &'mcpcp;tool'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List a server''s tools and their state'
            cand sync 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
            cand start 'Offer a stopped tool to clients again'
            cand stop 'Hide a tool from tools/list and refuse it in tools/call'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;tool;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;tool;sync'= {
            cand --timeout 'Give up after this long (the upstream may need to start first)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;tool;start'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;tool;stop'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;tool;help'= {
            cand list 'List a server''s tools and their state'
            cand sync 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
            cand start 'Offer a stopped tool to clients again'
            cand stop 'Hide a tool from tools/list and refuse it in tools/call'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;tool;help;list'= {
        }
        &'mcpcp;tool;help;sync'= {
        }
        &'mcpcp;tool;help;start'= {
        }
        &'mcpcp;tool;help;stop'= {
        }
        &'mcpcp;tool;help;help'= {
        }
        &'mcpcp;token'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an API token for one server; the token is printed once and never again'
            cand list 'List tokens (never their secrets), of one server or all'
            cand revoke 'Revoke a token: it is refused from then on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;token;create'= {
            cand --name 'A name to recognise the token by (default: token-ID)'
            cand --expires 'Lifetime, e.g. 12h, 30d, 2w (default: no expiry)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;token;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;token;revoke'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;token;help'= {
            cand create 'Create an API token for one server; the token is printed once and never again'
            cand list 'List tokens (never their secrets), of one server or all'
            cand revoke 'Revoke a token: it is refused from then on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;token;help;create'= {
        }
        &'mcpcp;token;help;list'= {
        }
        &'mcpcp;token;help;revoke'= {
        }
        &'mcpcp;token;help;help'= {
        }
        &'mcpcp;user'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an end user; without a password they can sign in only through SSO'
            cand list 'List users'
            cand show 'Show one user and their groups'
            cand disable 'Disable a user: they can no longer sign in'
            cand enable 'Enable a disabled user'
            cand delete 'Delete a user with their group memberships and linked upstream accounts'
            cand connections 'The upstream accounts a user linked (per-user upstream access); never their tokens'
            cand disconnect 'Remove a user''s linked upstream account for a server (they are asked to link it again)'
            cand sessions 'List a user''s sign-ins (one per client and server), newest last'
            cand signout 'End every sign-in of a user: their tokens stop working and open sessions close'
            cand passwd 'Set a user''s password (prompted on a terminal, or --password-stdin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;user;create'= {
            cand --email 'email'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --password-stdin 'Read the password from standard input (first line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;disable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;enable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;delete'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;connections'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;disconnect'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;sessions'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;signout'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;passwd'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --password-stdin 'Read the password from standard input (first line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;user;help'= {
            cand create 'Create an end user; without a password they can sign in only through SSO'
            cand list 'List users'
            cand show 'Show one user and their groups'
            cand disable 'Disable a user: they can no longer sign in'
            cand enable 'Enable a disabled user'
            cand delete 'Delete a user with their group memberships and linked upstream accounts'
            cand connections 'The upstream accounts a user linked (per-user upstream access); never their tokens'
            cand disconnect 'Remove a user''s linked upstream account for a server (they are asked to link it again)'
            cand sessions 'List a user''s sign-ins (one per client and server), newest last'
            cand signout 'End every sign-in of a user: their tokens stop working and open sessions close'
            cand passwd 'Set a user''s password (prompted on a terminal, or --password-stdin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;user;help;create'= {
        }
        &'mcpcp;user;help;list'= {
        }
        &'mcpcp;user;help;show'= {
        }
        &'mcpcp;user;help;disable'= {
        }
        &'mcpcp;user;help;enable'= {
        }
        &'mcpcp;user;help;delete'= {
        }
        &'mcpcp;user;help;connections'= {
        }
        &'mcpcp;user;help;disconnect'= {
        }
        &'mcpcp;user;help;sessions'= {
        }
        &'mcpcp;user;help;signout'= {
        }
        &'mcpcp;user;help;passwd'= {
        }
        &'mcpcp;user;help;help'= {
        }
        &'mcpcp;group'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a group of users'
            cand list 'List groups with their members and servers'
            cand show 'Show one group'
            cand delete 'Delete a group: its members lose the servers it granted'
            cand add 'Add users to a group'
            cand remove 'Remove users from a group'
            cand grant 'Let a group''s members reach servers (or, with --tools, some tools of one server)'
            cand revoke 'Take servers away from a group'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;group;create'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;delete'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;add'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;remove'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;grant'= {
            cand --tools 'Only these tools of the server: its other tools are hidden from the members'' tools/list and refused'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;revoke'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;group;help'= {
            cand create 'Create a group of users'
            cand list 'List groups with their members and servers'
            cand show 'Show one group'
            cand delete 'Delete a group: its members lose the servers it granted'
            cand add 'Add users to a group'
            cand remove 'Remove users from a group'
            cand grant 'Let a group''s members reach servers (or, with --tools, some tools of one server)'
            cand revoke 'Take servers away from a group'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;group;help;create'= {
        }
        &'mcpcp;group;help;list'= {
        }
        &'mcpcp;group;help;show'= {
        }
        &'mcpcp;group;help;delete'= {
        }
        &'mcpcp;group;help;add'= {
        }
        &'mcpcp;group;help;remove'= {
        }
        &'mcpcp;group;help;grant'= {
        }
        &'mcpcp;group;help;revoke'= {
        }
        &'mcpcp;group;help;help'= {
        }
        &'mcpcp;key'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand rotate 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
            cand list 'List the signing keys: the current one and those retired (never a private key)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;key;rotate'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;key;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;key;help'= {
            cand rotate 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
            cand list 'List the signing keys: the current one and those retired (never a private key)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;key;help;rotate'= {
        }
        &'mcpcp;key;help;list'= {
        }
        &'mcpcp;key;help;help'= {
        }
        &'mcpcp;sso'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
            cand show 'Show the single sign-on settings (never the secret)'
            cand disable 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;sso;set'= {
            cand --issuer 'The provider''s issuer URL (its discovery document is ISSUER/.well-known/openid-configuration)'
            cand --client-id 'The client id mcpcp was registered under at the provider'
            cand --scopes 'Scopes to request (default: openid profile email)'
            cand --groups-claim 'The ID token (or userinfo) claim listing the user''s IdP groups'
            cand --group-map 'Put users whose groups claim holds IDP_GROUP in mcpcp group GROUP (repeatable)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --client-secret-stdin 'Read the client secret from standard input (first line). Required: the secret is never taken from the command line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;sso;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;sso;disable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;sso;help'= {
            cand set 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
            cand show 'Show the single sign-on settings (never the secret)'
            cand disable 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;sso;help;set'= {
        }
        &'mcpcp;sso;help;show'= {
        }
        &'mcpcp;sso;help;disable'= {
        }
        &'mcpcp;sso;help;help'= {
        }
        &'mcpcp;logs'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tail 'Show the newest activity records (oldest of them first), and optionally follow new ones'
            cand export 'Write activity records to a file'
            cand show 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;logs;tail'= {
            cand -n 'How many of the newest records to show'
            cand --lines 'How many of the newest records to show'
            cand --since 'Only records since this long ago (1h, 7d) or this RFC 3339 time'
            cand --until 'Only records before this long ago or this RFC 3339 time'
            cand --server 'server'
            cand --user 'The principal: a token name or user name'
            cand --tool 'tool'
            cand --type 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request'
            cand --level 'level'
            cand --status 'status'
            cand --fault 'Only failures that were this party''s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)'
            cand --trace 'Only the records of this trace (32 hex digits: a client''s `traceparent`, or the `trace_id` of a record)'
            cand --where 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold'
            cand --origin 'Only calls to composed servers'' tools that forwarded to this source tool'
            cand --step-status 'Only calls with a step of this status (composed and OpenAPI tools'' steps): `error` finds the calls whose backend step failed'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -f 'Keep printing records as they are committed'
            cand --follow 'Keep printing records as they are committed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;logs;export'= {
            cand --output-file 'The file to write (created or replaced)'
            cand --format 'format'
            cand --since 'Only records since this long ago (1h, 7d) or this RFC 3339 time'
            cand --until 'Only records before this long ago or this RFC 3339 time'
            cand --server 'server'
            cand --user 'The principal: a token name or user name'
            cand --tool 'tool'
            cand --type 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request'
            cand --level 'level'
            cand --status 'status'
            cand --fault 'Only failures that were this party''s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)'
            cand --trace 'Only the records of this trace (32 hex digits: a client''s `traceparent`, or the `trace_id` of a record)'
            cand --where 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold'
            cand --origin 'Only calls to composed servers'' tools that forwarded to this source tool'
            cand --step-status 'Only calls with a step of this status (composed and OpenAPI tools'' steps): `error` finds the calls whose backend step failed'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;logs;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;logs;help'= {
            cand tail 'Show the newest activity records (oldest of them first), and optionally follow new ones'
            cand export 'Write activity records to a file'
            cand show 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;logs;help;tail'= {
        }
        &'mcpcp;logs;help;export'= {
        }
        &'mcpcp;logs;help;show'= {
        }
        &'mcpcp;logs;help;help'= {
        }
        &'mcpcp;admin'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an admin (with a password from standard input, or bound to an SSO subject)'
            cand list 'List admins and the roles they hold'
            cand show 'Show one admin'
            cand disable 'Disable an admin: its tokens are refused until it is enabled again'
            cand enable 'Enable a disabled admin'
            cand delete 'Delete an admin with its roles and tokens'
            cand passwd 'Set an admin''s password (from standard input)'
            cand grant 'Give an admin a role, everywhere or on some servers'
            cand revoke 'Take a role back from an admin (everywhere, or on the servers named)'
            cand token 'Admin API tokens'
            cand login 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;admin;create'= {
            cand --email 'email'
            cand --sso-subject 'The identity provider''s subject (`sub`) of an SSO admin'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --password-stdin 'Read the password from standard input (first line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;disable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;enable'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;delete'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;passwd'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --password-stdin 'password-stdin'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;grant'= {
            cand --server 'Only on this server (repeatable)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;revoke'= {
            cand --server 'server'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;token'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an API token for an admin; it is printed once and never again'
            cand list 'List admin tokens (never their secrets), of one admin or all'
            cand revoke 'Revoke an admin token: refused from the next request on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;admin;token;create'= {
            cand --name 'name'
            cand --expires 'Lifetime, e.g. 12h, 90d (default: no expiry)'
            cand --role 'Narrow the token to one role its admin holds'
            cand --server 'Narrow the token to this server (repeatable)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;token;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;token;revoke'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;token;help'= {
            cand create 'Create an API token for an admin; it is printed once and never again'
            cand list 'List admin tokens (never their secrets), of one admin or all'
            cand revoke 'Revoke an admin token: refused from the next request on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;admin;token;help;create'= {
        }
        &'mcpcp;admin;token;help;list'= {
        }
        &'mcpcp;admin;token;help;revoke'= {
        }
        &'mcpcp;admin;token;help;help'= {
        }
        &'mcpcp;admin;login'= {
            cand --wait 'How long to wait for the sign-in in the browser, in seconds'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;admin;help'= {
            cand create 'Create an admin (with a password from standard input, or bound to an SSO subject)'
            cand list 'List admins and the roles they hold'
            cand show 'Show one admin'
            cand disable 'Disable an admin: its tokens are refused until it is enabled again'
            cand enable 'Enable a disabled admin'
            cand delete 'Delete an admin with its roles and tokens'
            cand passwd 'Set an admin''s password (from standard input)'
            cand grant 'Give an admin a role, everywhere or on some servers'
            cand revoke 'Take a role back from an admin (everywhere, or on the servers named)'
            cand token 'Admin API tokens'
            cand login 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;admin;help;create'= {
        }
        &'mcpcp;admin;help;list'= {
        }
        &'mcpcp;admin;help;show'= {
        }
        &'mcpcp;admin;help;disable'= {
        }
        &'mcpcp;admin;help;enable'= {
        }
        &'mcpcp;admin;help;delete'= {
        }
        &'mcpcp;admin;help;passwd'= {
        }
        &'mcpcp;admin;help;grant'= {
        }
        &'mcpcp;admin;help;revoke'= {
        }
        &'mcpcp;admin;help;token'= {
            cand create 'Create an API token for an admin; it is printed once and never again'
            cand list 'List admin tokens (never their secrets), of one admin or all'
            cand revoke 'Revoke an admin token: refused from the next request on'
        }
        &'mcpcp;admin;help;token;create'= {
        }
        &'mcpcp;admin;help;token;list'= {
        }
        &'mcpcp;admin;help;token;revoke'= {
        }
        &'mcpcp;admin;help;login'= {
        }
        &'mcpcp;admin;help;help'= {
        }
        &'mcpcp;role'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand permissions 'List every permission a role can grant, and what it allows'
            cand list 'List the roles, built-in and custom'
            cand show 'Show one role and its permissions'
            cand create 'Create a custom role'
            cand update 'Change a custom role''s permissions (replaced) or description'
            cand delete 'Delete a custom role nobody holds'
            cand bind 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)'
            cand unbind 'Take a role back from an identity provider''s group'
            cand bindings 'List the identity provider groups bound to roles'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;role;permissions'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;create'= {
            cand --allow 'Permissions, comma-separated or repeated; `server.*` is every permission of servers'
            cand --description 'description'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;update'= {
            cand --allow 'allow'
            cand --description 'description'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;delete'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;bind'= {
            cand --idp-group 'idp-group'
            cand --server 'Only on this server (repeatable)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;unbind'= {
            cand --idp-group 'idp-group'
            cand --server 'server'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;bindings'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;role;help'= {
            cand permissions 'List every permission a role can grant, and what it allows'
            cand list 'List the roles, built-in and custom'
            cand show 'Show one role and its permissions'
            cand create 'Create a custom role'
            cand update 'Change a custom role''s permissions (replaced) or description'
            cand delete 'Delete a custom role nobody holds'
            cand bind 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)'
            cand unbind 'Take a role back from an identity provider''s group'
            cand bindings 'List the identity provider groups bound to roles'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;role;help;permissions'= {
        }
        &'mcpcp;role;help;list'= {
        }
        &'mcpcp;role;help;show'= {
        }
        &'mcpcp;role;help;create'= {
        }
        &'mcpcp;role;help;update'= {
        }
        &'mcpcp;role;help;delete'= {
        }
        &'mcpcp;role;help;bind'= {
        }
        &'mcpcp;role;help;unbind'= {
        }
        &'mcpcp;role;help;bindings'= {
        }
        &'mcpcp;role;help;help'= {
        }
        &'mcpcp;audit'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List audit entries, newest last'
            cand verify 'Check the hash chain and report the first broken link'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;audit;list'= {
            cand --since 'Only entries since this long ago (1h, 7d) or this RFC 3339 time'
            cand --actor 'Only entries by this actor name'
            cand --action 'Only this action (server.create), or a family (server.*)'
            cand --resource 'Only this resource: NAME, ID or TYPE:NAME (server:files)'
            cand -n 'At most this many entries (the newest)'
            cand --limit 'At most this many entries (the newest)'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;audit;verify'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;audit;help'= {
            cand list 'List audit entries, newest last'
            cand verify 'Check the hash chain and report the first broken link'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;audit;help;list'= {
        }
        &'mcpcp;audit;help;verify'= {
        }
        &'mcpcp;audit;help;help'= {
        }
        &'mcpcp;siem'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a sink: the gateway streams events to it from then on'
            cand list 'List sinks'
            cand show 'Show one sink'
            cand pause 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
            cand resume 'Deliver to a paused sink again, from where it stopped'
            cand remove 'Remove a sink; what it had not delivered is no longer kept for it'
            cand test 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)'
            cand status 'Each sink''s delivery: state, events delivered, lag, last error, losses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;siem;add'= {
            cand --syslog 'A syslog receiver: tcp://HOST:PORT, tls://HOST:PORT (RFC 5425) or udp://HOST:PORT'
            cand --hec 'A Splunk HTTP Event Collector, e.g. https://splunk.example.com:8088 (events are POSTed to /services/collector/event); needs --token-stdin'
            cand --http 'An HTTPS endpoint that takes batches of newline-delimited JSON (one event per line), signed when --secret-stdin gives a secret'
            cand --otlp 'An OpenTelemetry collector''s OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318 (log records are POSTed to /v1/logs as protobuf)'
            cand --index '--hec: the Splunk index events go to [default: the token''s default index]'
            cand --sourcetype '--hec: the sourcetype of every event [default: mcpcp:activity or mcpcp:audit, by stream]'
            cand --header '--http, --otlp: a header sent with every request (repeatable): NAME=VALUE, or NAME alone to read its value from standard input (one line each, after the secret''s). Values are encrypted at rest and never shown'
            cand --ca 'PEM file of the CA certificate(s) the receiver''s certificate must chain to (tls:// and https:// only; default: the system''s trust store)'
            cand --format '--syslog: the message format [default: rfc5424]'
            cand --streams 'The streams to send: activity, audit, or activity,audit [default: activity,audit]'
            cand --server 'Only records of this server'
            cand --user 'Only records of this principal: a token name or user name'
            cand --tool 'Only records of this tool'
            cand --type 'Only records of this type (tool_call, list, auth_failure, denied, … as in `logs tail`)'
            cand --level 'Only records of this level'
            cand --status 'Only successes or only failures'
            cand --fault 'Only failures that were this party''s fault'
            cand --where 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE (as in `logs tail`). Repeatable; all must hold'
            cand --from 'Where delivery starts: now, beginning (the oldest event kept), or a time (1h, 7d, RFC 3339) [default: now]'
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand --token-stdin '--hec: read the HEC token from standard input (its first line); never from the command line'
            cand --secret-stdin '--http: sign each request with HMAC-SHA256 (header X-MCPCP-Signature); the secret (at least 16 bytes) is read from standard input, its first line'
            cand --insecure-http 'Allow http:// to a host that is not loopback: events, tokens and header values then cross the network in the clear'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;list'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;show'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;pause'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;resume'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;remove'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;test'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;status'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;siem;help'= {
            cand add 'Add a sink: the gateway streams events to it from then on'
            cand list 'List sinks'
            cand show 'Show one sink'
            cand pause 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
            cand resume 'Deliver to a paused sink again, from where it stopped'
            cand remove 'Remove a sink; what it had not delivered is no longer kept for it'
            cand test 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)'
            cand status 'Each sink''s delivery: state, events delivered, lag, last error, losses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;siem;help;add'= {
        }
        &'mcpcp;siem;help;list'= {
        }
        &'mcpcp;siem;help;show'= {
        }
        &'mcpcp;siem;help;pause'= {
        }
        &'mcpcp;siem;help;resume'= {
        }
        &'mcpcp;siem;help;remove'= {
        }
        &'mcpcp;siem;help;test'= {
        }
        &'mcpcp;siem;help;status'= {
        }
        &'mcpcp;siem;help;help'= {
        }
        &'mcpcp;config'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Validate the configuration and show each effective value with where it came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;config;check'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;config;help'= {
            cand check 'Validate the configuration and show each effective value with where it came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;config;help;check'= {
        }
        &'mcpcp;config;help;help'= {
        }
        &'mcpcp;completions'= {
            cand --data-dir 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]'
            cand --config 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]'
            cand -o 'Output format: tables for people, JSON for scripts'
            cand --output 'Output format: tables for people, JSON for scripts'
            cand --remote 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]'
            cand --admin-token-file 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]'
            cand --remote-ca 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpcp;help'= {
            cand serve 'Run the gateway: every enabled server at /mcp/NAME'
            cand server 'Upstream MCP servers exposed by the gateway'
            cand tool 'The tools of a server, and which are offered'
            cand token 'Server-scoped API tokens'
            cand user 'End users'
            cand group 'Groups of users, and the servers they grant'
            cand key 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)'
            cand sso 'Single sign-on through an external OpenID Connect provider'
            cand logs 'The activity log: every request the gateway received'
            cand admin 'Administrators other than the person at the machine, their roles and API tokens'
            cand role 'Admin roles: sets of permissions, built-in and custom'
            cand audit 'The audit trail of administrative changes'
            cand siem 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)'
            cand config 'The process configuration'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpcp;help;serve'= {
        }
        &'mcpcp;help;server'= {
            cand create 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME'
            cand list 'List servers'
            cand show 'Show one server with its tools, tokens and groups'
            cand connections 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
            cand connect 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)'
            cand disconnect 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)'
            cand rename 'Rename a server (its URL path changes with it)'
            cand delete 'Delete a server with its tools, tokens and group grants'
            cand enable 'Enable a disabled server'
            cand disable 'Disable a server: clients are refused until it is enabled'
            cand capture 'Set what the activity log keeps of the server''s requests'
            cand limits 'Rate limits and usage quotas on tools/call; no flags shows them'
            cand upstream-auth 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
            cand identity 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
            cand refresh 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes'
            cand tool 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden'
            cand ip 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
        }
        &'mcpcp;help;server;create'= {
        }
        &'mcpcp;help;server;list'= {
        }
        &'mcpcp;help;server;show'= {
        }
        &'mcpcp;help;server;connections'= {
        }
        &'mcpcp;help;server;connect'= {
        }
        &'mcpcp;help;server;disconnect'= {
        }
        &'mcpcp;help;server;rename'= {
        }
        &'mcpcp;help;server;delete'= {
        }
        &'mcpcp;help;server;enable'= {
        }
        &'mcpcp;help;server;disable'= {
        }
        &'mcpcp;help;server;capture'= {
        }
        &'mcpcp;help;server;limits'= {
        }
        &'mcpcp;help;server;upstream-auth'= {
        }
        &'mcpcp;help;server;identity'= {
        }
        &'mcpcp;help;server;refresh'= {
        }
        &'mcpcp;help;server;tool'= {
            cand add 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden'
            cand remove 'Remove a tool from a composed server'
            cand list 'List a composed server''s tools and where they forward to'
        }
        &'mcpcp;help;server;tool;add'= {
        }
        &'mcpcp;help;server;tool;remove'= {
        }
        &'mcpcp;help;server;tool;list'= {
        }
        &'mcpcp;help;server;ip'= {
            cand allow 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)'
            cand deny 'Refuse clients from CIDR (403), before any authentication'
            cand remove 'Remove the rule for CIDR'
            cand list 'Show the allow and deny lists'
        }
        &'mcpcp;help;server;ip;allow'= {
        }
        &'mcpcp;help;server;ip;deny'= {
        }
        &'mcpcp;help;server;ip;remove'= {
        }
        &'mcpcp;help;server;ip;list'= {
        }
        &'mcpcp;help;tool'= {
            cand list 'List a server''s tools and their state'
            cand sync 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
            cand start 'Offer a stopped tool to clients again'
            cand stop 'Hide a tool from tools/list and refuse it in tools/call'
        }
        &'mcpcp;help;tool;list'= {
        }
        &'mcpcp;help;tool;sync'= {
        }
        &'mcpcp;help;tool;start'= {
        }
        &'mcpcp;help;tool;stop'= {
        }
        &'mcpcp;help;token'= {
            cand create 'Create an API token for one server; the token is printed once and never again'
            cand list 'List tokens (never their secrets), of one server or all'
            cand revoke 'Revoke a token: it is refused from then on'
        }
        &'mcpcp;help;token;create'= {
        }
        &'mcpcp;help;token;list'= {
        }
        &'mcpcp;help;token;revoke'= {
        }
        &'mcpcp;help;user'= {
            cand create 'Create an end user; without a password they can sign in only through SSO'
            cand list 'List users'
            cand show 'Show one user and their groups'
            cand disable 'Disable a user: they can no longer sign in'
            cand enable 'Enable a disabled user'
            cand delete 'Delete a user with their group memberships and linked upstream accounts'
            cand connections 'The upstream accounts a user linked (per-user upstream access); never their tokens'
            cand disconnect 'Remove a user''s linked upstream account for a server (they are asked to link it again)'
            cand sessions 'List a user''s sign-ins (one per client and server), newest last'
            cand signout 'End every sign-in of a user: their tokens stop working and open sessions close'
            cand passwd 'Set a user''s password (prompted on a terminal, or --password-stdin)'
        }
        &'mcpcp;help;user;create'= {
        }
        &'mcpcp;help;user;list'= {
        }
        &'mcpcp;help;user;show'= {
        }
        &'mcpcp;help;user;disable'= {
        }
        &'mcpcp;help;user;enable'= {
        }
        &'mcpcp;help;user;delete'= {
        }
        &'mcpcp;help;user;connections'= {
        }
        &'mcpcp;help;user;disconnect'= {
        }
        &'mcpcp;help;user;sessions'= {
        }
        &'mcpcp;help;user;signout'= {
        }
        &'mcpcp;help;user;passwd'= {
        }
        &'mcpcp;help;group'= {
            cand create 'Create a group of users'
            cand list 'List groups with their members and servers'
            cand show 'Show one group'
            cand delete 'Delete a group: its members lose the servers it granted'
            cand add 'Add users to a group'
            cand remove 'Remove users from a group'
            cand grant 'Let a group''s members reach servers (or, with --tools, some tools of one server)'
            cand revoke 'Take servers away from a group'
        }
        &'mcpcp;help;group;create'= {
        }
        &'mcpcp;help;group;list'= {
        }
        &'mcpcp;help;group;show'= {
        }
        &'mcpcp;help;group;delete'= {
        }
        &'mcpcp;help;group;add'= {
        }
        &'mcpcp;help;group;remove'= {
        }
        &'mcpcp;help;group;grant'= {
        }
        &'mcpcp;help;group;revoke'= {
        }
        &'mcpcp;help;key'= {
            cand rotate 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
            cand list 'List the signing keys: the current one and those retired (never a private key)'
        }
        &'mcpcp;help;key;rotate'= {
        }
        &'mcpcp;help;key;list'= {
        }
        &'mcpcp;help;sso'= {
            cand set 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
            cand show 'Show the single sign-on settings (never the secret)'
            cand disable 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
        }
        &'mcpcp;help;sso;set'= {
        }
        &'mcpcp;help;sso;show'= {
        }
        &'mcpcp;help;sso;disable'= {
        }
        &'mcpcp;help;logs'= {
            cand tail 'Show the newest activity records (oldest of them first), and optionally follow new ones'
            cand export 'Write activity records to a file'
            cand show 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
        }
        &'mcpcp;help;logs;tail'= {
        }
        &'mcpcp;help;logs;export'= {
        }
        &'mcpcp;help;logs;show'= {
        }
        &'mcpcp;help;admin'= {
            cand create 'Create an admin (with a password from standard input, or bound to an SSO subject)'
            cand list 'List admins and the roles they hold'
            cand show 'Show one admin'
            cand disable 'Disable an admin: its tokens are refused until it is enabled again'
            cand enable 'Enable a disabled admin'
            cand delete 'Delete an admin with its roles and tokens'
            cand passwd 'Set an admin''s password (from standard input)'
            cand grant 'Give an admin a role, everywhere or on some servers'
            cand revoke 'Take a role back from an admin (everywhere, or on the servers named)'
            cand token 'Admin API tokens'
            cand login 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
        }
        &'mcpcp;help;admin;create'= {
        }
        &'mcpcp;help;admin;list'= {
        }
        &'mcpcp;help;admin;show'= {
        }
        &'mcpcp;help;admin;disable'= {
        }
        &'mcpcp;help;admin;enable'= {
        }
        &'mcpcp;help;admin;delete'= {
        }
        &'mcpcp;help;admin;passwd'= {
        }
        &'mcpcp;help;admin;grant'= {
        }
        &'mcpcp;help;admin;revoke'= {
        }
        &'mcpcp;help;admin;token'= {
            cand create 'Create an API token for an admin; it is printed once and never again'
            cand list 'List admin tokens (never their secrets), of one admin or all'
            cand revoke 'Revoke an admin token: refused from the next request on'
        }
        &'mcpcp;help;admin;token;create'= {
        }
        &'mcpcp;help;admin;token;list'= {
        }
        &'mcpcp;help;admin;token;revoke'= {
        }
        &'mcpcp;help;admin;login'= {
        }
        &'mcpcp;help;role'= {
            cand permissions 'List every permission a role can grant, and what it allows'
            cand list 'List the roles, built-in and custom'
            cand show 'Show one role and its permissions'
            cand create 'Create a custom role'
            cand update 'Change a custom role''s permissions (replaced) or description'
            cand delete 'Delete a custom role nobody holds'
            cand bind 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)'
            cand unbind 'Take a role back from an identity provider''s group'
            cand bindings 'List the identity provider groups bound to roles'
        }
        &'mcpcp;help;role;permissions'= {
        }
        &'mcpcp;help;role;list'= {
        }
        &'mcpcp;help;role;show'= {
        }
        &'mcpcp;help;role;create'= {
        }
        &'mcpcp;help;role;update'= {
        }
        &'mcpcp;help;role;delete'= {
        }
        &'mcpcp;help;role;bind'= {
        }
        &'mcpcp;help;role;unbind'= {
        }
        &'mcpcp;help;role;bindings'= {
        }
        &'mcpcp;help;audit'= {
            cand list 'List audit entries, newest last'
            cand verify 'Check the hash chain and report the first broken link'
        }
        &'mcpcp;help;audit;list'= {
        }
        &'mcpcp;help;audit;verify'= {
        }
        &'mcpcp;help;siem'= {
            cand add 'Add a sink: the gateway streams events to it from then on'
            cand list 'List sinks'
            cand show 'Show one sink'
            cand pause 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
            cand resume 'Deliver to a paused sink again, from where it stopped'
            cand remove 'Remove a sink; what it had not delivered is no longer kept for it'
            cand test 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)'
            cand status 'Each sink''s delivery: state, events delivered, lag, last error, losses'
        }
        &'mcpcp;help;siem;add'= {
        }
        &'mcpcp;help;siem;list'= {
        }
        &'mcpcp;help;siem;show'= {
        }
        &'mcpcp;help;siem;pause'= {
        }
        &'mcpcp;help;siem;resume'= {
        }
        &'mcpcp;help;siem;remove'= {
        }
        &'mcpcp;help;siem;test'= {
        }
        &'mcpcp;help;siem;status'= {
        }
        &'mcpcp;help;config'= {
            cand check 'Validate the configuration and show each effective value with where it came from'
        }
        &'mcpcp;help;config;check'= {
        }
        &'mcpcp;help;completions'= {
        }
        &'mcpcp;help;help'= {
        }
    ]
    $completions[$command]
}
