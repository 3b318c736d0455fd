//! The HTTP stack of the preview: hyper's HTTP/1 on a single-threaded tokio runtime,
//! with every resource a client can hold bounded (SPEC 7.2). What to answer is asked of
//! an [`Answer`]; nothing here knows the site.
//!
//! - Connections: at most `Limits::connections` are served at once; the next ones (as
//!   many again) get a 503 and are closed, and beyond those a connection is closed at once.
//! - Event streams: at most `Limits::event_streams`; one more gets a 503.
//! - Headers: hyper reads at most `Limits::header_bytes` of request line and headers
//!   (431 beyond) within `Limits::header_timeout`, which also ends an idle kept-alive
//!   connection. Request bodies are never read: a request that has one is answered and
//!   its connection closed.
//! - Writes: a client that stops reading for `Limits::write_timeout` is dropped. A
//!   static file is read from disk a chunk at a time as the client takes it (hyper asks
//!   for the next chunk only once the previous one is written), so a client holds at
//!   most a chunk of it in memory.
//! - Each connection is its own task: a slow client waits alone, and a panic ends only
//!   its connection.

use std::convert::Infallible;
use std::future::Future;
use std::io::{self, Read};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{CONNECTION, HOST, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

use super::Limits;
use super::site::{Answerer, Events, Page, Reply, Request};

/// Whatever turns a request into a reply; the HTTP layer's only view of the site.
pub(super) trait Answer: Send + Sync + 'static {
    fn answer(&self, request: &Request) -> Reply;
}

impl Answer for Answerer {
    fn answer(&self, request: &Request) -> Reply {
        Answerer::answer(self, request)
    }
}

/// How long the accept loop waits after a failed accept (out of file descriptors, a
/// connection reset while queued) before trying again: it never gives up.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Serves `listener` on a thread of its own until the process ends.
pub(super) fn spawn(
    listener: std::net::TcpListener,
    answer: impl Answer,
    limits: Limits,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _inside = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let server = Arc::new(Server {
        answer,
        connections: Arc::new(Semaphore::new(limits.connections)),
        refusals: Arc::new(Semaphore::new(limits.connections)),
        event_streams: Arc::new(Semaphore::new(limits.event_streams)),
        limits,
    });
    std::thread::Builder::new()
        .name("accord-http".to_owned())
        .spawn(move || runtime.block_on(server.accept(listener)))?;
    Ok(())
}

struct Server<A> {
    answer: A,
    limits: Limits,
    /// Connections being served.
    connections: Arc<Semaphore>,
    /// Connections being told 503 because every other is taken.
    refusals: Arc<Semaphore>,
    event_streams: Arc<Semaphore>,
}

