//! The PropertyCollector, ViewManager, SearchIndex and Task calls the helpers need, written
//! on the stable vim25 wire format with the runtime's XML writer and reader. vim-client
//! depends on the runtime only (docs/design.md), so it cannot name a generated crate's
//! `PropertyCollectorClient`; these calls have been the same since vSphere 4.1 and are sent
//! through the same [`Invoke`] path as every generated call (version check, session cookie,
//! transport errors), with their results read here and property values decoded by the
//! caller's types (`Decode`).

use std::borrow::Cow;

use vim_runtime::xml::{Decode, DecodeError, Elem, Encode, Reader, Writer, XSI};
use vim_runtime::{ApiVersion, Invoke, ManagedObjectReference, Method, MethodInfo};

use crate::error::Error;
use crate::Client;

/// A fault as the server sent it: its class and its XML, for the common [`Error`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawFault {
    /// The fault's class (`ManagedObjectNotFound`).
    pub class: String,
    /// The fault element as received.
    pub xml: String,
}

impl Decode for RawFault {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        let class = e.xsi_type.as_deref().unwrap_or(e.name).to_string();
        r.skip(e)?;
        Ok(RawFault { class, xml: r.raw_since(e.start) })
    }
}

impl Encode for RawFault {
    fn xsi_type(&self) -> Option<&str> {
        Some(&self.class)
    }
    fn encode_content(&self, w: &mut Writer) {
        w.content_of(&self.xml);
    }
}

/// The oldest version: these calls exist in every API version.
const ANY_VERSION: ApiVersion = ApiVersion::new(0, &["", "", "vim25"]);

macro_rules! ops {
    ($($ty:ident = $wire:literal on $owner:literal;)*) => {$(
        pub(crate) enum $ty {}
        impl Method for $ty {
            type Request<'a> = Vec<u8>;
            type Response = Option<String>;
            type Fault = RawFault;
            const INFO: MethodInfo = MethodInfo { name: $wire, wsdl_name: $wire, owner: $owner, privilege: None, since: ANY_VERSION, faults: &[] };
            fn encode_request(request: &Vec<u8>, w: &mut Writer) {
                w.buf.extend_from_slice(request);
            }
            fn decode_response<'a>(r: &mut Reader<'a>, response: &Elem<'a>) -> Result<Option<String>, DecodeError> {
                first_returnval(r, response)
            }
        }
    )*};
}

ops! {
    RetrieveServiceContent = "RetrieveServiceContent" on "ServiceInstance";
    CreateContainerView = "CreateContainerView" on "ViewManager";
    DestroyView = "DestroyView" on "View";
    CreatePropertyCollector = "CreatePropertyCollector" on "PropertyCollector";
    DestroyPropertyCollector = "DestroyPropertyCollector" on "PropertyCollector";
    CreateFilter = "CreateFilter" on "PropertyCollector";
    RetrievePropertiesEx = "RetrievePropertiesEx" on "PropertyCollector";
    ContinueRetrievePropertiesEx = "ContinueRetrievePropertiesEx" on "PropertyCollector";
    CancelRetrievePropertiesEx = "CancelRetrievePropertiesEx" on "PropertyCollector";
    WaitForUpdatesEx = "WaitForUpdatesEx" on "PropertyCollector";
    CancelTask = "CancelTask" on "Task";
    FindByInventoryPath = "FindByInventoryPath" on "SearchIndex";
}

/// The raw XML of the response's first `returnval` (`None` for a void or null result).
fn first_returnval<'a>(r: &mut Reader<'a>, response: &Elem<'a>) -> Result<Option<String>, DecodeError> {
    let mut out = None;
    if response.empty {
        return Ok(None);
    }
    while let Some(c) = r.child()? {
        r.skip(&c)?;
        if c.name == "returnval" && out.is_none() {
            out = Some(r.raw_since(c.start));
        }
    }
    Ok(out)
}

/// Reads a fragment kept by [`first_returnval`] (or any element's raw XML): `f` gets the
/// reader at the fragment's element. The `xsi` prefix the envelope declared is declared again.
pub(crate) fn read_fragment<T>(
    xml: &str,
    f: impl for<'x> FnOnce(&mut Reader<'x>, &Elem<'x>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let wrapped = format!("<w xmlns:xsi=\"{XSI}\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">{xml}</w>");
    let mut r = Reader::new(wrapped.as_bytes())?;
    let _root = r.root()?;
    let e = r.child()?.ok_or_else(|| r.error("an empty fragment"))?;
    f(&mut r, &e)
}

/// Decodes a fragment as `T`.
pub(crate) fn decode_fragment<T: Decode>(xml: &str) -> Result<T, DecodeError> {
    read_fragment(xml, |r, e| T::decode(r, e))
}

/// A request body built with the runtime's writer.
pub(crate) fn body(f: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    f(&mut w);
    w.buf
}

/// Writes `<name>text</name>`.
pub(crate) fn text(w: &mut Writer, name: &str, value: &str) {
    w.field(name, value);
}

