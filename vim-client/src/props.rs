//! Typed property reads: chosen properties of many objects (a ContainerView's, or a list),
//! page by page (`RetrievePropertiesEx` / `ContinueRetrievePropertiesEx`, so memory holds one
//! page), decoded into the types the generated property paths name.

use std::any::Any;
use std::marker::PhantomData;

use vim_runtime::xml::{DecodeError, Elem, Reader, Writer};
use vim_runtime::{ManagedObject, ManagedObjectInfo, ManagedObjectReference, MoRef, PropertyPath};

use crate::error::{Error, Result};
use crate::wire::{self, read_fragment, Prop, Source, Spec};
use crate::Client;

/// A property path with its type erased: what the readers take (`&VirtualMachine::runtime()`).
pub trait AnyPath: Send + Sync {
    /// The path (`runtime`).
    fn path(&self) -> &str;
    /// The managed object type that has the property.
    fn owner(&self) -> &'static ManagedObjectInfo;
    /// Decodes a value of the property from its `<val>` element.
    fn decode_any<'a>(&self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Box<dyn Any + Send + Sync>, DecodeError>;
    /// A boxed copy.
    fn boxed(&self) -> Box<dyn AnyPath>;
}

impl<O: ManagedObject, V: Send + Sync + 'static> AnyPath for PropertyPath<O, V> {
    fn path(&self) -> &str {
        PropertyPath::path(self)
    }
    fn owner(&self) -> &'static ManagedObjectInfo {
        self.owner_info()
    }
    fn decode_any<'a>(&self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Box<dyn Any + Send + Sync>, DecodeError> {
        Ok(Box::new(self.decode(r, e)?))
    }
    fn boxed(&self) -> Box<dyn AnyPath> {
        Box::new(self.clone())
    }
}

/// `T` is `info`'s type or one of its bases.
pub(crate) fn is_a(info: &'static ManagedObjectInfo, wanted: &str) -> bool {
    info.lineage().any(|m| m.wsdl_name == wanted)
}

/// Checks paths before they are sent for objects of type `T`: each is a property of `T` or
/// of a base, and its property (the path's first name) is not newer than the version the
/// client negotiated (an older server would fail the whole read with `InvalidProperty`).
pub(crate) fn check_paths<T: ManagedObject>(client: &Client, paths: &[&dyn AnyPath]) -> Result<()> {
    let negotiated = client.api_version();
    for p in paths {
        let owner = p.owner();
        if !is_a(&T::INFO, owner.wsdl_name) {
            return Err(Error::Other(format!("{} is a property of {}, not of {}", p.path(), owner.wsdl_name, T::WSDL_NAME)));
        }
        let name = p.path().split('.').next().unwrap_or_default();
        if let Some(info) = owner.property(name).filter(|i| i.since > negotiated) {
            return Err(Error::PropertyTooNew {
                owner: owner.wsdl_name,
                path: p.path().to_string(),
                since: info.since.version().to_string(),
                negotiated: negotiated.version().to_string(),
            });
        }
    }
    Ok(())
}

/// One object with the properties read from it.
#[derive(Debug)]
pub struct Object<T: ?Sized> {
    /// The object (its `type_name` may be a subtype of `T`).
    pub obj: MoRef<T>,
    values: Vec<(String, Box<dyn Any + Send + Sync>)>,
    missing: Vec<(String, wire::RawFault)>,
    privileges: Vec<(String, Option<String>)>,
}

impl<T: ?Sized> Object<T> {
    /// The value of a property that was read: `Err(Unset)` when the object has none,
    /// `Err(NoPrivilege)` (naming the privilege) when the server withheld it.
    pub fn get<O: ManagedObject, V: 'static>(&self, path: &PropertyPath<O, V>) -> Result<&V> {
        self.get_opt(path)?.ok_or_else(|| Error::Unset { object: format!("{:?}", self.obj), path: path.path().to_string() })
    }

    /// As [`Object::get`], `None` for a property that is not set.
    pub fn get_opt<O: ManagedObject, V: 'static>(&self, path: &PropertyPath<O, V>) -> Result<Option<&V>> {
        let p = path.path();
        if let Some((_, v)) = self.values.iter().find(|(n, _)| n == p) {
            return v.downcast_ref::<V>().map(Some).ok_or_else(|| Error::Other(format!("{p} was read as another type")));
        }
        if let Some((_, fault)) = self.missing.iter().find(|(n, _)| n == p) {
            let privilege = wire::fault_field(&fault.xml, "privilegeId")
                .or_else(|| self.privileges.iter().find(|(n, _)| n == p).and_then(|(_, x)| x.clone()));
            return Err(Error::NoPrivilege {
                object: format!("{:?}", self.obj),
                path: p.to_string(),
                privilege,
                class: fault.class.clone(),
            });
        }
        Ok(None)
    }

    /// Takes a value out (`get`'s rules), for callers that keep it.
    pub fn take<O: ManagedObject, V: 'static>(&mut self, path: &PropertyPath<O, V>) -> Result<V> {
        self.get(path)?;
        let i = self.values.iter().position(|(n, _)| n == path.path()).expect("checked by get");
        let (_, v) = self.values.swap_remove(i);
        Ok(*v.downcast::<V>().expect("checked by get"))
    }
}