impl<A: Answer> Server<A> {
    async fn accept(self: Arc<Self>, listener: TcpListener) {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            };
            let admitted = Arc::clone(&self.connections).try_acquire_owned();
            let permit = match admitted {
                Ok(permit) => Some((permit, true)),
                Err(_) => Arc::clone(&self.refusals)
                    .try_acquire_owned()
                    .ok()
                    .map(|permit| (permit, false)),
            };
            // Without any permit the stream is dropped here, which closes it.
            if let Some((permit, admitted)) = permit {
                tokio::spawn(Arc::clone(&self).converse(stream, admitted, permit));
            }
        }
    }

    /// Serves one connection until it closes, times out or fails; `admitted: false`
    /// answers its first request 503 and closes it.
    async fn converse(
        self: Arc<Self>,
        stream: TcpStream,
        admitted: bool,
        _permit: OwnedSemaphorePermit,
    ) {
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Stalling::new(stream, self.limits.write_timeout));
        let service = service_fn(|request| {
            let server = Arc::clone(&self);
            async move {
                let response = if admitted {
                    server.respond(&request).await
                } else {
                    busy()
                };
                Ok::<_, Infallible>(response)
            }
        });
        let limits = &self.limits;
        // An error is a client that went away, stalled or sent garbage; hyper has
        // answered what could be answered (400, 431) and the connection is over.
        let _ = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_header_size(limits.header_bytes)
            // hyper's floor for its buffer; the header limit above is the real bound.
            .max_buf_size(limits.header_bytes.max(8 * 1024))
            .keep_alive(admitted)
            .serve_connection(io, service)
            .await;
    }

    async fn respond(&self, request: &hyper::Request<Incoming>) -> Response<Payload> {
        // Two `Host` headers name two servers: which one a proxy or cache in between
        // honoured is unknown, so the request names none (421).
        let mut hosts = request.headers().get_all(HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().ok(),
            _ => None,
        };
        let asked = Request {
            method: request.method().as_str(),
            host,
            authority: request.uri().authority().map(|a| a.as_str()),
            target: request.uri().path_and_query().map_or("/", |p| p.as_str()),
        };
        let mut response = match self.answer.answer(&asked) {
            Reply::Page(page) => page_response(page),
            // Rendered off this thread: the other connections go on meanwhile.
            Reply::Later(page) => page_response(page.await),
            Reply::File {
                content_type,
                file,
                length,
            } => {
                let mut response = page_response(Page {
                    status: 200,
                    headers: vec![("Content-Type", content_type)],
                    body: Bytes::new(),
                    render: None,
                });
                *response.body_mut() = Payload::File {
                    file,
                    remaining: length,
                };
                response
            }
            Reply::Events(events) => match Arc::clone(&self.event_streams).try_acquire_owned() {
                Ok(permit) => events_response(events, permit),
                Err(_) => busy(),
            },
        };
        // The body is never read, so what follows it cannot be parsed as the next
        // request: answer, then close.
        if !request.body().is_end_stream() {
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

fn page_response(page: Page) -> Response<Payload> {
    let mut response = Response::new(Payload::Whole(Some(page.body)));
    *response.status_mut() =
        StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Some(render) = page.render {
        headers.insert("X-Accord-Render", HeaderValue::from(render));
    }
    for (name, value) in page.headers.into_iter().chain([
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]) {
        // Fixed ASCII, so this cannot fail; a header would be skipped if it did.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}

fn events_response(events: Events, permit: OwnedSemaphorePermit) -> Response<Payload> {
    let mut response = page_response(Page {
        status: 200,
        headers: vec![("Content-Type", "text/event-stream")],
        body: Bytes::new(),
        render: None,
    });
    *response.body_mut() = Payload::Events {
        opening: true,
        next: Box::pin(events.next()),
        _permit: permit,
    };
    response
}

/// The answer when a bound is reached: try again shortly, on a new connection.
fn busy() -> Response<Payload> {
    page_response(Page {
        status: 503,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Retry-After", "1"),
            ("Connection", "close"),
        ],
        body: Bytes::from_static(b"503 Service Unavailable: too many connections or open pages\n"),
        render: None,
    })
}

type NextEvent = Pin<Box<dyn Future<Output = Option<(Events, &'static str)>> + Send>>;

/// A response body: a whole file, a file on disk sent a chunk at a time, or an event
/// stream that holds its permit until the client goes away.
enum Payload {
    Whole(Option<Bytes>),
    File {
        file: std::fs::File,
        /// The bytes still to send, of the length announced in `Content-Length`.
        remaining: u64,
    },
    Events {
        opening: bool,
        next: NextEvent,
        _permit: OwnedSemaphorePermit,
    },
}

/// The most of a static file read at once, and so held per response.
const FILE_CHUNK: u64 = 64 * 1024;

impl Body for Payload {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        match self.get_mut() {
            Payload::Whole(body) => Poll::Ready(body.take().map(|b| Ok(Frame::data(b)))),
            Payload::File { file, remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                // A blocking read of a local file, one chunk: short enough not to hold
                // up the other connections on this thread.
                let mut chunk = vec![0; FILE_CHUNK.min(*remaining) as usize];
                let read = match file.read(&mut chunk) {
                    Ok(0) => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file shrank while it was sent",
                    )),
                    other => other,
                };
                Poll::Ready(Some(read.map(|read| {
                    chunk.truncate(read);
                    *remaining -= read as u64;
                    Frame::data(Bytes::from(chunk))
                })))
            }
            Payload::Events { opening, next, .. } => {
                if std::mem::take(opening) {
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                        Events::OPENING.as_bytes(),
                    )))));
                }
                match next.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(None) => Poll::Ready(None),
                    Poll::Ready(Some((events, message))) => {
                        *next = Box::pin(events.next());
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                            message.as_bytes(),
                        )))))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(
            self,
            Payload::Whole(None) | Payload::File { remaining: 0, .. }
        )
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Payload::Whole(body) => {
                SizeHint::with_exact(body.as_ref().map_or(0, |b| b.len() as u64))
            }
            Payload::File { remaining, .. } => SizeHint::with_exact(*remaining),
            Payload::Events { .. } => SizeHint::default(),
        }
    }
}

/// A connection whose writes fail once they have made no progress for `limit`: a
/// client that stops reading is dropped instead of holding its connection (and the
/// file being sent) forever. Reads are left to hyper's header timeout, since an open
/// page legitimately sends nothing while it listens to its event stream.
struct Stalling {
    stream: TcpStream,
    limit: Duration,
    deadline: Pin<Box<Sleep>>,
    /// Whether the last write was left waiting, so the deadline is running.
    waiting: bool,
}

impl Stalling {
    fn new(stream: TcpStream, limit: Duration) -> Self {
        Stalling {
            stream,
            limit,
            deadline: Box::pin(tokio::time::sleep(limit)),
            waiting: false,
        }
    }

    fn progress<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.waiting = false;
            return poll;
        }
        if !self.waiting {
            self.waiting = true;
            self.deadline.as_mut().reset(Instant::now() + self.limit);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Stalling {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stalling {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.progress(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.progress(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(cx);
        this.progress(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.progress(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// Panics on `/panic`, answers 200 otherwise.
    struct Fragile;

    impl Answer for Fragile {
        fn answer(&self, request: &Request) -> Reply {
            assert!(request.target != "/panic", "a handler that panics");
            Reply::Page(Page {
                status: 200,
                headers: vec![("Content-Type", "text/plain")],
                body: Bytes::from_static(b"fine"),
                render: None,
            })
        }
    }

    fn get(address: std::net::SocketAddr, target: &str) -> String {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }

    #[test]
    fn a_panicking_request_ends_only_its_own_connection() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        spawn(listener, Fragile, Limits::default()).unwrap();
        assert!(get(address, "/").starts_with("HTTP/1.1 200"));
        assert_eq!(get(address, "/panic"), "");
        assert!(get(address, "/").starts_with("HTTP/1.1 200"));
    }
}