impl Client {
    /// Sends one of the calls above and returns its raw result.
    pub(crate) async fn call<M: Method<Request<'static> = Vec<u8>, Response = Option<String>, Fault = RawFault>>(
        &self,
        this: &ManagedObjectReference,
        body: Vec<u8>,
    ) -> Result<Option<String>, Error> {
        self.invoke::<M>(this.clone(), body).await.map_err(Error::from)
    }

    /// As [`Client::call`], for a call that returns a reference.
    pub(crate) async fn call_ref<M: Method<Request<'static> = Vec<u8>, Response = Option<String>, Fault = RawFault>>(
        &self,
        this: &ManagedObjectReference,
        body: Vec<u8>,
    ) -> Result<ManagedObjectReference, Error> {
        let raw = self.call::<M>(this, body).await?;
        let raw = raw.ok_or_else(|| Error::Other(format!("{} returned nothing", M::INFO.name)))?;
        Ok(decode_fragment(&raw)?)
    }
}

/// The references of ServiceContent the helpers use.
#[derive(Clone, Debug, Default)]
pub struct Core {
    pub root_folder: ManagedObjectReference,
    pub property_collector: ManagedObjectReference,
    pub view_manager: Option<ManagedObjectReference>,
    pub search_index: Option<ManagedObjectReference>,
    pub event_manager: Option<ManagedObjectReference>,
    pub task_manager: Option<ManagedObjectReference>,
    pub session_manager: Option<ManagedObjectReference>,
}

/// The references of a `ServiceContent` element the client uses (the session calls and the
/// helpers share this reader and its cache, `Client::core`).
pub(crate) fn read_core<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Core, DecodeError> {
    let mut c = Core::default();
    if e.empty {
        return Ok(c);
    }
    while let Some(x) = r.child()? {
        let slot = match x.name {
            "rootFolder" => {
                c.root_folder = r.read(&x)?;
                continue;
            }
            "propertyCollector" => {
                c.property_collector = r.read(&x)?;
                continue;
            }
            "viewManager" => &mut c.view_manager,
            "searchIndex" => &mut c.search_index,
            "eventManager" => &mut c.event_manager,
            "taskManager" => &mut c.task_manager,
            "sessionManager" => &mut c.session_manager,
            _ => {
                r.skip(&x)?;
                continue;
            }
        };
        *slot = Some(r.read(&x)?);
    }
    Ok(c)
}

impl Client {
    /// The service's root folder, property collector and managers (read once with
    /// `RetrieveServiceContent`, then kept).
    pub async fn core(&self) -> Result<Core, Error> {
        if let Some(c) = self.inner.core.get() {
            return Ok(c.clone());
        }
        let si = ManagedObjectReference { type_name: "ServiceInstance".into(), value: "ServiceInstance".into() };
        let raw = self
            .call::<RetrieveServiceContent>(&si, Vec::new())
            .await?
            .ok_or_else(|| Error::Other("RetrieveServiceContent returned nothing".into()))?;
        let core = read_fragment(&raw, read_core)?;
        Ok(self.inner.core.get_or_init(|| core).clone())
    }
}

/// One `PropertySpec` + `ObjectSpec` pair: what a filter or a retrieval asks for.
pub(crate) struct Spec<'a> {
    /// The objects' type (`VirtualMachine`).
    pub type_name: &'a str,
    pub paths: Vec<Cow<'a, str>>,
    pub source: Source<'a>,
}

/// Where the objects come from.
pub(crate) enum Source<'a> {
    /// These objects.
    Objects(&'a [ManagedObjectReference]),
    /// The objects a ContainerView holds.
    View(&'a ManagedObjectReference),
}

impl Spec<'_> {
    /// Writes a `PropertyFilterSpec` as the element `name` (`specSet`, `spec`).
    pub fn write(&self, w: &mut Writer, name: &str) {
        w.open(name, None, None);
        w.open("propSet", None, None);
        text(w, "type", self.type_name);
        w.field("all", &false);
        for p in &self.paths {
            text(w, "pathSet", p);
        }
        w.close("propSet");
        match self.source {
            Source::Objects(objs) => {
                for o in objs {
                    w.open("objectSet", None, None);
                    w.field("obj", o);
                    w.field("skip", &false);
                    w.close("objectSet");
                }
            }
            Source::View(view) => {
                w.open("objectSet", None, None);
                w.field("obj", view);
                w.field("skip", &true);
                w.open("selectSet", Some("TraversalSpec"), None);
                text(w, "name", "view");
                text(w, "type", "ContainerView");
                text(w, "path", "view");
                w.field("skip", &false);
                w.close("selectSet");
                w.close("objectSet");
            }
        }
        w.close(name);
    }
}

/// One property value or missing property of an object, as received.
#[derive(Clone, Debug)]
pub(crate) enum Prop {
    /// `propSet`/`changeSet`: the path, the operation (`assign`, `remove`, ... for changes)
    /// and the `val` element's XML (`None` when absent).
    Val { path: String, op: Option<String>, val: Option<String> },
    /// `missingSet`: the path and the fault's class and XML.
    Missing { path: String, fault: RawFault },
}