/// The objects a ContainerView shows, of type `T`. Destroyed by [`View::destroy`], or on
/// drop (in the background, when a tokio runtime is running).
pub struct View<T: ?Sized> {
    client: Client,
    view: Option<ManagedObjectReference>,
    _t: PhantomData<fn() -> T>,
}

impl<T: ?Sized> View<T> {
    /// The ContainerView.
    pub fn reference(&self) -> &ManagedObjectReference {
        self.view.as_ref().expect("a live view")
    }

    /// Destroys the view on the server now.
    pub async fn destroy(mut self) -> Result<()> {
        match self.view.take() {
            Some(v) => self.client.call::<wire::DestroyView>(&v, Vec::new()).await.map(drop),
            None => Ok(()),
        }
    }
}

impl<T: ?Sized> Drop for View<T> {
    fn drop(&mut self) {
        if let (Some(v), Ok(rt)) = (self.view.take(), tokio::runtime::Handle::try_current()) {
            let client = self.client.clone();
            rt.spawn(async move {
                let _ = client.call::<wire::DestroyView>(&v, Vec::new()).await;
            });
        }
    }
}

/// Pages of a retrieval: [`Pages::next`] gives the next page's objects.
pub struct Pages<T: ?Sized> {
    client: Client,
    collector: ManagedObjectReference,
    paths: Vec<Box<dyn AnyPath>>,
    first: Option<Vec<u8>>,
    token: Option<String>,
    done: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: ManagedObject> Pages<T> {
    /// The next page (at most the page size's objects), `None` after the last.
    pub async fn next(&mut self) -> Result<Option<Vec<Object<T>>>> {
        let raw = if let Some(body) = self.first.take() {
            self.client.call::<wire::RetrievePropertiesEx>(&self.collector, body).await?
        } else if let (Some(token), false) = (self.token.take(), self.done) {
            let body = wire::body(|w| wire::text(w, "token", &token));
            self.client.call::<wire::ContinueRetrievePropertiesEx>(&self.collector, body).await?
        } else {
            return Ok(None);
        };
        let Some(raw) = raw else {
            self.done = true;
            return Ok(None);
        };
        let (token, objects) = read_fragment(&raw, |r, e| {
            let (mut token, mut objects) = (None, Vec::new());
            if !e.empty {
                while let Some(c) = r.child()? {
                    match c.name {
                        "token" => token = Some(r.read::<String>(&c)?),
                        "objects" => objects.push(self.typed(r, &c)?),
                        _ => r.skip(&c)?,
                    }
                }
            }
            Ok((token, objects))
        })?;
        self.done = token.is_none();
        self.token = token;
        Ok(Some(objects))
    }

    /// Every remaining object (all pages in memory).
    pub async fn all(mut self) -> Result<Vec<Object<T>>> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await? {
            out.extend(page);
        }
        Ok(out)
    }

    /// Reads one `ObjectContent`, decoding each value by its path's type.
    fn typed<'a>(&self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Object<T>, DecodeError> {
        let mut o = Object { obj: MoRef::default(), values: Vec::new(), missing: Vec::new(), privileges: Vec::new() };
        if e.empty {
            return Ok(o);
        }
        while let Some(c) = r.child()? {
            match c.name {
                "obj" => o.obj = r.read(&c)?,
                "propSet" => {
                    let mut name = String::new();
                    while let Some(x) = r.child()? {
                        match (x.name, self.paths.iter().find(|p| p.path() == name)) {
                            ("name", _) => name = r.read(&x)?,
                            ("val", Some(p)) => {
                                let v = p.decode_any(r, &x)?;
                                o.values.push((std::mem::take(&mut name), v));
                            }
                            _ => r.skip(&x)?,
                        }
                    }
                }
                "missingSet" => {
                    let one = wire::read_missing(r, &c)?;
                    if let Prop::Missing { path, fault } = one {
                        o.missing.push((path, fault));
                    }
                }
                _ => r.skip(&c)?,
            }
        }
        // The metadata's privilege for each withheld property, as a fallback.
        for (path, _) in &o.missing {
            let top = path.split('.').next().unwrap_or(path);
            let privilege = self
                .paths
                .iter()
                .find(|p| p.path() == path)
                .and_then(|p| p.owner().property(top))
                .and_then(|i| i.privilege)
                .map(|p| p.id().to_string());
            o.privileges.push((path.clone(), privilege));
        }
        Ok(o)
    }
}

