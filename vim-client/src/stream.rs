//! Change streams over `WaitForUpdatesEx`: a PropertyCollector of the stream's own with one
//! filter, version tokens, a long-poll wait shorter than the per-call timeout, the collector
//! destroyed when the stream is closed or dropped, and a new collector (and a full resync)
//! when the server lost the old one.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use vim_runtime::xml::Decode;
use vim_runtime::{ManagedObject, ManagedObjectReference, MoRef, PropertyPath};

use crate::error::{Error, Result};
use crate::props::{check_paths, AnyPath};
use crate::wire::{self, read_fragment, Prop, RawObject, Source, Spec};
use crate::Client;

/// One `UpdateSet`'s objects.
pub(crate) struct Update {
    pub objects: Vec<RawObject>,
}

/// A PropertyCollector with one filter, owned by a stream or a task wait.
pub(crate) struct Collector {
    client: Client,
    collector: Option<ManagedObjectReference>,
    version: String,
    /// The filter's spec, as written (to recreate the collector).
    spec: Vec<u8>,
}

impl Collector {
    pub async fn create(client: &Client, spec: &Spec<'_>) -> Result<Collector> {
        let body = wire::body(|w| {
            spec.write(w, "spec");
            w.field("partialUpdates", &false);
        });
        let mut c = Collector { client: client.clone(), collector: None, version: String::new(), spec: body };
        c.open().await?;
        Ok(c)
    }

    async fn open(&mut self) -> Result<()> {
        let root = self.client.core().await?.property_collector;
        let pc = self.client.call_ref::<wire::CreatePropertyCollector>(&root, Vec::new()).await?;
        self.collector = Some(pc.clone());
        self.client.call_ref::<wire::CreateFilter>(&pc, self.spec.clone()).await?;
        self.version.clear();
        Ok(())
    }

    /// The version token of the last update (empty before the first).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The long-poll wait: shorter than the per-call timeout, so that an idle wait is an
    /// empty answer, not a transport timeout.
    fn max_wait(&self, limit: Option<Duration>) -> i32 {
        let per_call = self.client.options().timeout.as_secs();
        let poll = (per_call.saturating_sub(per_call / 4).saturating_sub(1)).clamp(1, 60);
        let poll = limit.map_or(poll, |l| poll.min(l.as_secs().max(1)));
        poll as i32
    }

