//! One generation of the preview's site: the checked org of one rebuild, owned by a
//! thread of its own that renders each file of the site when it is first asked for.
//!
//! The thread makes the site's plan once (the templates, the data every page is made
//! from, the list of files) and keeps it while the generation is current; requests are
//! sent to it and it answers them on as many workers as there are cores, off the HTTP
//! runtime. Each file is rendered at most once per generation: the first request starts
//! it, the others wait for the same result. A page whose inputs (its template context,
//! the templates and the labels, hashed) are those it had in an earlier generation is
//! not rendered again: the bytes are kept in [`Pages`], one entry per page of the
//! current site. When the generation is replaced and its last request is answered, its
//! thread ends and the org it held is dropped.

use std::collections::HashMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use bytes::Bytes;
use jiff::civil::Date;
use tokio::sync::{OnceCell, oneshot};

use crate::Checked;
use crate::history::Changes;
use crate::render::{Engine, Prepared, Renderer, SitePlan};

/// A file of the site as rendered: its bytes and the number of the render that made
/// them, or why it could not be rendered.
pub(super) type Rendered = Result<Output, String>;

#[derive(Clone)]
pub(super) struct Output {
    pub(super) bytes: Bytes,
    /// Counts the files this server has rendered, from 1: equal numbers are one render.
    pub(super) render: u64,
}

/// Called with the path of a file that failed to render and why.
pub(super) type Failed = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// The pages kept from one generation to the next, with the hash of what each was
/// rendered from, and the count of renders.
#[derive(Default)]
pub(super) struct Pages {
    kept: Mutex<HashMap<String, Kept>>,
    renders: AtomicU64,
    /// The generation whose pages are kept: a page a replaced generation finishes
    /// rendering is not, so what is kept stays the current site's.
    current: AtomicU64,
}

struct Kept {
    inputs: u64,
    output: Output,
}

impl Pages {
    /// Makes the generation with `paths` the current one, and forgets the pages that
    /// are no longer part of the site, so what is kept stays one site's worth. Returns
    /// the generation's number.
    fn begin(&self, paths: &HashMap<String, Slot>) -> u64 {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|path, _| paths.contains_key(path));
        self.current.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The page at `path` as rendered from the same `inputs` before.
    fn reuse(&self, path: &str, inputs: u64) -> Option<Output> {
        let kept = self.kept.lock().ok()?;
        kept.get(path)
            .filter(|kept| kept.inputs == inputs)
            .map(|kept| kept.output.clone())
    }

    /// `bytes`, just rendered, numbered.
    fn count(&self, bytes: Vec<u8>) -> Output {
        Output {
            bytes: Bytes::from(bytes),
            render: self.renders.fetch_add(1, Ordering::Relaxed) + 1,
        }
    }

    /// Keeps the page at `path`, rendered from `inputs` in `generation`, for the next
    /// generations.
    fn keep(&self, generation: u64, path: &str, inputs: u64, output: &Output) {
        if let Ok(mut kept) = self.kept.lock()
            && self.current.load(Ordering::Relaxed) == generation
        {
            kept.insert(
                path.to_owned(),
                Kept {
                    inputs,
                    output: output.clone(),
                },
            );
        }
    }
}

/// A file of the site: where it is in the plan, and its rendering once asked for.
struct Slot {
    index: usize,
    rendered: Arc<OnceCell<Rendered>>,
}

struct Request {
    index: usize,
    path: String,
    reply: oneshot::Sender<Rendered>,
}

/// The current site: every file it has, each rendered on demand.
pub(super) struct Generation {
    files: HashMap<String, Slot>,
    requests: mpsc::Sender<Request>,
    /// HTML pages among the files.
    pub(super) pages: usize,
    /// The date the site is built for, which the error pages show.
    pub(super) today: Date,
}