/// What to read: objects, the properties, a page size.
pub struct Retrieve<'a, T: ?Sized> {
    client: &'a Client,
    source: RetrieveSource,
    paths: Vec<Box<dyn AnyPath>>,
    page_size: Option<u32>,
    _t: PhantomData<fn() -> T>,
}

enum RetrieveSource {
    View(ManagedObjectReference),
    Objects(Vec<ManagedObjectReference>),
}

impl<T: ManagedObject> Retrieve<'_, T> {
    /// At most `n` objects per page (the server may send fewer).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Starts the retrieval: the first page is asked for by the first [`Pages::next`].
    pub async fn pages(self) -> Result<Pages<T>> {
        check_paths::<T>(self.client, &self.paths.iter().map(|p| &**p).collect::<Vec<_>>())?;
        let core = self.client.core().await?;
        let (objects, view);
        let source = match &self.source {
            RetrieveSource::View(v) => {
                view = v.clone();
                Source::View(&view)
            }
            RetrieveSource::Objects(o) => {
                objects = o.clone();
                Source::Objects(&objects)
            }
        };
        let spec = Spec { type_name: T::WSDL_NAME, paths: self.paths.iter().map(|p| p.path().to_string().into()).collect(), source };
        let page_size = self.page_size;
        let body = wire::body(|w: &mut Writer| {
            spec.write(w, "specSet");
            w.open("options", None, None);
            if let Some(n) = page_size {
                w.field("maxObjects", &(n as i32));
            }
            w.close("options");
        });
        Ok(Pages {
            client: self.client.clone(),
            collector: core.property_collector,
            paths: self.paths,
            first: Some(body),
            token: None,
            done: false,
            _t: PhantomData,
        })
    }

    /// Every object, all pages read.
    pub async fn all(self) -> Result<Vec<Object<T>>> {
        self.pages().await?.all().await
    }
}

impl Client {
    /// A ContainerView of the objects of type `T` in `container` (recursively).
    pub async fn view<T: ManagedObject>(&self, container: &MoRef<impl ManagedObject>) -> Result<View<T>> {
        let core = self.core().await?;
        let vm = core.view_manager.ok_or_else(|| Error::NotFound("the service has no ViewManager".into()))?;
        let container = ManagedObjectReference { type_name: container.type_name.clone(), value: container.value.clone() };
        let body = wire::body(|w| {
            w.field("container", &container);
            wire::text(w, "type", T::WSDL_NAME);
            w.field("recursive", &true);
        });
        let view = self.call_ref::<wire::CreateContainerView>(&vm, body).await?;
        Ok(View { client: self.clone(), view: Some(view), _t: PhantomData })
    }