    /// The next update, or `None` when the long-poll wait passed without one. A collector the
    /// server no longer knows (`ManagedObjectNotFound`, `InvalidCollectorVersion`) is made
    /// again; the next update is then the whole current state.
    pub async fn wait(&mut self, limit: Option<Duration>) -> Result<Option<Update>> {
        let Some(pc) = self.collector.clone() else {
            return Err(Error::Other("the collector is closed".into()));
        };
        let max_wait = self.max_wait(limit);
        let version = self.version.clone();
        let body = wire::body(|w| {
            wire::text(w, "version", &version);
            w.open("options", None, None);
            w.field("maxWaitSeconds", &max_wait);
            w.close("options");
        });
        let raw = match self.client.call::<wire::WaitForUpdatesEx>(&pc, body).await {
            Ok(r) => r,
            Err(e) if matches!(e.fault_class(), Some("ManagedObjectNotFound" | "InvalidCollectorVersion")) => {
                self.open().await?;
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let Some(raw) = raw else { return Ok(None) };
        let (version, objects) = read_fragment(&raw, |r, e| {
            let (mut version, mut objects) = (String::new(), Vec::new());
            if e.empty {
                return Ok((version, objects));
            }
            while let Some(c) = r.child()? {
                match c.name {
                    "version" => version = r.read(&c)?,
                    "filterSet" if !c.empty => {
                        while let Some(f) = r.child()? {
                            if f.name == "objectSet" {
                                objects.push(wire::read_object(r, &f)?);
                            } else {
                                r.skip(&f)?;
                            }
                        }
                    }
                    _ => r.skip(&c)?,
                }
            }
            Ok((version, objects))
        })?;
        self.version = version;
        Ok(Some(Update { objects }))
    }

    /// Destroys the collector (and its filter) now.
    pub async fn close(&mut self) {
        if let Some(pc) = self.collector.take() {
            let _ = self.client.call::<wire::DestroyPropertyCollector>(&pc, Vec::new()).await;
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        if let (Some(pc), Ok(rt)) = (self.collector.take(), tokio::runtime::Handle::try_current()) {
            let client = self.client.clone();
            rt.spawn(async move {
                let _ = client.call::<wire::DestroyPropertyCollector>(&pc, Vec::new()).await;
            });
        }
    }
}

/// One property change of one object.
#[derive(Clone, Debug)]
pub struct Change {
    /// The object (its type is in `type_name`).
    pub obj: ManagedObjectReference,
    /// `enter` (first seen, or after a resync), `modify`, `leave`.
    pub kind: String,
    /// The property path (`runtime.powerState`, or below a watched path).
    pub path: String,
    /// `assign`, `add`, `remove`, `indirectRemove`.
    pub op: String,
    val: Option<String>,
}

impl Change {
    /// The new value, when this change is of `path` (typed by it); `None` when it is
    /// another property's change or the value was removed.
    pub fn get<O: ManagedObject, V: 'static>(&self, path: &PropertyPath<O, V>) -> Result<Option<V>> {
        if self.path != path.path() {
            return Ok(None);
        }
        match &self.val {
            Some(v) => Ok(Some(read_fragment(v, |r, e| path.decode(r, e))?)),
            None => Ok(None),
        }
    }

    /// The new value as `U` (for a path below a watched one).
    pub fn value<U: Decode>(&self) -> Result<Option<U>> {
        Ok(self.val.as_deref().map(wire::decode_fragment).transpose()?)
    }
}

/// A stream of changes to chosen properties of chosen objects (`client.watch(...)`).
pub struct Changes {
    collector: Collector,
}

impl Changes {
    /// The next batch of changes (waits as long as it takes; each long-poll is shorter than
    /// the per-call timeout). Never empty.
    pub async fn next(&mut self) -> Result<Vec<Change>> {
        loop {
            if let Some(batch) = self.next_within(None).await? {
                return Ok(batch);
            }
        }
    }

    /// As [`Changes::next`], `None` when nothing changed within `limit`.
    pub async fn next_within(&mut self, limit: Option<Duration>) -> Result<Option<Vec<Change>>> {
        let started = std::time::Instant::now();
        loop {
            let left = limit.map(|l| l.saturating_sub(started.elapsed()));
            if left == Some(Duration::ZERO) {
                return Ok(None);
            }
            let Some(update) = self.collector.wait(left).await? else { continue };
            let mut out = Vec::new();
            for o in update.objects {
                let kind = o.kind.unwrap_or_default();
                for p in o.props {
                    if let Prop::Val { path, op, val } = p {
                        out.push(Change { obj: o.obj.clone(), kind: kind.clone(), path, op: op.unwrap_or_else(|| "assign".into()), val });
                    }
                }
            }
            if !out.is_empty() {
                return Ok(Some(out));
            }
        }
    }

    /// The version token of the last update.
    pub fn version(&self) -> &str {
        self.collector.version()
    }

    /// Destroys the collector now (dropping the stream does it in the background).
    pub async fn close(mut self) {
        self.collector.close().await;
    }

    #[doc(hidden)]
    /// Destroys the server's collector behind the stream's back, as a lost session or a
    /// restarted server would: the stream must make a new one (tests of resumption).
    pub async fn lose_collector_for_test(&mut self) -> Result<()> {
        let pc = self.collector.collector.clone().ok_or_else(|| Error::Other("closed".into()))?;
        self.collector.client.call::<wire::DestroyPropertyCollector>(&pc, Vec::new()).await.map(drop)
    }
}

/// [`Changes`] as a [`futures_core::Stream`] of batches (for `StreamExt` combinators, `select!`
/// and the like): `changes.into_stream()`. Dropping it destroys the collector.
pub struct ChangeStream {
    idle: Option<Changes>,
    pending: Option<NextBatch>,
}

/// A `Changes::next` in flight, owning its `Changes` until it ends.
type NextBatch = Pin<Box<dyn Future<Output = (Changes, Result<Vec<Change>>)> + Send>>;

impl Changes {
    /// The stream of batches [`Changes::next`] gives, as a `Stream`.
    pub fn into_stream(self) -> ChangeStream {
        ChangeStream { idle: Some(self), pending: None }
    }
}

impl futures_core::Stream for ChangeStream {
    type Item = Result<Vec<Change>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.pending.is_none() {
            let Some(mut changes) = this.idle.take() else { return Poll::Ready(None) };
            this.pending = Some(Box::pin(async move {
                let batch = changes.next().await;
                (changes, batch)
            }));
        }
        let Some(pending) = this.pending.as_mut() else { return Poll::Ready(None) };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((changes, batch)) => {
                this.pending = None;
                this.idle = Some(changes);
                Poll::Ready(Some(batch))
            }
        }
    }
}

impl Client {
    /// Watches `paths` of `objects`: the first batch is their current values (`enter`),
    /// then every change.
    pub async fn watch<T: ManagedObject>(&self, objects: &[MoRef<T>], paths: &[&dyn AnyPath]) -> Result<Changes> {
        check_paths::<T>(self, paths)?;
        let objs: Vec<ManagedObjectReference> = objects.iter().map(MoRef::untyped).collect();
        let spec = Spec {
            type_name: T::WSDL_NAME,
            paths: paths.iter().map(|p| p.path().to_string().into()).collect(),
            source: Source::Objects(&objs),
        };
        Ok(Changes { collector: Collector::create(self, &spec).await? })
    }

    /// Watches property paths by name (`runtime.powerState`) of objects of any type.
    pub async fn watch_paths(&self, type_name: &str, objects: &[ManagedObjectReference], paths: &[&str]) -> Result<Changes> {
        let spec = Spec { type_name, paths: paths.iter().map(|p| (*p).into()).collect(), source: Source::Objects(objects) };
        Ok(Changes { collector: Collector::create(self, &spec).await? })
    }
}