impl Generation {
    /// Starts the thread of the site of `checked` and returns once it has made the
    /// plan. `failed` hears of every file that does not render.
    pub(super) fn start(
        checked: Checked,
        changes: Option<Arc<Changes>>,
        renderer: Renderer,
        today: Date,
        pages: Arc<Pages>,
        failed: Failed,
    ) -> io::Result<Generation> {
        let (requests, received) = mpsc::channel::<Request>();
        let (planned, plan_made) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("accord-render".to_owned())
            .spawn(move || {
                let plan = renderer.plan(&checked, changes.as_deref(), today);
                let files: HashMap<String, Slot> = (0..plan.len())
                    .map(|index| {
                        let slot = Slot {
                            index,
                            rendered: Arc::default(),
                        };
                        (plan.path(index), slot)
                    })
                    .collect();
                let generation = pages.begin(&files);
                let page_count = (0..plan.len()).filter(|&i| plan.is_page(i)).count();
                if planned.send((files, page_count)).is_err() {
                    return;
                }
                let pages = (&*pages, generation);
                serve_requests(&plan, &renderer, received, pages, &failed);
            })?;
        let (files, pages) = plan_made
            .recv()
            .map_err(|_| io::Error::other("planning the site failed"))?;
        Ok(Generation {
            files,
            requests,
            pages,
            today,
        })
    }

    /// Whether the site has a generated file at `path`.
    pub(super) fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The file at `path`, rendered the first time it is asked for in this generation;
    /// `None` when the site has no such file.
    pub(super) async fn file(&self, path: &str) -> Option<Rendered> {
        let slot = self.files.get(path)?;
        let rendered = Arc::clone(&slot.rendered);
        let request = (slot.index, path.to_owned(), self.requests.clone());
        // On a task of its own, so a client that goes away does not cancel a render that
        // other requests wait for (which would start it again).
        let task = tokio::spawn(async move {
            rendered
                .get_or_init(|| async move {
                    let (index, path, requests) = request;
                    let (reply, answer) = oneshot::channel();
                    if requests.send(Request { index, path, reply }).is_err() {
                        return Err("the preview stopped rendering this site".to_owned());
                    }
                    answer
                        .await
                        .unwrap_or_else(|_| Err("the file was not rendered".to_owned()))
                })
                .await
                .clone()
        });
        Some(
            task.await
                .unwrap_or_else(|_| Err("the file was not rendered".to_owned())),
        )
    }
}

/// Renders what is asked for until the generation is dropped, on one worker per core.
fn serve_requests(
    plan: &SitePlan,
    renderer: &Renderer,
    received: mpsc::Receiver<Request>,
    pages: (&Pages, u64),
    failed: &Failed,
) {
    let received = Mutex::new(received);
    let next = || received.lock().ok()?.recv().ok();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // Made at the first request: a generation replaced before anyone looks
                // at it costs no templates.
                let mut engine = None;
                while let Some(request) = next() {
                    let rendered = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        render(plan, renderer, &mut engine, pages, &request)
                    }))
                    .unwrap_or_else(|_| Err(format!("rendering {} failed", request.path)));
                    if let Err(why) = &rendered {
                        failed(&request.path, why);
                    }
                    let _ = request.reply.send(rendered);
                }
            });
        }
    });
}

/// The file `request` asks for: a page kept from an earlier generation when its inputs
/// are the same, else rendered now.
fn render(
    plan: &SitePlan,
    renderer: &Renderer,
    engine: &mut Option<Engine>,
    (pages, generation): (&Pages, u64),
    request: &Request,
) -> Rendered {
    let page = match plan.prepare(request.index).map_err(|e| e.to_string())? {
        Prepared::File(bytes) => return Ok(pages.count(bytes)),
        Prepared::Page(page) => page,
    };
    let inputs = page.inputs();
    if let Some(kept) = pages.reuse(&request.path, inputs) {
        return Ok(kept);
    }
    let engine = match engine {
        Some(engine) => engine,
        None => engine.insert(renderer.engine().map_err(|e| e.to_string())?),
    };
    let bytes = plan.render_page(engine, page).map_err(|e| e.to_string())?;
    let output = pages.count(bytes);
    pages.keep(generation, &request.path, inputs, &output);
    Ok(output)
}
