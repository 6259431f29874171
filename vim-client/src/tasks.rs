//! Waiting for tasks: `client.wait::<methods::PowerOnVMTask>(&task).await` ends with the
//! task's result, or its failure typed as that method's own fault enum. Built on
//! `WaitForUpdatesEx` (one PropertyCollector per wait, destroyed when the wait ends or is
//! dropped), not on polling.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

use vim_runtime::xml::{Decode, DecodeError};
use vim_runtime::{ManagedObject, ManagedObjectReference, Method, MoRef};

use crate::error::Error;
use crate::stream::Collector;
use crate::wire::{self, read_fragment, Prop, Source, Spec};
use crate::Client;

/// A task's state, as its `info.state` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Queued,
    Running,
    Success,
    Error,
}

/// What a task reported: its state, progress (percent, while running) and, once it ended,
/// its result or fault.
#[derive(Clone, Debug)]
pub struct TaskProgress {
    pub task: String,
    pub state: TaskState,
    pub progress: Option<i32>,
    /// `info.descriptionId`, when the server sets it.
    pub description: Option<String>,
}

/// A task that succeeded: its `info.result`, decoded on request.
#[derive(Clone, Debug, Default)]
pub struct TaskResult {
    /// The result's XML as received (`None` for a task without a result).
    pub raw: Option<String>,
}

impl TaskResult {
    /// The result as `R` (`MoRef<VirtualMachine>` for CreateVM, ...); `None` when the task
    /// has no result.
    pub fn value<R: Decode>(&self) -> Result<Option<R>, DecodeError> {
        self.raw.as_deref().map(wire::decode_fragment).transpose()
    }
}

type Callback = Box<dyn FnMut(&TaskProgress) + Send>;

/// A wait for a task, to await: `.timeout(d)`, `.progress(f)`, `.cancel_on_timeout()`
/// first if wanted.
#[must_use = "a wait does nothing until awaited"]
pub struct TaskWait<M: Method> {
    client: Client,
    task: ManagedObjectReference,
    timeout: Option<Duration>,
    cancel_on_timeout: bool,
    progress: Option<Callback>,
    _m: PhantomData<fn() -> M>,
}

impl<M: Method> TaskWait<M> {
    /// Gives up after `d` (the error is a timeout; the task goes on unless
    /// [`cancel_on_timeout`](Self::cancel_on_timeout)).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Cancels the task (`CancelTask`) when the timeout strikes.
    pub fn cancel_on_timeout(mut self) -> Self {
        self.cancel_on_timeout = true;
        self
    }

    /// Calls `f` on every change the server reports (state, progress).
    pub fn progress(mut self, f: impl FnMut(&TaskProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    async fn run(mut self) -> Result<TaskResult, vim_runtime::Error<M::Fault>> {
        let to_runtime = |e: Error| vim_runtime::Error::Transport(Box::new(e));
        let started = Instant::now();
        let objects = [self.task.clone()];
        let spec = Spec { type_name: "Task", paths: vec!["info".into()], source: Source::Objects(&objects) };
        let mut collector = Collector::create(&self.client, &spec).await.map_err(to_runtime)?;
        loop {
            let remaining = self.timeout.map(|t| t.saturating_sub(started.elapsed()));
            if remaining == Some(Duration::ZERO) {
                let after = self.timeout.unwrap_or_default();
                if self.cancel_on_timeout {
                    let _ = self.client.cancel_task(&self.task).await;
                }
                collector.close().await;
                return Err(to_runtime(Error::Timeout { what: format!("task {}", self.task.value), after }));
            }
            let update = match collector.wait(remaining).await {
                Ok(u) => u,
                Err(e) => {
                    collector.close().await;
                    return Err(to_runtime(e));
                }
            };
            for object in update.into_iter().flat_map(|u| u.objects) {
                for prop in object.props {
                    let Prop::Val { path, val: Some(val), .. } = prop else { continue };
                    if path != "info" {
                        continue;
                    }
                    let info = read_fragment(&val, read_info::<M>).map_err(|e| to_runtime(e.into()))?;
                    let progress = TaskProgress {
                        task: self.task.value.clone(),
                        state: info.state,
                        progress: info.progress,
                        description: info.description,
                    };
                    if let Some(f) = self.progress.as_mut() {
                        f(&progress);
                    }
                    match info.state {
                        TaskState::Success => {
                            collector.close().await;
                            return Ok(TaskResult { raw: info.result });
                        }
                        TaskState::Error => {
                            collector.close().await;
                            return Err(match info.fault {
                                Some(f) => vim_runtime::Error::Fault(f),
                                None => to_runtime(Error::Other(format!("task {} failed without a fault", self.task.value))),
                            });
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

impl<M: Method> IntoFuture for TaskWait<M> {
    type Output = Result<TaskResult, vim_runtime::Error<M::Fault>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

struct Info<F> {
    state: TaskState,
    progress: Option<i32>,
    description: Option<String>,
    fault: Option<F>,
    result: Option<String>,
}

/// The parts of a `TaskInfo` a wait needs; the fault decoded as `M`'s fault enum.
fn read_info<'a, M: Method>(r: &mut vim_runtime::xml::Reader<'a>, e: &vim_runtime::xml::Elem<'a>) -> Result<Info<M::Fault>, DecodeError> {
    let mut info = Info { state: TaskState::Queued, progress: None, description: None, fault: None, result: None };
    if e.empty {
        return Ok(info);
    }
    while let Some(c) = r.child()? {
        match c.name {
            "state" => {
                info.state = match r.text(&c)?.trim() {
                    "queued" => TaskState::Queued,
                    "running" => TaskState::Running,
                    "success" => TaskState::Success,
                    "error" => TaskState::Error,
                    other => return Err(r.error(format!("unknown task state {other:?}"))),
                }
            }
            "progress" => info.progress = Some(r.read(&c)?),
            "descriptionId" => info.description = Some(r.read(&c)?),
            "result" => {
                r.skip(&c)?;
                info.result = Some(r.raw_since(c.start));
            }
            // A LocalizedMethodFault: `fault` (typed by the method) and `localizedMessage`.
            "error" if !c.empty => {
                while let Some(f) = r.child()? {
                    if f.name == "fault" && info.fault.is_none() {
                        info.fault = Some(r.read::<M::Fault>(&f)?);
                    } else {
                        r.skip(&f)?;
                    }
                }
            }
            _ => r.skip(&c)?,
        }
    }
    Ok(info)
}

impl Client {
    /// Waits for `task`, which method `M` returned: its result, or its fault as `M`'s fault
    /// enum (`client.wait::<methods::PowerOnVMTask>(&task).await`).
    pub fn wait<M: Method>(&self, task: &MoRef<impl ManagedObject>) -> TaskWait<M> {
        TaskWait {
            client: self.clone(),
            task: ManagedObjectReference { type_name: task.type_name.clone(), value: task.value.clone() },
            timeout: None,
            cancel_on_timeout: false,
            progress: None,
            _m: PhantomData,
        }
    }

    /// Asks the server to cancel a task (`CancelTask`); the task ends in error
    /// (`RequestCanceled`) if it could be cancelled.
    /// (`client.cancel_task(&task.untyped())`).
    pub async fn cancel_task(&self, task: &ManagedObjectReference) -> Result<(), Error> {
        self.call::<wire::CancelTask>(task, Vec::new()).await.map(drop)
    }
}