/// `ObjectContent` or `ObjectUpdate`.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawObject {
    pub obj: ManagedObjectReference,
    /// `enter`, `modify`, `leave` for updates.
    pub kind: Option<String>,
    pub props: Vec<Prop>,
}

/// Reads an `ObjectContent` / `ObjectUpdate` element.
pub(crate) fn read_object<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<RawObject, DecodeError> {
    let mut o = RawObject::default();
    if e.empty {
        return Ok(o);
    }
    while let Some(c) = r.child()? {
        match c.name {
            "obj" => o.obj = r.read(&c)?,
            "kind" => o.kind = Some(r.read(&c)?),
            "propSet" | "changeSet" => o.props.push(read_prop(r, &c)?),
            "missingSet" => o.props.push(read_missing(r, &c)?),
            _ => r.skip(&c)?,
        }
    }
    Ok(o)
}

fn read_prop<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Prop, DecodeError> {
    let (mut path, mut op, mut val) = (String::new(), None, None);
    if !e.empty {
        while let Some(c) = r.child()? {
            match c.name {
                "name" => path = r.read(&c)?,
                "op" => op = Some(r.read(&c)?),
                "val" => {
                    r.skip(&c)?;
                    val = Some(r.raw_since(c.start));
                }
                _ => r.skip(&c)?,
            }
        }
    }
    Ok(Prop::Val { path, op, val })
}

pub(crate) fn read_missing<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Prop, DecodeError> {
    let (mut path, mut fault) = (String::new(), RawFault::default());
    if !e.empty {
        while let Some(c) = r.child()? {
            match c.name {
                "path" => path = r.read(&c)?,
                // A LocalizedMethodFault: its `fault` child is the fault.
                "fault" if !c.empty => {
                    while let Some(f) = r.child()? {
                        if f.name == "fault" {
                            fault = r.read(&f)?;
                        } else {
                            r.skip(&f)?;
                        }
                    }
                }
                _ => r.skip(&c)?,
            }
        }
    }
    Ok(Prop::Missing { path, fault })
}

/// The text of the first `<name>` element inside a fault's XML (`privilegeId`).
pub(crate) fn fault_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find("</")? + start;
    decode_fragment::<String>(&format!("<x>{}</x>", &xml[start..end])).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_content_with_a_withheld_property() {
        let xml = concat!(
            r#"<objects><obj type="SessionManager">SessionManager</obj>"#,
            r#"<propSet><name>message</name><val xsi:type="xsd:string">hi</val></propSet>"#,
            r#"<missingSet><path>sessionList</path><fault><fault xsi:type="NoPermission"><object type="SessionManager">SessionManager</object>"#,
            r#"<privilegeId>Sessions.TerminateSession</privilegeId></fault><localizedMessage></localizedMessage></fault></missingSet></objects>"#
        );
        let o = read_fragment(xml, read_object).unwrap();
        assert_eq!(o.obj.value, "SessionManager");
        let [Prop::Val { path, val: Some(val), .. }, Prop::Missing { path: missing, fault }] = o.props.as_slice() else {
            panic!("{:?}", o.props)
        };
        assert_eq!((path.as_str(), decode_fragment::<String>(val).unwrap().as_str()), ("message", "hi"));
        assert_eq!((missing.as_str(), fault.class.as_str()), ("sessionList", "NoPermission"));
        assert_eq!(fault_field(&fault.xml, "privilegeId").as_deref(), Some("Sessions.TerminateSession"));
    }

    #[test]
    fn a_view_spec_is_written_in_wire_order() {
        let view = ManagedObjectReference { type_name: "ContainerView".into(), value: "session[1]view-1".into() };
        let spec = Spec { type_name: "VirtualMachine", paths: vec!["name".into(), "runtime".into()], source: Source::View(&view) };
        let xml = String::from_utf8(body(|w| spec.write(w, "specSet"))).unwrap();
        assert_eq!(
            xml,
            concat!(
                "<specSet><propSet><type>VirtualMachine</type><all>false</all><pathSet>name</pathSet><pathSet>runtime</pathSet></propSet>",
                r#"<objectSet><obj type="ContainerView">session[1]view-1</obj><skip>true</skip>"#,
                r#"<selectSet xsi:type="TraversalSpec"><name>view</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>"#,
                "</objectSet></specSet>"
            )
        );
    }

    #[test]
    fn a_fault_keeps_its_class_through_the_common_error() {
        let raw =
            decode_fragment::<RawFault>(r#"<fault xsi:type="ManagedObjectNotFound"><obj type="PropertyCollector">pc-1</obj></fault>"#)
                .unwrap();
        let e = Error::from(vim_runtime::Error::Fault(raw));
        assert_eq!(e.fault_class(), Some("ManagedObjectNotFound"));
        assert_eq!(e.fault::<RawFault>().map(|f| f.class.as_str()), Some("ManagedObjectNotFound"));
        assert!(e.fault::<String>().is_none());
    }
}
