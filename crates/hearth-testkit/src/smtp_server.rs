//! A local SMTP server for tests (mailin-embedded, a real SMTP implementation): it accepts mail
//! on a free port and keeps each message's envelope and text.

use mailin_embedded::{Handler, Server, SslConfig, response};
use std::sync::{Arc, Mutex};

/// One message the server received.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent: headers and body.
    pub data: String,
}

#[derive(Clone)]
struct Sink {
    current: Received,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl Handler for Sink {
    fn data_start(
        &mut self,
        _domain: &str,
        from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.current = Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: String::new(),
        };
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.push_str(&String::from_utf8_lossy(buf));
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let Ok(mut inbox) = self.inbox.lock() {
            inbox.push(std::mem::take(&mut self.current));
        }
        response::OK
    }
}

/// The running server; it stops with the test process.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    pub fn start() -> Self {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Sink {
            current: Received::default(),
            inbox: inbox.clone(),
        });
        server
            .with_name("hearth-test.local")
            .with_ssl(SslConfig::None)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("test SMTP server stopped: {e}");
            }
        });
        Self { port, inbox }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().map(|i| i.clone()).unwrap_or_default()
    }
}