    /// Reads `paths` of every object in `view` (`.all()` or `.pages()`).
    pub fn retrieve<'a, T: ManagedObject>(&'a self, view: &View<T>, paths: &[&dyn AnyPath]) -> Retrieve<'a, T> {
        Retrieve {
            client: self,
            source: RetrieveSource::View(view.reference().clone()),
            paths: paths.iter().map(|p| p.boxed()).collect(),
            page_size: None,
            _t: PhantomData,
        }
    }

    /// Reads `paths` of these objects.
    pub fn retrieve_objects<'a, T: ManagedObject>(&'a self, objects: &[MoRef<T>], paths: &[&dyn AnyPath]) -> Retrieve<'a, T> {
        Retrieve {
            client: self,
            source: RetrieveSource::Objects(objects.iter().map(MoRef::untyped).collect()),
            paths: paths.iter().map(|p| p.boxed()).collect(),
            page_size: None,
            _t: PhantomData,
        }
    }

    /// One property of one object: `client.read(&vm, &VirtualMachine::runtime()).await?`.
    pub async fn read<T: ManagedObject, O: ManagedObject, V: Send + Sync + 'static>(
        &self,
        obj: &MoRef<T>,
        path: &PropertyPath<O, V>,
    ) -> Result<V> {
        let objs = [obj.clone()];
        let mut found = self.retrieve_objects(&objs, &[path]).all().await?;
        let mut o = found.pop().ok_or_else(|| Error::NotFound(format!("{obj:?}")))?;
        o.take(path)
    }

    /// Types an untyped reference, checked against the API's type lineage: a
    /// `VirtualMachine` reference is a `MoRef<ManagedEntity>`, a `Folder` one is not a
    /// `MoRef<VirtualMachine>`.
    pub fn downcast<T: ManagedObject>(&self, r: &ManagedObjectReference) -> Result<MoRef<T>> {
        let ok = match self.api().managed_object(&r.type_name) {
            Some(info) => is_a(info, T::WSDL_NAME),
            None => r.type_name == T::WSDL_NAME,
        };
        if ok {
            Ok(MoRef::from_untyped(r.clone()))
        } else {
            Err(Error::WrongType { object: format!("{}:{}", r.type_name, r.value), wanted: T::WSDL_NAME })
        }
    }
}

impl Client {
    /// Paths of objects of one type, read by name, values kept as XML: for helpers that
    /// meet objects of any type (the finder).
    pub(crate) async fn retrieve_raw(
        &self,
        type_name: &str,
        objects: &[ManagedObjectReference],
        paths: &[&str],
    ) -> Result<Vec<wire::RawObject>> {
        let core = self.core().await?;
        let spec = Spec { type_name, paths: paths.iter().map(|p| (*p).into()).collect(), source: Source::Objects(objects) };
        let body = wire::body(|w: &mut Writer| {
            spec.write(w, "specSet");
            w.open("options", None, None);
            w.close("options");
        });
        let mut raw = self.call::<wire::RetrievePropertiesEx>(&core.property_collector, body).await?;
        let mut out = Vec::new();
        while let Some(page) = raw.take() {
            let token = read_fragment(&page, |r, e| {
                let mut token = None;
                if !e.empty {
                    while let Some(c) = r.child()? {
                        match c.name {
                            "token" => token = Some(r.read::<String>(&c)?),
                            "objects" => out.push(wire::read_object(r, &c)?),
                            _ => r.skip(&c)?,
                        }
                    }
                }
                Ok(token)
            })?;
            if let Some(token) = token {
                let body = wire::body(|w| wire::text(w, "token", &token));
                raw = self.call::<wire::ContinueRetrievePropertiesEx>(&core.property_collector, body).await?;
            }
        }
        Ok(out)
    }
}

impl wire::RawObject {
    /// The value of `path` as `V`, if the object has it.
    pub(crate) fn value<V: vim_runtime::xml::Decode>(&self, path: &str) -> Result<Option<V>> {
        for p in &self.props {
            if let Prop::Val { path: n, val: Some(v), .. } = p {
                if n == path {
                    return Ok(Some(wire::decode_fragment(v)?));
                }
            }
        }
        Ok(None)
    }
}

impl wire::RawObject {
    /// The references `path` holds (one, or an `ArrayOfManagedObjectReference`'s items).
    pub(crate) fn refs(&self, path: &str) -> Result<Vec<ManagedObjectReference>> {
        for p in &self.props {
            if let Prop::Val { path: n, val: Some(v), .. } = p {
                if n == path {
                    return Ok(read_fragment(v, |r, e| {
                        if !e.xsi_type.as_deref().is_some_and(|t| t.starts_with("ArrayOf")) {
                            return Ok(vec![r.read(e)?]);
                        }
                        let mut out = Vec::new();
                        if !e.empty {
                            while let Some(c) = r.child()? {
                                out.push(r.read(&c)?);
                            }
                        }
                        Ok(out)
                    })?);
                }
            }
        }
        Ok(Vec::new())
    }
}

/// A retrieval left before its last page: the server's result set is freed
/// (`CancelRetrievePropertiesEx`, in the background).
impl<T: ?Sized> Drop for Pages<T> {
    fn drop(&mut self) {
        if let (Some(token), Ok(rt)) = (self.token.take(), tokio::runtime::Handle::try_current()) {
            let (client, pc) = (self.client.clone(), self.collector.clone());
            rt.spawn(async move {
                let body = wire::body(|w| wire::text(w, "token", &token));
                let _ = client.call::<wire::CancelRetrievePropertiesEx>(&pc, body).await;
            });
        }
    }
}
